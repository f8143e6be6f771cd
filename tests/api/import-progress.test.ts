import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../api/db/client.ts';
import { emptyDatabaseFor, modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { runScript } from '../helpers/server.ts';
import { call, pointIn, signIn } from '../helpers/staff.ts';
import { pointShapefileZip, polygonShapefileZip, wgs84Prj } from '../helpers/shapefile.ts';
import type { ImportJob, ImportProgress } from '../../api/contract/layers.ts';
import { importLayerFile } from '../../api/import/layers.ts';
import { importAreas } from '../../api/import/areas.ts';
import { readFeatureCollection } from '../../api/import/formats/index.ts';

// Imports from the console as jobs with a progress bar, imports scoped to a secretary's
// community, and the files offices send that were not tested yet: BD-09 from Baidu, a .dbf in
// GBK without a .cpg, a polygon Shapefile of areas, the command line's --dry-run (issue 8 §2–4).

const utf8 = (text: string) => new TextEncoder().encode(text);
const metres = (a: number[], b: number[]) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

/**
 * WGS84 → BD-09 by the published forward formulas (WGS84 → GCJ-02, the Krasovsky-ellipsoid
 * offset; GCJ-02 → BD-09, Baidu's rotation), written here from their definitions so the import's
 * inverse (gcoord) is checked against arithmetic it did not do.
 */
function wgs84ToBd09([lon, lat]: number[]): number[] {
  const a = 6378245;
  const ee = 0.006693421622965943;
  const x = lon - 105;
  const y = lat - 35;
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
    + ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
    + ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
    + ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
    + ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
    + ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
    + ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - ee * Math.sin(radLat) ** 2;
  dLat = (dLat * 180) / (((a * (1 - ee)) / (magic * Math.sqrt(magic))) * Math.PI);
  dLon = (dLon * 180) / ((a / Math.sqrt(magic)) * Math.cos(radLat) * Math.PI);
  const [gx, gy] = [lon + dLon, lat + dLat];
  const z = Math.sqrt(gx * gx + gy * gy) + 0.00002 * Math.sin((gy * Math.PI * 3000) / 180);
  const theta = Math.atan2(gy, gx) + 0.000003 * Math.cos((gx * Math.PI * 3000) / 180);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** A square of buildings, `n` of them, 30 m apart, each a 15 m square in the compound `compound`. */
function buildingsFile(n: number, origin: number[], compound: string): Uint8Array {
  const side = Math.ceil(Math.sqrt(n));
  const step = 0.0003;
  const features = Array.from({ length: n }, (_, i) => {
    const [x, y] = [origin[0] + (i % side) * step, origin[1] + Math.floor(i / side) * step];
    const d = step / 2;
    return {
      type: 'Feature', properties: { id: `JOB-B${i}`, compoundId: compound, number: `${(i % 40) + 1}号楼` },
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
    };
  });
  return utf8(JSON.stringify({ type: 'FeatureCollection', features }));
}

describe.each(modes())('imports with progress, in scope, from offices\' files on %s', (mode) => {
  let t: TestApp;
  let admin: string;
  let secretary: string;
  let community: string;
  const form = (bytes: Uint8Array, name: string, fields: Record<string, string>) => {
    const f = new FormData();
    f.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return f;
  };
  /** Polls the job as the console does until it ends; answers every state seen. */
  const follow = async (cookie: string, first: ImportJob) => {
    const seen = [first];
    let job = first;
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      const res = await call(t, 'GET', `/api/admin/import/jobs/${job.id}`, { cookie });
      expect(res.status).toBe(200);
      job = (await res.json()).job;
      seen.push(job);
    }
    return seen;
  };

  beforeAll(async () => {
    t = await openTestApp(mode);
    admin = await signIn(t, 'admin');
    secretary = await signIn(t, 'xsl-shuji');
    [{ community }] = await t.database.rows<{ community: string }>(sql`SELECT area_id AS community FROM staff WHERE id = 'MS-S005'`);
  });
  afterAll(async () => { await t?.close(); });

  it('runs an import as a job: 202 at once, then read → check → write with rows done of total, never going back; done with its report', async () => {
    const [c] = await t.database.rows<{ id: string; lon: number; lat: number }>(sql`
      SELECT c.id, ST_X(ST_PointOnSurface(c.geom)) AS lon, ST_Y(ST_PointOnSurface(c.geom)) AS lat FROM compounds c ORDER BY id LIMIT 1`);
    const n = 2500; // three chunks of 1,000 rows: progress is told between them
    const started = await call(t, 'POST', '/api/admin/import/jobs', { cookie: admin, form: form(buildingsFile(n, [c.lon, c.lat], c.id), '楼栋.geojson', { layer: 'buildings' }) });
    expect(started.status).toBe(202);
    const seen = await follow(admin, (await started.json()).job);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ state: 'done', layer: 'buildings', fileName: '楼栋.geojson', report: { ok: true, inserted: n } });
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM buildings WHERE id LIKE 'JOB-B%'`))[0].n).toBe(n);
    // the page saw the import move while it ran (answered from memory: on PGlite the database is the import's
    // until it commits), forward only; the row any other process answers from is the same
    expect(seen.some((s) => s.state === 'running' && (s.phase !== 'read' || s.done > 0)), JSON.stringify(seen.map((s) => [s.state, s.phase, s.done]))).toBe(true);
    const order = ['read', 'check', 'write'];
    for (const [a, b] of seen.slice(1).map((s, i) => [seen[i], s])) {
      expect(order.indexOf(b.phase) > order.indexOf(a.phase) || (b.phase === a.phase && b.done >= a.done), `${a.phase} ${a.done} → ${b.phase} ${b.done}`).toBe(true);
    }
    const row = async () => (await t.database.rows<{ state: string; report: { inserted: number } }>(sql`SELECT state, report FROM import_jobs WHERE id = ${last.id}`))[0];
    await expect.poll(row).toMatchObject({ state: 'done', report: { inserted: n } }); // on PGlite the page hears first, the row follows
    // another administrator does not see it
    expect(await (await call(t, 'GET', `/api/admin/import/jobs/${last.id}`, { cookie: secretary })).json()).toMatchObject({ code: 'import_job_not_found' });

    // every step told, in order, each chunk's rows: what the bar draws
    const told: ImportProgress[] = [];
    await importLayerFile(t.database, buildingsFile(n, [c.lon, c.lat], c.id), { layer: 'buildings', crs: 'wgs84', actor: 'test', fileName: 'b.geojson', onProgress: (p) => told.push({ ...p }) });
    expect(told.map((p) => `${p.phase} ${p.done}/${p.total}`)).toEqual([
      'read 0/0', 'read 0/2500', 'read 1000/2500', 'read 2000/2500',
      'check 0/2500', 'check 500/2500', 'check 1000/2500', 'check 1250/2500', 'check 1750/2500', 'check 2250/2500', 'check 2500/2500',
    ]); // all unchanged the second time: nothing to write
  });

  it('a refused file ends the job as refused with every problem, and nothing written; an unreadable one as failed with its code', async () => {
    const bad = utf8('名称,类别,经度,纬度\n新药房,药店,113.2,35.2\n没有类别,,113.2,35.2\n');
    const refused = await follow(admin, (await (await call(t, 'POST', '/api/admin/import/jobs', { cookie: admin, form: form(bad, 'p.csv', { layer: 'pois' }) })).json()).job);
    expect(refused.at(-1)).toMatchObject({ state: 'refused', report: { ok: false, problems: [expect.objectContaining({ n: 3, code: 'layer_missing_field' })] } });
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM pois WHERE name = '新药房'`))[0].n).toBe(0);
    const broken = await follow(admin, (await (await call(t, 'POST', '/api/admin/import/jobs', { cookie: admin, form: form(utf8('{"type":'), 'x.geojson', { layer: 'pois' }) })).json()).job);
    expect(broken.at(-1)).toMatchObject({ state: 'failed', error: { code: 'import_unreadable' } });
  });

  it('a secretary imports places inside their community only: anything outside, or replacing a place outside, refuses the file by feature', async () => {
    const inside = await pointIn(t, community);
    const [other] = await t.database.rows<{ id: string }>(sql`SELECT id FROM areas WHERE level = 'community' AND id <> ${community} ORDER BY id LIMIT 1`);
    const outside = await pointIn(t, other.id);
    const [stranger] = await t.database.rows<{ id: string }>(sql`
      SELECT p.id FROM pois p, areas a WHERE a.id = ${community} AND NOT ST_Covers(a.geom, p.geom) ORDER BY p.id LIMIT 1`);
    const csv = (rows: string[]) => utf8(`编号,名称,类别,经度,纬度\n${rows.join('\n')}\n`);
    const mine = `SCOPE-1,社区药房,药店,${inside.lon},${inside.lat}`;

    const res = await call(t, 'POST', '/api/admin/import', { cookie: secretary, form: form(csv([mine, `SCOPE-2,别处药房,药店,${outside.lon},${outside.lat}`, `${stranger.id},搬进来,药店,${inside.lon},${inside.lat}`]), 'p.csv', { layer: 'pois' }) });
    expect(res.status).toBe(422);
    expect((await res.json()).problems).toEqual([
      expect.objectContaining({ n: 3, id: 'SCOPE-2', code: 'layer_outside_scope', severity: 'error', value: community }),
      expect.objectContaining({ n: 4, id: stranger.id, code: 'layer_outside_scope', message: expect.stringMatching(/replaces .* outside your community/) }),
    ]);
    expect((await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM pois WHERE id LIKE 'SCOPE-%'`))[0].n).toBe(0);

    const ok = await call(t, 'POST', '/api/admin/import', { cookie: secretary, form: form(csv([mine]), 'p.csv', { layer: 'pois' }) });
    expect(ok.status).toBe(201);
    expect((await ok.json()).report).toMatchObject({ inserted: 1 });
    // the street administrator, as before, anywhere in the street; a grid worker not at all
    const street = await call(t, 'POST', '/api/admin/import', { cookie: admin, form: form(csv([`SCOPE-2,别处药房,药店,${outside.lon},${outside.lat}`]), 'p.csv', { layer: 'pois' }) });
    expect(street.status).toBe(201);
    const worker = await signIn(t, 'xsl-g01-zhao');
    expect((await call(t, 'POST', '/api/admin/import', { cookie: worker, form: form(csv([mine]), 'p.csv', { layer: 'pois' }) })).status).toBe(403);
  });

  it('a secretary imports the grids of their community through the API; a grid of another community refuses the file by feature', async () => {
    type Row = { id: string; name: string; parentId: string; geometry: string };
    const grids = await t.database.rows<Row>(sql`
      SELECT id, name, parent_id AS "parentId", ST_AsGeoJSON(geom) AS geometry FROM areas WHERE level = 'grid' AND parent_id = ${community} ORDER BY id`);
    const [foreign] = await t.database.rows<Row>(sql`
      SELECT id, name, parent_id AS "parentId", ST_AsGeoJSON(geom) AS geometry FROM areas WHERE level = 'grid' AND parent_id <> ${community} ORDER BY id LIMIT 1`);
    const file = (areas: Row[]) => utf8(JSON.stringify({ type: 'FeatureCollection', features: areas.map((a) => (
      { type: 'Feature', properties: { id: a.id, level: 'grid', name: a.name, parentId: a.parentId }, geometry: JSON.parse(a.geometry) })) }));
    const refused = await call(t, 'POST', '/api/admin/import/areas', { cookie: secretary, form: form(file([...grids, foreign]), '网格.geojson', { dryRun: 'true' }) });
    expect(refused.status).toBe(422);
    expect((await refused.json()).problems).toEqual([expect.objectContaining({ kind: 'scope', areaIds: [foreign.id] })]);
    const ok = await call(t, 'POST', '/api/admin/import/areas', { cookie: secretary, form: form(file(grids), '网格.geojson', { dryRun: 'true' }) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).report).toMatchObject({ ok: true, dryRun: true, errors: [], updated: grids.map((g) => g.id) });
    const street = await call(t, 'POST', '/api/admin/import/areas', { cookie: admin, form: form(file([foreign]), '网格.geojson', { dryRun: 'true' }) });
    expect(street.status).toBe(200); // the street administrator, anywhere
  });

  it("the console's area import reads a file with its own column names through map, level and parentId, as the command line does", async () => {
    type Row = { id: string; name: string; geometry: string };
    const grids = await t.database.rows<Row>(sql`
      SELECT id, name, ST_AsGeoJSON(geom) AS geometry FROM areas WHERE level = 'grid' AND parent_id = ${community} ORDER BY id`);
    // as exported from a web map: 编码 and 名称, no level, no parent
    const file = utf8(JSON.stringify({ type: 'FeatureCollection', features: grids.map((g) => (
      { type: 'Feature', properties: { 编码: g.id, 名称: g.name }, geometry: JSON.parse(g.geometry) })) }));
    const send = (fields: Record<string, string>) => call(t, 'POST', '/api/admin/import/areas', { cookie: admin, form: form(file, '网格.geojson', fields) });
    const unnamed = await send({ dryRun: 'true' });
    expect(unnamed.status).toBe(422);
    expect((await unnamed.json()).report.ok).toBe(false);
    const bad = await send({ dryRun: 'true', map: 'colour=编码' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_value', field: 'map' });
    const named = await send({ dryRun: 'true', map: 'id=编码,name=名称', level: 'grid', parentId: community });
    expect(named.status).toBe(200);
    expect((await named.json()).report).toMatchObject({ ok: true, dryRun: true, errors: [], updated: grids.map((g) => g.id) });
  });

  it('BD-09 from Baidu: points converted from known WGS84 positions are stored within 1 m of them', async () => {
    const truth = [await pointIn(t, community), await pointIn(t, 'MS-XSL-G01')].map((p) => [p.lon, p.lat]);
    const rows = truth.map((p, i) => { const [x, y] = wgs84ToBd09(p); return `BD-${i},百度点${i},药店,${x.toFixed(7)},${y.toFixed(7)}`; });
    expect(metres(truth[0], wgs84ToBd09(truth[0]))).toBeGreaterThan(300); // the fixture is shifted as Baidu shifts it
    const report = await importLayerFile(t.database, utf8(`编号,名称,类别,经度,纬度\n${rows.join('\n')}\n`), { layer: 'pois', crs: 'bd09', actor: 'test', fileName: 'baidu.csv' });
    expect(report).toMatchObject({ ok: true, inserted: 2 });
    const stored = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM pois WHERE id LIKE 'BD-%' ORDER BY id`);
    stored.forEach((s, i) => expect(metres([s.lon, s.lat], truth[i])).toBeLessThan(1));
  });

  it('a Shapefile whose .dbf is GBK with no .cpg (as Chinese GIS tools write it) reads its Chinese names right', async () => {
    const p = await pointIn(t, community);
    const gbk = { 社区药店: [0xc9, 0xe7, 0xc7, 0xf8, 0xd2, 0xa9, 0xb5, 0xea], 药店: [0xd2, 0xa9, 0xb5, 0xea] };
    expect(new TextDecoder('gbk').decode(new Uint8Array(gbk.社区药店))).toBe('社区药店'); // the fixture's bytes are GBK
    const zip = pointShapefileZip([{ lon: p.lon, lat: p.lat, values: { id: 'GBK-1', name: new Uint8Array(gbk.社区药店), category: new Uint8Array(gbk.药店) } }], { cpg: null });
    const report = await importLayerFile(t.database, zip, { layer: 'pois', crs: 'wgs84', actor: 'test', fileName: 'gbk.zip' });
    expect(report).toMatchObject({ ok: true, inserted: 1 });
    expect(await t.database.rows(sql`SELECT name, category FROM pois WHERE id = 'GBK-1'`)).toEqual([{ name: '社区药店', category: 'pharmacy' }]);
  });
});

// the command line on native PostgreSQL only: a script opening a fresh PGlite directory spends
// half a minute migrating it, the same checks run on both engines above
describe.runIf(modes().includes('postgres'))('the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridmap-import-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run import:areas reads a polygon Shapefile (.shp, .shx, .dbf, .prj; a GBK name): --dry-run exits 1 on a refused file, 0 on a good one, and writes nothing', async () => {
    const square = (x0: number, x1: number) => [[x0, 35.2], [x1, 35.2], [x1, 35.22], [x0, 35.22], [x0, 35.2]];
    const gbk = (...bytes: number[]) => new Uint8Array(bytes);
    writeFileSync(join(dir, 'areas.zip'), polygonShapefileZip([
      { ring: square(113.2, 113.22), values: { id: 'CLI-S', level: 'street', name: gbk(0xd1, 0xa7, 0xc9, 0xfa, 0xc2, 0xb7) } }, // 学生路
      { ring: square(113.2, 113.21), values: { id: 'CLI-C1', level: 'community', name: 'C1', parentId: 'CLI-S' } },
      { ring: square(113.21, 113.22), values: { id: 'CLI-C2', level: 'community', name: 'C2', parentId: 'CLI-S' } },
    ], { prj: wgs84Prj }));
    writeFileSync(join(dir, 'orphans.zip'), polygonShapefileZip([{ ring: square(113.2, 113.21), values: { id: 'CLI-X1', level: 'community', name: 'X', parentId: 'CLI-NONE' } }]));
    const empty = await emptyDatabaseFor('postgres');
    try {
      const refused = await runScript('scripts/import-areas.ts', [join(dir, 'orphans.zip'), '--dry-run'], empty.env);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toMatch(/CLI-X1's parent "CLI-NONE" is neither in this file nor in the database/);
      const dry = await runScript('scripts/import-areas.ts', [join(dir, 'areas.zip'), '--dry-run'], empty.env);
      expect(dry.code, dry.output).toBe(0);
      expect(dry.output).toMatch(/dry run[\s\S]*inserted: 3; 更新 updated: 0/);
      const database = await openDatabase({ url: empty.env.DATABASE_URL, migrate: false });
      try {
        expect(await database.rows(sql`SELECT id FROM areas`)).toEqual([]); // the dry run wrote nothing
        // and the same file imported for real: its GBK name read right
        const report = await importAreas(database, await readFeatureCollection(readFileSync(join(dir, 'areas.zip')), 'areas.zip'), { crs: 'wgs84' });
        expect(report).toMatchObject({ ok: true, errors: [], warnings: [] }); // no clockwise-ring warnings: ESRI's rings are rewound on reading
        expect([...report.inserted].sort()).toEqual(['CLI-C1', 'CLI-C2', 'CLI-S']);
        expect(await database.rows(sql`SELECT id, name, parent_id AS "parentId" FROM areas ORDER BY id`)).toEqual([
          { id: 'CLI-C1', name: 'C1', parentId: 'CLI-S' }, { id: 'CLI-C2', name: 'C2', parentId: 'CLI-S' }, { id: 'CLI-S', name: '学生路', parentId: null },
        ]);
      } finally {
        await database.close();
      }
    } finally {
      await empty.drop();
    }
  }, 60_000);
});
