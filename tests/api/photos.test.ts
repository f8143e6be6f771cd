import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';
import { createApp } from '../../api/app.ts';
import { maxPhotoBytes, processPhoto, sniff } from '../../api/loop/photos.ts';

const gpsTag = Buffer.from([0x25, 0x88]); // EXIF tag 0x8825: the GPS IFD pointer (little-endian)

/** A JPEG from a phone: EXIF with GPS coordinates and the owner's name. */
async function phoneJpeg(width = 64, height = 48) {
  return sharp({ create: { width, height, channels: 3, background: '#c03030' } }).jpeg()
    .withExif({
      IFD0: { Copyright: 'Wang Xiaoming', Make: 'PhoneCo' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 13/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 14/1 0/1' },
    }).toBuffer();
}
const png = () => sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } } }).png().toBuffer();
const webp = () => sharp({ create: { width: 20, height: 10, channels: 3, background: '#0000ff' } }).webp().toBuffer();
const gif = () => sharp({ create: { width: 20, height: 10, channels: 3, background: '#0000ff' } }).gif().toBuffer();

function form(bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg', extra: Record<string, string> = {}) {
  const f = new FormData();
  f.append('photo', new File([new Uint8Array(bytes)], name, { type }));
  for (const [k, v] of Object.entries(extra)) f.append(k, v);
  return f;
}

describe('processing a photo', () => {
  it('removes EXIF, GPS and the owner name from a phone JPEG and keeps the picture', async () => {
    const input = await phoneJpeg();
    expect((await sharp(input).metadata()).exif!.includes(gpsTag)).toBe(true); // the test photo does carry GPS
    const out = await processPhoto(input);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(out.bytes.includes(Buffer.from('Exif'))).toBe(false);
    expect(out.bytes.includes(Buffer.from('Wang Xiaoming'))).toBe(false);
    expect([meta.width, meta.height]).toEqual([64, 48]);
  });

  it('accepts PNG and WebP and stores them as JPEG', async () => {
    for (const input of [await png(), await webp()]) {
      const out = await processPhoto(input);
      expect(out.mime).toBe('image/jpeg');
      expect(sniff(out.bytes)).toBe('jpeg');
    }
  });

  it('shrinks a large photo to at most 2048 px on its longest side', async () => {
    const big = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#888' } }).jpeg().toBuffer();
    const out = await processPhoto(big);
    expect([out.width, out.height]).toEqual([2048, 1024]);
  });

  it('refuses a GIF with 415', async () => {
    await expect(processPhoto(await gif())).rejects.toMatchObject({ status: 415 });
  });

  it('refuses a file that only pretends to be a JPEG by its first bytes with 415', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<script>alert(1)</script>'.repeat(10))]);
    await expect(processPhoto(fake)).rejects.toMatchObject({ status: 415 });
  });

  it('refuses an empty file with 400 and one over 8 MB with 413', async () => {
    await expect(processPhoto(new Uint8Array())).rejects.toMatchObject({ status: 400 });
    await expect(processPhoto(new Uint8Array(maxPhotoBytes + 1))).rejects.toMatchObject({ status: 413 });
  });
});

describe.each(modes())('photos of a request on %s', (mode) => {
  let t: TestApp;
  let worker: string, otherWorker: string;
  beforeAll(async () => {
    t = await openTestApp(mode);
    worker = await signIn(t, 'xsl-g01-zhao');
    otherWorker = await signIn(t, 'xsl-g02-zhou');
  });
  afterAll(async () => { await t?.close(); });

  const upload = (ticket: string, body: FormData, cookie = worker) => call(t, 'POST', `/api/staff/requests/${ticket}/photos`, { cookie, form: body });

  it('stores a worker\'s outcome photo without its EXIF and serves it to staff in scope', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const res = await upload(ticket, form(await phoneJpeg(), 'IMG_0001.jpg', 'image/jpeg', { kind: 'outcome' }));
    expect(res.status).toBe(201);
    const { id, url, kind } = await res.json();
    expect(kind).toBe('outcome');
    expect(url).toBe(`/api/photos/${id}`);
    const got = await call(t, 'GET', url, { cookie: worker });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await got.arrayBuffer());
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    const detail = await (await call(t, 'GET', `/api/staff/requests/${ticket}`, { cookie: worker })).json();
    expect(detail.photos).toEqual([{ id, kind: 'outcome', url }]);
  });

  it('keeps photos in the database, so a new server process on the same data serves them', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const { id } = await (await upload(ticket, form(await png(), 'a.png', 'image/png'))).json();
    const [row] = await t.database.rows<{ n: number }>(sql`SELECT octet_length(bytes) AS n FROM request_photos WHERE id = ${id}`);
    expect(row.n).toBeGreaterThan(100);
    const restarted = createApp({ database: t.database, tiles: t.tiles });
    const res = await restarted.request(`http://localhost/api/photos/${id}`, { headers: { cookie: worker } });
    expect(res.status).toBe(200);
  });

  it('judges the type by content: a PNG named .txt is accepted, text named .jpg is refused with 415', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    expect((await upload(ticket, form(await png(), 'notes.txt', 'text/plain'))).status).toBe(201);
    const res = await upload(ticket, form(Buffer.from('GIF89a not really a photo'), 'photo.jpg', 'image/jpeg'));
    expect(res.status).toBe(415);
    expect((await res.json()).error).toMatch(/JPEG, PNG or WebP/);
  });

  it('refuses a photo over 8 MB with 413 and stores nothing', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const huge = new Uint8Array(maxPhotoBytes + 200 * 1024);
    huge.set([0xff, 0xd8, 0xff]);
    const res = await upload(ticket, form(huge));
    expect(res.status).toBe(413);
    const [n] = await t.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM request_photos p JOIN requests r ON r.id = p.request_id WHERE r.ticket = ${ticket}`);
    expect(n.n).toBe(0);
  });

  it('refuses an upload without a photo field, or not multipart, with 400', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const f = new FormData();
    f.append('picture', new File([await png()], 'a.png'));
    expect((await upload(ticket, f)).status).toBe(400);
    expect((await call(t, 'POST', `/api/staff/requests/${ticket}/photos`, { cookie: worker, body: { photo: 'x' } })).status).toBe(400);
  });

  it('refuses an unknown kind with 400', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    expect((await upload(ticket, form(await png(), 'a.png', 'image/png', { kind: 'selfie' }))).status).toBe(400);
  });

  it('keeps photos from staff outside the scope (403) and from anyone without a session or token (401)', async () => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    const { id } = await (await upload(ticket, form(await png(), 'a.png', 'image/png'))).json();
    expect((await call(t, 'GET', `/api/photos/${id}`, { cookie: otherWorker })).status).toBe(403);
    expect((await call(t, 'GET', `/api/photos/${id}`)).status).toBe(401);
    expect((await upload(ticket, form(await png()), otherWorker)).status).toBe(403);
    expect((await call(t, 'POST', `/api/staff/requests/${ticket}/photos`, { form: form(await png()) })).status).toBe(401);
  });

  it('serves a photo to the reporter with the ticket token, and refuses another ticket\'s token', async () => {
    const mine = await fileIn(t, 'MS-XSL-G01');
    const other = await fileIn(t, 'MS-XSL-G01');
    const { id } = await (await upload(mine.ticket, form(await png(), 'a.png', 'image/png', { kind: 'outcome' }))).json();
    expect((await t.get(`/api/photos/${id}?token=${mine.reportToken}`)).status).toBe(200);
    expect((await t.get(`/api/photos/${id}?token=${other.reportToken}`)).status).toBe(403);
    expect((await t.get(`/api/photos/${id}?token=${'x'.repeat(32)}`)).status).toBe(403);
  });

  it('answers 404 for a photo that does not exist or a malformed id', async () => {
    expect((await call(t, 'GET', '/api/photos/999999', { cookie: worker })).status).toBe(404);
    expect((await call(t, 'GET', '/api/photos/abc', { cookie: worker })).status).toBe(404);
  });

  it('still refuses other JSON bodies over 64 KB', async () => {
    const res = await t.post('/api/requests', { category: 'other', description: 'x'.repeat(70_000), lon: 113.2, lat: 35.2 });
    expect(res.status).toBe(413);
  });
});
