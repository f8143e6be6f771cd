/**
 * npm run bench — figures for the foundation, each beside a baseline measured in the same run:
 *   1. filing one request (POST /api/requests inside the app) vs the bare indexed ST_Covers lookup
 *   2. bulk assignment of 100k random points: in-memory AreaIndex vs the plain PostGIS join
 *   3. tiles: a warm z14 tile from the cache, a cold one cut by geojson-vt, vs ST_AsMVT (native only)
 * on embedded PGlite and, when installed, native PostgreSQL + PostGIS on a private cluster.
 * Points come from a seeded generator, so runs compare.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createApp } from '../api/app.ts';
import { noLimits } from '../api/guard/limits.ts';
import { ApiError } from '../api/errors.ts';
import { fileRequest } from '../api/loop/file.ts';
import { openDatabase, type Database } from '../api/db/client.ts';
import { loadDemoData } from '../api/demo/seed.ts';
import { AreaIndex } from '../api/geo/area-index.ts';
import { TileIndex } from '../api/tiles/tile-index.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { makeCounty } from './bench/county.ts';
import { mulberry32 as random } from './lib/random.ts';
import { pct, timeEach } from './lib/timing.ts';

const filings = Number(process.env.BENCH_FILINGS ?? 2000);
const bulkPoints = Number(process.env.BENCH_POINTS ?? 100_000);

const ms = (x: number) => `${x.toFixed(3)} ms`;
const rate = (n: number, millis: number) => `${Math.round((n / millis) * 1000).toLocaleString('en')} points/s`;

async function extent(database: Database) {
  const [b] = await database.rows<{ w: number; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(x) w, ST_YMin(x) s, ST_XMax(x) e, ST_YMax(x) n FROM (SELECT ST_Extent(geom)::geometry x FROM areas) b`);
  return b;
}

async function benchFiling(label: string, database: Database) {
  const tiles = await TileIndex.build(database);
  const app = createApp({ database, tiles, limits: noLimits }) // one address files for many;
  const b = await extent(database);
  const next = random(7);
  const point = () => [b.w + (b.e - b.w) * next(), b.s + (b.n - b.s) * next()];
  for (let i = 0; i < 50; i++) { // warm-up: plans cached, ST_Covers caches built
    const [lon, lat] = point();
    await database.rows(sql`SELECT id FROM areas WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`);
  }
  const base = await timeEach(filings, async () => {
    const [lon, lat] = point();
    await database.rows(sql`SELECT id FROM areas WHERE level = 'grid' AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`);
  });
  const filed = await timeEach(filings, async () => {
    const [lon, lat] = point();
    const res = await app.request('http://bench/api/requests', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street_light', description: '基准测试：路灯不亮', lon, lat }),
    });
    if (res.status !== 201 && res.status !== 422) throw new Error(`filing answered ${res.status}`);
  });
  const statement = await timeEach(filings, async () => {
    const [lon, lat] = point();
    await fileRequest(database, { category: 'street_light', description: '基准测试：路灯不亮', lon, lat }).catch((e) => {
      if (!(e instanceof ApiError)) throw e; // 422 outside every street: timed all the same
    });
  });
  console.log(`[${label}] POST /api/requests in the app (validate, file, similar nearby, token): p50 ${ms(filed.p50)}, p99 ${ms(filed.p99)}`);
  console.log(`[${label}]   the filing statement alone (assign + insert + audit event, atomic): p50 ${ms(statement.p50)}, p99 ${ms(statement.p99)}`);
  console.log(`[${label}]   baseline bare indexed ST_Covers grid lookup:            p50 ${ms(base.p50)}, p99 ${ms(base.p99)}  → statement/baseline p99 ×${(statement.p99 / base.p99).toFixed(1)}`);
  return tiles;
}

/**
 * What durability costs a filing on the embedded default: the same demo data in two data
 * directories on disk, one fsync'ing each commit (the default, api/db/durable-fs.ts), one with
 * PGLITE_FSYNC=off as PGlite ships; filings alternate between them so load hits both alike.
 */
async function benchDurability(template: Database) {
  const blob = await template.dump!();
  const dirs: string[] = [];
  const open = async (durable: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'gridmap-bench-fsync-'));
    dirs.push(dir);
    return openDatabase({ dataDir: dir, durable, loadDataDir: blob });
  };
  const [synced, unsynced] = [await open(true), await open(false)];
  try {
    const b = await extent(synced);
    const next = random(13);
    const filing = () => ({ category: 'street_light' as const, description: '基准测试：路灯不亮', lon: b.w + (b.e - b.w) * next(), lat: b.s + (b.n - b.s) * next() });
    const file = (database: Database) => fileRequest(database, filing()).catch((e) => { if (!(e instanceof ApiError)) throw e; });
    const n = Math.min(filings, 500);
    for (let i = 0; i < 20; i++) { await file(synced); await file(unsynced); } // warm-up
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < n; i++) {
      for (const [database, into] of [[synced, on], [unsynced, off]] as const) {
        const t0 = performance.now();
        await file(database);
        into.push(performance.now() - t0);
      }
    }
    const [a, z] = [{ p50: pct(on, 50), p99: pct(on, 99) }, { p50: pct(off, 50), p99: pct(off, 99) }];
    console.log(`[pglite-disk] filing statement, data directory on disk, ${n} each: fsync on (default) p50 ${ms(a.p50)}, p99 ${ms(a.p99)}; ` +
      `fsync off (PGLITE_FSYNC=off) p50 ${ms(z.p50)}, p99 ${ms(z.p99)} → durability costs p99 +${ms(a.p99 - z.p99)} (${synced.fsyncs!()} fsyncs)`);
  } finally {
    await synced.close();
    await unsynced.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBulk(label: string, database: Database) {
  const b = await extent(database);
  const next = random(11);
  const points = new Float64Array(bulkPoints * 2);
  for (let i = 0; i < bulkPoints; i++) {
    points[2 * i] = b.w + (b.e - b.w) * next();
    points[2 * i + 1] = b.s + (b.n - b.s) * next();
  }
  const t0 = performance.now();
  const index = await AreaIndex.load(database);
  const loadMs = performance.now() - t0;
  index.assignGrids(points.subarray(0, 2000)); // warm-up (JIT)
  const t1 = performance.now();
  const mine = index.assignGrids(points);
  const memMs = performance.now() - t1;

  await database.rows(sql`DROP TABLE IF EXISTS bench_points`);
  await database.rows(sql`CREATE TABLE bench_points (i int PRIMARY KEY, geom geometry(Point, 4326))`);
  for (let s = 0; s < bulkPoints; s += 5000) {
    const values = [];
    for (let i = s; i < Math.min(bulkPoints, s + 5000); i++) values.push(sql`(${i}::int, ST_SetSRID(ST_MakePoint(${points[2 * i]}::float8, ${points[2 * i + 1]}::float8), 4326))`);
    await database.rows(sql`INSERT INTO bench_points VALUES ${sql.join(values, sql`, `)}`);
  }
  await database.rows(sql`ANALYZE bench_points`);
  const t2 = performance.now();
  const joined = await database.rows<{ i: number; id: string }>(sql`
    SELECT p.i, min(a.id COLLATE "C") AS id FROM bench_points p JOIN areas a ON a.level = 'grid' AND ST_Covers(a.geom, p.geom) GROUP BY p.i`);
  const joinMs = performance.now() - t2;
  const t3 = performance.now();
  const ruled = await database.rows<{ i: number; id: string | null }>(sql`
    SELECT p.i, a.grid_id AS id FROM bench_points p CROSS JOIN LATERAL assign_point(p.geom) a`);
  const ruleMs = performance.now() - t3;
  const byRule = new Map(ruled.map((r) => [Number(r.i), r.id]));
  let differ = 0;
  for (let i = 0; i < bulkPoints; i++) if ((byRule.get(i) ?? null) !== mine[i]) differ++;
  await database.rows(sql`DROP TABLE bench_points`);
  const inside = mine.filter(Boolean).length;
  console.log(`[${label}] bulk-assign ${bulkPoints.toLocaleString('en')} points (${inside.toLocaleString('en')} inside a grid): in memory ${rate(bulkPoints, memMs)} (${memMs.toFixed(0)} ms; index built in ${loadMs.toFixed(0)} ms)`);
  console.log(`[${label}]   baseline plain PostGIS join (ST_Covers, min id "C"):   ${rate(bulkPoints, joinMs)} (${joinMs.toFixed(0)} ms) → in memory ×${(joinMs / memMs).toFixed(1)}`);
  console.log(`[${label}]   the SQL rule assign_point() over the same points:  ${rate(bulkPoints, ruleMs)}; answers that differ from in memory: ${differ}`);
  void joined;
}

async function benchTiles(label: string, database: Database, tiles: TileIndex) {
  const [w, s, e, n] = tiles.bounds;
  const z = 14;
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const ty = (lat: number) => { const r = (lat * Math.PI) / 180; return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z); };
  const coords: [number, number][] = [];
  for (let x = tx(w); x <= tx(e); x++) for (let y = ty(n); y <= ty(s); y++) coords.push([x, y]);
  const t0 = performance.now();
  await tiles.reload(database); // empty the cache: the first pass is cold
  const indexMs = performance.now() - t0;
  const cold = await timeEach(coords.length, async (i) => tiles.getTile(z, coords[i][0], coords[i][1]));
  const warm = await timeEach(5000, async (i) => tiles.getTile(z, coords[i % coords.length][0], coords[i % coords.length][1]));
  console.log(`[${label}] tile index reloaded in ${indexMs.toFixed(0)} ms (its blocks are read when a tile first needs them: the cold pass includes them)`);
  console.log(`[${label}] z14 tiles (${coords.length} over the area): warm p50 ${ms(warm.p50)}, p99 ${ms(warm.p99)}; cold (geojson-vt) p50 ${ms(cold.p50)}, p99 ${ms(cold.p99)}`);
  if (database.kind === 'postgres') {
    // the baseline: ST_AsMVT over the same nine layers, the same columns, the same tiles. It has no
    // tile cache, so each call is as cold as our first pass; a plain Map in front of it is its
    // cached figure, beside our warm one
    const mvtTile = async (x: number, y: number) => {
      const [row] = await database.rows<{ tile: Uint8Array }>(sql`SELECT ${sql.join(mvtLayers.map(([name, columns, geom, table]) => sql`
        coalesce((SELECT ST_AsMVT(q, ${name}) FROM (SELECT ${sql.raw(columns)}, ST_AsMVTGeom(ST_Transform(${sql.raw(geom)}, 3857), ST_TileEnvelope(${z}, ${x}, ${y})) AS geom
          FROM ${sql.raw(table)} WHERE ${sql.raw(geom)} && ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}), 4326)) q), '')`), sql` || `)} AS tile`);
      return row.tile;
    };
    const mvt = await timeEach(coords.length, async (i) => mvtTile(coords[i][0], coords[i][1]));
    const cache = new Map<string, Uint8Array>();
    for (const [x, y] of coords) cache.set(`${x}/${y}`, await mvtTile(x, y));
    const cached = await timeEach(5000, async (i) => cache.get(`${coords[i % coords.length][0]}/${coords[i % coords.length][1]}`));
    console.log(`[${label}]   baseline ST_AsMVT, same 9 layers, uncached (cold vs our cold): p50 ${ms(mvt.p50)}, p99 ${ms(mvt.p99)} → our cold p50 ×${(mvt.p50 / cold.p50).toFixed(1)}`);
    console.log(`[${label}]   baseline ST_AsMVT behind a plain Map cache (vs our warm):      p50 ${ms(cached.p50)}, p99 ${ms(cached.p99)}`);
  } else {
    console.log(`[${label}]   (no ST_AsMVT baseline: PGlite's PostGIS is built without protobuf-c)`);
  }
  await benchTilesHttp(label, database, tiles, coords.map(([x, y]) => `/api/tiles/${z}/${x}/${y}.mvt`));
}

/** The layers of api/tiles/tile-index.ts for ST_AsMVT: name, property columns, geometry, table. */
const mvtLayers: [string, string, string, string][] = [
  ['landuse', 'id, class, name', 'geom', 'landuse'],
  ['roads', 'id, class, name', 'geom', 'roads'],
  ['areas', 'id, level, kind, name, parent_id AS "parentId", color_index AS "colorIndex"', 'geom', 'areas'],
  ['area_labels', 'id, level, kind, name', 'coalesce(label_point, ST_PointOnSurface(geom))', 'areas'],
  ['compounds', 'id, name', 'geom', 'compounds'],
  ['buildings', 'id, number, floors, units, use, compound_id AS "compoundId"', 'geom', 'buildings'],
  ['entrances', 'id, name, building_id AS "buildingId"', 'geom', 'entrances'],
  ['gates', 'id, name, compound_id AS "compoundId"', 'geom', 'gates'],
  ['pois', 'id, category, name', 'geom', 'pois'],
];

/** Tiles over a real socket: `clients` concurrent keep-alive clients for `seconds`, warm cache. */
async function benchTilesHttp(label: string, database: Database, tiles: TileIndex, paths: string[], clients = 8, seconds = 5) {
  const { serve } = await import('@hono/node-server');
  const app = createApp({ database, tiles });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    if (res.status !== 200 && res.status !== 204) throw new Error(`${path} answered ${res.status}`);
    return (await res.arrayBuffer()).byteLength;
  };
  // warm-up: connections opened, routes and the fetch client compiled, before the clock starts
  await Promise.all(Array.from({ length: clients }, async (_, client) => { for (let i = 0; i < 20; i++) await get(paths[(client + i) % paths.length]); }));
  const times: number[] = [];
  let bytes = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let i = client; performance.now() < until; i += clients) {
      const t0 = performance.now();
      bytes += await get(paths[i % paths.length]);
      times.push(performance.now() - t0);
    }
  }));
  await new Promise((resolve) => server.close(resolve));
  console.log(`[${label}] HTTP tiles over a socket, ${clients} concurrent clients, ${seconds} s: ${Math.round(times.length / seconds).toLocaleString('en')} tiles/s ` +
    `(${(bytes / seconds / 1024 / 1024).toFixed(1)} MB/s), p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}`);
}

async function run(label: string, open: () => Promise<Database>) {
  const t0 = performance.now();
  const database = await open();
  await loadDemoData(database);
  console.log(`[${label}] demo database ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const tiles = await benchFiling(label, database);
  if (database.kind === 'pglite') await benchDurability(database);
  await benchBulk(label, database);
  await benchTiles(label, database, tiles);
  await database.close();
  // the county: ≈12,400 grids, as in 大荔县 — the scale the targets are set for
  const county = await open();
  const made = await makeCounty(county);
  console.log(`[${label}-county] ${made.grids.toLocaleString('en')} grids, ${made.microgrids.toLocaleString('en')} micro-grids generated in ${(made.ms / 1000).toFixed(1)} s`);
  const countyTiles = await benchFiling(`${label}-county`, county);
  await benchBulk(`${label}-county`, county);
  await benchTiles(`${label}-county`, county, countyTiles);
  await county.close();
}

console.log(`一图 bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
await run('pglite', () => openDatabase({ dataDir: 'memory://' }));
if (hasNativePostgres()) {
  const cluster = await startCluster(57_000 + (process.pid % 1000));
  try {
    let n = 0;
    await run('postgres', async () => {
      const admin = await openDatabase({ url: cluster.url, migrate: false });
      const name = `bench_${n++}`;
      await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
      await admin.close();
      return openDatabase({ url: cluster.urlFor(name) });
    });
  } finally {
    await cluster.stop();
  }
} else {
  console.log('native PostgreSQL + PostGIS not installed: apt-get install postgresql-15-postgis-3 for the second half');
}
