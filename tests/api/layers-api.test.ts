import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../api/db/client.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { runScript, startServer, until } from '../helpers/server.ts';
import { call, signIn } from '../helpers/staff.ts';
import { freePort } from '../helpers/ports.ts';

// The console's side of the place layers (issue 8 §2): preview, import all or nothing (audited),
// export; and the walking network rebuilt when roads change — in this server at once, and in
// every other server on the same database through the NOTIFY (api/server.ts).

/** Somewhere inside the street, at least 400 m from every road: no path there until one is imported. */
async function pathlessPlace(t: TestApp) {
  const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
    SELECT ST_X(ST_Centroid(a.geom)) + 0.05 AS lon, ST_Y(ST_Centroid(a.geom)) AS lat FROM areas a WHERE level = 'street' ORDER BY id LIMIT 1`);
  const [{ far }] = await t.database.rows<{ far: boolean }>(sql`
    SELECT NOT EXISTS (SELECT 1 FROM roads WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)::geography, 1000)) AS far`);
  expect(far, 'the fixture lies away from every road').toBe(true);
  return { from: `${p.lon},${p.lat}`, to: `${p.lon + 0.003},${p.lat}`, csv: `id,name,class,geometry\nT-R-NEW,新修的小路,footway,"LINESTRING(${p.lon} ${p.lat}, ${p.lon + 0.0015} ${p.lat}, ${p.lon + 0.003} ${p.lat})"\n` };
}

describe.each(modes())('the place layers through the API on %s', (mode) => {
  let t: TestApp;
  let admin: string;
  let secretary: string;
  const form = (file: Blob, name: string, fields: Record<string, string>) => {
    const f = new FormData();
    f.set('file', file, name);
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return f;
  };
  beforeAll(async () => {
    t = await openTestApp(mode);
    admin = await signIn(t, 'admin');
    secretary = await signIn(t, 'xsl-shuji');
  });
  afterAll(async () => { await t?.close(); });

  it('previews a CSV with Chinese headings: columns, the mapping found, features for the map, problems; nothing written', async () => {
    const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM pois ORDER BY id LIMIT 1`);
    const csv = `名称,类别,联系电话,经度,纬度\n新药房,药店,0391-7654321,${p.lon},${p.lat}\n没有类别,,,${p.lon},${p.lat}\n`;
    const res = await call(t, 'POST', '/api/admin/import/preview', { cookie: admin, form: form(new Blob([csv]), '服务点.csv', { layer: 'pois', crs: 'wgs84' }) });
    expect(res.status).toBe(200);
    const { preview } = await res.json();
    expect(preview.columns).toEqual(['名称', '类别', '联系电话', '经度', '纬度']);
    expect(preview.suggested).toEqual({ name: '名称', category: '类别', phone: '联系电话', lon: '经度', lat: '纬度' });
    expect(preview.features.features).toHaveLength(1); // the row without a category is listed as a problem, not drawn
    expect(preview.features.features[0].geometry.coordinates).toEqual([p.lon, p.lat]);
    expect(preview.report.problems).toEqual([expect.objectContaining({ n: 3, field: 'category', code: 'layer_missing_field' })]);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM pois WHERE name = '新药房'`))[0].n).toBe(0);
  });

  it('imports all or nothing: 422 import_problems with every problem, then 201 with the report, audited', async () => {
    const [b] = await t.database.rows<{ id: string; lon: number; lat: number }>(sql`
      SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM buildings ORDER BY id LIMIT 1`);
    const bad = `楼栋编号,单元,经度,纬度\n${b.id},7,${b.lon},${b.lat}\nNO-SUCH-BUILDING,8,${b.lon},${b.lat}\n`;
    const refused = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(new Blob([bad]), 'units.csv', { layer: 'entrances' }) });
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.code).toBe('import_problems');
    expect(body.problems).toEqual([expect.objectContaining({ n: 3, code: 'layer_unknown_parent', value: 'NO-SUCH-BUILDING' })]);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM entrances WHERE building_id = ${b.id} AND unit = 7`))[0].n).toBe(0);

    const good = `单元,经度,纬度\n7,${b.lon},${b.lat}\n`;
    const res = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(new Blob([good]), 'units.csv', { layer: 'entrances', parent: b.id, mapping: JSON.stringify({ unit: '单元' }) }) });
    expect(res.status).toBe(201);
    expect((await res.json()).report).toMatchObject({ ok: true, inserted: 1, updated: 0, layer: 'entrances' });
    const [event] = await t.database.rows<{ actor: string; action: string; subject: string; note: string }>(sql`
      SELECT actor, action, subject, note FROM admin_events ORDER BY id DESC LIMIT 1`);
    expect(event).toMatchObject({ actor: 'admin', action: 'layer_imported', subject: 'entrances', note: expect.stringMatching(/units\.csv: 1 inserted/) });
  });

  it('refuses what it should, each with its code: a grid worker, a file too large (413), an unknown layer or format, a wrong mapping', async () => {
    const csv = new Blob(['name,category,lon,lat\n']);
    expect((await call(t, 'POST', '/api/admin/import', { cookie: await signIn(t, 'xsl-g01-zhao'), form: form(csv, 'p.csv', { layer: 'pois' }) })).status).toBe(403); // secretaries: in their community (import-progress.test.ts)
    expect((await call(t, 'POST', '/api/admin/import', { form: form(csv, 'p.csv', { layer: 'pois' }) })).status).toBe(401);
    const huge = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(new Blob([new Uint8Array(21 * 1024 * 1024)]), 'huge.csv', { layer: 'pois' }) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'body_too_large', maximum: 20 * 1024 * 1024 });
    const layer = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(csv, 'p.csv', { layer: 'trees' }) });
    expect(layer.status).toBe(400);
    expect(await layer.json()).toMatchObject({ code: 'invalid_value', field: 'layer' });
    expect((await (await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(csv, 'p.docx', { layer: 'pois' }) })).json()).code).toBe('unsupported_format');
    const mapping = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(csv, 'p.csv', { layer: 'pois', mapping: 'colour=name' }) });
    expect(await mapping.json()).toMatchObject({ code: 'invalid_value', field: 'mapping' });
    expect((await call(t, 'GET', '/api/admin/export/trees.geojson', { cookie: admin })).status).toBe(400);
    expect((await (await call(t, 'GET', '/api/admin/export/pois.docx', { cookie: admin })).json()).code).toBe('unsupported_format');
  });

  it('exports each layer as GeoJSON, .xlsx and .csv to administrators', async () => {
    const geojson = await call(t, 'GET', '/api/admin/export/gates.geojson', { cookie: secretary });
    expect(geojson.status).toBe(200);
    const [{ n }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM gates`);
    expect((await geojson.json()).features).toHaveLength(n);
    const csv = await call(t, 'GET', '/api/admin/export/roads.csv', { cookie: admin });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM: Excel then reads UTF-8
    expect(new TextDecoder().decode(bytes).split('\r\n')[0]).toBe('id,name,class,geometry');
    const xlsx = await call(t, 'GET', '/api/admin/export/buildings.xlsx', { cookie: admin });
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // a zip: PK
    expect((await call(t, 'GET', '/api/admin/export/pois.csv')).status).toBe(401);
  });

  it('a road imported through the console is walked at once: a route that did not exist is found', async () => {
    const place = await pathlessPlace(t);
    const before = await t.get(`/api/route?from=${place.from}&to=${place.to}`);
    expect(before.status).toBe(422);
    const res = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(new Blob([place.csv]), 'roads.csv', { layer: 'roads' }) });
    expect(res.status).toBe(201);
    const after = await t.get(`/api/route?from=${place.from}&to=${place.to}`);
    expect(after.status).toBe(200);
    expect((await after.json()).meters).toBeGreaterThan(200);
  });
});

// Another server on the same PostgreSQL database learns of the roads by NOTIFY, without a restart.
describe.runIf(modes().includes('postgres'))('roads imported by npm run import reach a running server', () => {
  const templateUrl = () => inject('postgresTemplateUrl')!;
  const name = `l_${randomBytes(6).toString('hex')}`;
  let url: string;
  let server: ReturnType<typeof startServer>;
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    const admin = await openDatabase({ url: templateUrl().replace(/\/gridmap_template$/, '/postgres'), migrate: false });
    await admin.db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE gridmap_template`));
    await admin.close();
    url = templateUrl().replace(/\/gridmap_template$/, `/${name}`);
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = startServer({ PORT: String(port), DATABASE_URL: url });
    await until(() => /ready in/.test(server.output()), 120_000);
    t = await openTestApp('postgres'); // only to find a place with no path (same demo data)
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await t?.close();
    const admin = await openDatabase({ url: templateUrl().replace(/\/gridmap_template$/, '/postgres'), migrate: false });
    await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin.close();
  });

  it('the server finds the new path after the CLI imports it', async () => {
    const place = await pathlessPlace(t);
    const route = () => fetch(`${base}/api/route?from=${place.from}&to=${place.to}`);
    expect((await route()).status).toBe(422);
    const file = join(mkdtempSync(join(tmpdir(), 'gridmap-roads-')), 'roads.csv');
    writeFileSync(file, place.csv);
    const run = await runScript('scripts/import.ts', ['roads', file], { DATABASE_URL: url });
    expect(run.output).toMatch(/inserted 1/);
    expect(run.code).toBe(0);
    await until(() => /walking network rebuilt/.test(server.output()), 30_000);
    expect((await route()).status).toBe(200);
  });
});
