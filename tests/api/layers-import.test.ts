import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { pointShapefileZip } from '../helpers/shapefile.ts';
import { placeLayers, exportFormats, type PlaceLayer } from '../../api/contract/layers.ts';
import { importLayerFile, type LayerImportOptions } from '../../api/import/layers.ts';
import { exportLayer } from '../../api/import/layer-export.ts';
import { ApiError } from '../../api/errors.ts';

// The place layers in and out (issue 8 §2–3): every format, every layer, each problem by its
// feature and code, all or nothing. Fixtures are made here as offices' files come: Chinese
// headings, GCJ-02 from Amap, swapped columns, a Shapefile written byte by byte, KML.

const utf8 = (text: string) => new TextEncoder().encode(text);
const metres = (a: number[], b: number[]) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

async function workbook(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('表1');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe.each(modes())('importing and exporting place layers on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  const run = (layer: PlaceLayer, bytes: Uint8Array, fileName: string, options: Partial<LayerImportOptions> = {}) =>
    importLayerFile(t.database, bytes, { layer, crs: 'wgs84', actor: 'test', fileName, ...options });
  /** every place table, as one fingerprint: ids, every column, exact coordinates */
  const checksum = async () => (await t.database.rows<{ f: string }>(sql`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(concat_ws(',', id, name, address, microgrid_id, ST_AsEWKB(geom)::text), ';' ORDER BY id) FROM compounds),
      (SELECT string_agg(concat_ws(',', id, compound_id, name, main, ST_AsEWKB(geom)::text), ';' ORDER BY id) FROM gates),
      (SELECT string_agg(concat_ws(',', id, compound_id, number, name, floors, units, use, ST_AsEWKB(geom)::text), ';' ORDER BY id) FROM buildings),
      (SELECT string_agg(concat_ws(',', id, building_id, unit, name, ST_AsEWKB(geom)::text), ';' ORDER BY id) FROM entrances),
      (SELECT string_agg(concat_ws(',', id, category, name, address, phone, opening_hours, activities::text, ST_AsEWKB(geom)::text), ';' ORDER BY id) FROM pois),
      (SELECT string_agg(concat_ws(',', id, name, class, ST_AsEWKB(geom)::text), ';' ORDER BY id) FROM roads))) AS f`))[0].f;
  const count = async (layer: PlaceLayer) => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(layer)}`))[0].n;
  const aPoi = async () => (await t.database.rows<{ id: string; name: string; lon: number; lat: number }>(sql`
    SELECT id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM pois ORDER BY id LIMIT 1`))[0];
  const aBuilding = async () => (await t.database.rows<{ id: string; compound_id: string; lon: number; lat: number }>(sql`
    SELECT id, compound_id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM buildings WHERE compound_id IS NOT NULL ORDER BY id LIMIT 1`))[0];

  it('round trip: every layer of the demo exported as GeoJSON, .xlsx and .csv and imported again changes nothing', async () => {
    const before = await checksum();
    for (const layer of placeLayers) {
      const n = await count(layer);
      for (const format of exportFormats) {
        const bytes = await exportLayer(t.database, layer, format);
        const report = await run(layer, bytes, `${layer}.${format}`);
        expect(report.problems.filter((p) => p.severity === 'error'), `${layer}.${format}`).toEqual([]);
        expect({ layer, format, inserted: report.inserted, updated: report.updated, unchanged: report.unchanged })
          .toEqual({ layer, format, inserted: 0, updated: 0, unchanged: n });
      }
    }
    expect(await checksum()).toBe(before);
  });

  it('reads Chinese headings (名称/类别/经度/纬度) in .xlsx and converts a GCJ-02 point to within a metre of the true one', async () => {
    const poi = await aPoi();
    const gcj = gcoord.transform([poi.lon, poi.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    expect(metres(gcj, [poi.lon, poi.lat])).toBeGreaterThan(100); // the fixture's known offset: hundreds of metres
    const file = await workbook([['编号', '名称', '类别', '电话', '营业时间', '经度', '纬度'],
      ['T-GCJ-1', '高德上标的药店', '药店', '0391-1234567', 'Mo-Su 08:00-22:00', gcj[0], gcj[1]]]);
    const report = await run('pois', file, '服务点.xlsx', { crs: 'gcj02' });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, format: 'xlsx', inserted: 1, updated: 0 });
    const [stored] = await t.database.rows<{ lon: number; lat: number; category: string }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, category FROM pois WHERE id = 'T-GCJ-1'`);
    expect(stored.category).toBe('pharmacy');
    expect(metres([stored.lon, stored.lat], [poi.lon, poi.lat])).toBeLessThan(1);
  });

  it('a CSV without ids gets the same generated ids each time: imported once, unchanged the second time; an edited name updates', async () => {
    const b = await aBuilding();
    const csv = (name: string) => utf8(`楼栋编号,单元,名称,经度,纬度\n${b.id},9,${name},${b.lon},${b.lat}\n`);
    const first = await run('entrances', csv('9单元'), 'units.csv');
    expect(first).toMatchObject({ ok: true, inserted: 1, updated: 0, unchanged: 0 });
    const again = await run('entrances', csv('9单元'), 'units.csv');
    expect(again).toMatchObject({ ok: true, inserted: 0, updated: 0, unchanged: 1 });
    const [row] = await t.database.rows<{ id: string }>(sql`SELECT id FROM entrances WHERE building_id = ${b.id} AND unit = 9`);
    expect(row.id).toMatch(/^IMP-U-[0-9a-f]{12}$/);
    // an id given in the file is kept; changing a field of an existing id updates it
    const renamed = await run('entrances', utf8(`id,buildingId,unit,name,lon,lat\n${row.id},${b.id},9,九单元,${b.lon},${b.lat}\n`), 'units.csv');
    expect(renamed).toMatchObject({ ok: true, inserted: 0, updated: 1 });
    expect((await t.database.rows<{ name: string }>(sql`SELECT name FROM entrances WHERE id = ${row.id}`))[0].name).toBe('九单元');
  });

  it('reports each problem by row, field and code, and imports nothing when one is an error', async () => {
    const b = await aBuilding();
    const before = await checksum();
    const csv = utf8([
      'id,compoundId,name,main,lon,lat',
      `T-G1,${b.compound_id},东门,是,${b.lon},${b.lat}`, // fine
      `T-G2,${b.compound_id},,否,${b.lon},${b.lat}`, // no name
      `T-G3,NO-SUCH-COMPOUND,西门,否,${b.lon},${b.lat}`, // unknown parent
      `T-G1,${b.compound_id},南门,否,${b.lon},${b.lat}`, // the id again
      `T-G5,${b.compound_id},北门,也许,${b.lon},${b.lat}`, // not yes/no
      `T-G6,${b.compound_id},侧门,否,${b.lat},${b.lon}`, // latitude and longitude swapped
    ].join('\n'));
    const report = await run('gates', csv, 'gates.csv');
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.n, p.field, p.code])).toEqual([
      [3, 'name', 'layer_missing_field'], [4, 'compoundId', 'layer_unknown_parent'], [5, 'id', 'layer_duplicate_id'],
      [6, 'main', 'layer_bad_value'], [7, 'geometry', 'layer_swapped_coordinates'],
    ]);
    expect(report.problems[0].message).toMatch(/^row 3 \(T-G2\): name is empty/);
    expect(report.problems[1]).toMatchObject({ id: 'T-G3', value: 'NO-SUCH-COMPOUND' });
    expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
    expect(await checksum()).toBe(before);
  });

  it('refuses an invalid polygon with PostGIS\'s reason, and bad opening hours; nothing is written', async () => {
    const b = await aBuilding();
    const before = await checksum();
    const d = 0.0002;
    const bowtie = { type: 'Polygon', coordinates: [[[b.lon, b.lat], [b.lon + d, b.lat + d], [b.lon + d, b.lat], [b.lon, b.lat + d], [b.lon, b.lat]]] };
    const report = await run('buildings', utf8(JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 'T-B1', number: '99号楼', compoundId: b.compound_id }, geometry: bowtie },
    ] })), 'b.geojson');
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ n: 1, id: 'T-B1', code: 'layer_bad_geometry', message: expect.stringMatching(/Self-intersection/) })]);
    const hours = await run('pois', utf8(`名称,类别,营业时间,经度,纬度\n便民店,shop,周一到周五九点,${b.lon},${b.lat}\n`), 'p.csv');
    expect(hours.problems).toEqual([expect.objectContaining({ n: 2, field: 'openingHours', code: 'layer_bad_opening_hours' })]);
    expect(await checksum()).toBe(before);
  });

  it('a point outside every street is imported and reported, not dropped; a dry run writes nothing', async () => {
    const far = utf8('名称,类别,经度,纬度\n远方的诊所,clinic,116.40,39.90\n');
    const dry = await run('pois', far, 'far.csv', { dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, inserted: 1 });
    expect(dry.problems).toEqual([expect.objectContaining({ n: 2, code: 'layer_outside_streets', severity: 'warning' })]);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM pois WHERE name = '远方的诊所'`))[0].n).toBe(0);
    const real = await run('pois', far, 'far.csv');
    expect(real).toMatchObject({ ok: true, dryRun: false, inserted: 1 });
    expect(real.problems.map((p) => p.code)).toEqual(['layer_outside_streets']);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM pois WHERE name = '远方的诊所'`))[0].n).toBe(1);
  });

  it('--parent gives buildings without a compound theirs; --map names columns of any heading', async () => {
    const b = await aBuilding();
    const d = 0.00005;
    const square = `POLYGON((${b.lon} ${b.lat}, ${b.lon + d} ${b.lat}, ${b.lon + d} ${b.lat + d}, ${b.lon} ${b.lat + d}, ${b.lon} ${b.lat}))`;
    const csv = utf8(`楼名,形状\n车棚,"${square}"\n`);
    const unmapped = await run('buildings', csv, 'b.csv');
    expect(unmapped.problems.map((p) => p.code)).toEqual(['layer_missing_field', 'layer_bad_geometry']);
    const report = await run('buildings', csv, 'b.csv', { mapping: { number: '楼名', geometry: '形状' }, parent: b.compound_id });
    expect(report.problems).toEqual([]);
    expect(report.inserted).toBe(1);
    const [row] = await t.database.rows<{ compound_id: string; use: string }>(sql`SELECT compound_id, use FROM buildings WHERE number = '车棚'`);
    expect(row).toEqual({ compound_id: b.compound_id, use: 'residential' });
  });

  it('reads a zipped Shapefile and a KML file', async () => {
    const b = await aBuilding();
    const zip = pointShapefileZip([{ lon: b.lon, lat: b.lat, values: { NAME: '共享工具箱', CATEGORY: '共享工具箱' } }]);
    const shp = await run('pois', zip, 'pois.zip');
    expect(shp.problems).toEqual([]);
    expect(shp).toMatchObject({ ok: true, format: 'shp', inserted: 1 });
    const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
      <Placemark><name>新开的门</name><ExtendedData><Data name="compoundId"><value>${b.compound_id}</value></Data></ExtendedData>
      <Point><coordinates>${b.lon},${b.lat},0</coordinates></Point></Placemark></Document></kml>`;
    const report = await run('gates', utf8(kml), 'gates.kml');
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, format: 'kml', inserted: 1 });
  });

  it('a file that is not what its name says, or of a kind not read, is refused with its code', async () => {
    await expect(run('pois', utf8('not json'), 'x.geojson')).rejects.toMatchObject({ code: 'import_unreadable' });
    await expect(run('pois', utf8('PK nonsense'), 'x.zip')).rejects.toMatchObject({ code: 'import_unreadable' });
    await expect(run('pois', utf8('x'), 'x.docx')).rejects.toBeInstanceOf(ApiError);
    await expect(run('pois', utf8('x'), 'x.docx')).rejects.toMatchObject({ code: 'unsupported_format' });
    await expect(run('pois', utf8('a,b\n1,2\n'), 'x.csv', { mapping: { name: 'nope' } })).rejects.toMatchObject({ code: 'invalid_value', details: { field: 'mapping' } });
  });

  it('imports a 50,000-row CSV of service points in one transaction', async () => {
    const b = await aBuilding();
    const lines = ['name,category,lon,lat'];
    for (let i = 0; i < 50_000; i++) lines.push(`批量服务点${i},shop,${(b.lon + (i % 250) * 1e-5).toFixed(7)},${(b.lat + Math.floor(i / 250) * 1e-5).toFixed(7)}`);
    const before = await count('pois');
    const report = await run('pois', utf8(lines.join('\n')), 'many.csv');
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ ok: true, inserted: 50_000 });
    expect(await count('pois')).toBe(before + 50_000);
  }, 180_000);
});
