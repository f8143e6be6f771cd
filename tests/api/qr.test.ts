import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

/** The code's modules read back from the rendered picture: dark where the module's centre is dark. */
async function readModules(svg: string) {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]) - 8; // 4 modules of quiet zone each side
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const px = info.width / (size + 8);
  const dark = (x: number, y: number) => data[Math.floor((y + 4.5) * px) * info.width + Math.floor((x + 4.5) * px)] < 128;
  return { size, dark };
}

const matrixOf = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;

describe.each(modes())('QR codes on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });
  afterEach(() => { delete process.env.PUBLIC_URL; });

  it('draws a well-formed SVG with the three finder patterns', async () => {
    const res = await t.get('/api/qr/compound/MS-C001.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const { size, dark } = await readModules(await res.text()); // librsvg refuses malformed XML
    const finder = (x0: number, y0: number) => {
      for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) {
        const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
        expect(dark(x0 + x, y0 + y), `module ${x0 + x},${y0 + y}`).toBe(ring !== 2);
      }
    };
    finder(0, 0);
    finder(size - 7, 0);
    finder(0, size - 7);
  });

  it('encodes the rider guide URL of the compound, module for module', async () => {
    const svg = await (await t.get('/api/qr/compound/MS-C001.svg')).text();
    const expected = matrixOf('http://localhost/rider/MS-C001');
    const { size, dark } = await readModules(svg);
    expect(size).toBe(expected.size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) expect(dark(x, y)).toBe(!!expected.get(y, x));
  });

  it('sends a gate to its compound\u2019s guide, a building to the report form and a grid to the resident page', async () => {
    process.env.PUBLIC_URL = 'https://grid.example.cn/';
    const cases: [string, string][] = [
      ['/api/qr/gate/MS-C001-GATE1.svg', 'https://grid.example.cn/rider/MS-C001'],
      ['/api/qr/building/MS-C001-B02.svg', 'https://grid.example.cn/report?building=MS-C001-B02'],
      ['/api/qr/grid/MS-XSL-G01.svg', 'https://grid.example.cn/resident?grid=MS-XSL-G01'],
    ];
    for (const [path, url] of cases) {
      const svg = await (await t.get(path)).text();
      expect(svg).toContain(`<title>${url}</title>`);
      const expected = matrixOf(url);
      const { size, dark } = await readModules(svg);
      let differ = 0;
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (dark(x, y) !== !!expected.get(y, x)) differ++;
      expect(differ, path).toBe(0);
    }
  });

  it('answers 404 for a place that does not exist and 400 for an unknown kind', async () => {
    expect((await t.get('/api/qr/gate/NOPE.svg')).status).toBe(404);
    expect((await t.get('/api/qr/grid/MS-XSL-G01-M1.svg')).status).toBe(404); // a micro-grid is not a grid
    expect((await t.get('/api/qr/shop/MS-C001.svg')).status).toBe(400);
    expect((await t.get(`/api/qr/compound/${encodeURIComponent("'<x>")}.svg`)).status).toBe(404);
  });

  it('prints an A4 sheet with one card per gate and building, in Chinese', async () => {
    const res = await t.get('/api/qr/sheet/MS-C001.svg');
    expect(res.status).toBe(200);
    const svg = await res.text();
    expect(svg).toMatch(/width="210mm" height="\d+mm"/);
    const height = Number(/height="(\d+)mm"/.exec(svg)![1]);
    expect(height % 297).toBe(0);
    const gates = await (await t.get('/api/collections/compounds/items/MS-C001')).json();
    expect(gates.properties.name).toBe('十号院');
    const layout = await (await t.get('/api/rider/MS-C001')).json();
    const codes = svg.match(/<path transform="translate\([^"]*\) scale/g) ?? [];
    expect(codes).toHaveLength(layout.gates.length + layout.buildings.length);
    expect(svg).toContain('十号院 北门');
    expect(svg).toContain('骑手扫码');
    expect(svg).toContain('居民扫码');
    const meta = await sharp(Buffer.from(svg)).metadata(); // parses: well-formed
    expect(meta.format).toBe('svg');
    expect((await t.get('/api/qr/sheet/NOPE.svg')).status).toBe(404);
  });
});
