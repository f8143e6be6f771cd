/**
 * npm run bench (part) — importing place layers (issue 8 §4), on embedded PGlite and, when
 * installed, native PostgreSQL:
 *   1. 30,000 and 50,000 buildings (a GeoJSON file of squares) through api/import/layers.ts —
 *      read, checked (ids, fields, PostGIS validity, parents, outside every street), compared, written;
 *   2. the same 50,000 again: all unchanged (the export → re-import round trip);
 *   3. 5,000 service points from a CSV with Chinese headings;
 *   beside each, the baseline: one plain INSERT … SELECT of the same rows from json_to_recordset
 *   (no checks, no comparison) into an empty copy of the table, in the same run.
 * Targets: 30,000 buildings < 30 s embedded, < 10 s native, and the console's progress bar moving
 * at least every second: the longest gap between two progress reports of the import (phase, rows
 * done), and the longest the event loop was held (a poll waits that long at worst), are printed.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../api/db/client.ts';
import { importLayerFile } from '../api/import/layers.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';

const origin = [113.2, 35.2];
const step = 0.0003; // ≈ 30 m between buildings
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

function buildingsFile(n: number): Uint8Array {
  const side = Math.ceil(Math.sqrt(n));
  const features = Array.from({ length: n }, (_, i) => {
    const x = origin[0] + (i % side) * step;
    const y = origin[1] + Math.floor(i / side) * step;
    const d = step / 2;
    return {
      type: 'Feature',
      properties: { id: `BENCH-B${i}`, compoundId: 'BENCH-C1', number: `${(i % 40) + 1}号楼`, floors: 6, units: 3, use: 'residential' },
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
    };
  });
  return new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
}

function poisFile(n: number): Uint8Array {
  const lines = ['编号,名称,类别,营业时间,经度,纬度'];
  for (let i = 0; i < n; i++) lines.push(`BENCH-P${i},便民店${i},超市,Mo-Su 08:00-21:00,${(origin[0] + (i % 100) * step).toFixed(7)},${(origin[1] + Math.floor(i / 100) * step).toFixed(7)}`);
  return new TextEncoder().encode(lines.join('\n'));
}

/** A street around everything, a micro-grid and a compound: what the checks look for. */
async function prepare(database: Database) {
  const extent = `POLYGON((${origin[0] - 0.01} ${origin[1] - 0.01}, ${origin[0] + 0.2} ${origin[1] - 0.01}, ${origin[0] + 0.2} ${origin[1] + 0.2}, ${origin[0] - 0.01} ${origin[1] + 0.2}, ${origin[0] - 0.01} ${origin[1] - 0.01}))`;
  await database.rows(sql`INSERT INTO areas (id, level, name, geom) VALUES ('BENCH-S', 'street', '基准街道', ST_Multi(ST_GeomFromText(${extent}, 4326)))`);
  await database.rows(sql`INSERT INTO compounds (id, name, geom) VALUES ('BENCH-C1', '基准小区', ST_Multi(ST_GeomFromText(${extent}, 4326)))`);
}

/** The plain baseline: the same rows, one INSERT … SELECT per 5,000, into an empty copy of the table. */
async function baseline(database: Database, table: 'buildings' | 'pois', bytes: Uint8Array, n: number) {
  await database.rows(sql.raw(`DROP TABLE IF EXISTS bench_${table}`));
  await database.rows(sql.raw(`CREATE TABLE bench_${table} (LIKE ${table} INCLUDING ALL)`));
  const t0 = performance.now();
  if (table === 'buildings') {
    const features = JSON.parse(new TextDecoder().decode(bytes)).features as { properties: Record<string, unknown>; geometry: unknown }[];
    for (let i = 0; i < n; i += 5000) {
      const batch = features.slice(i, i + 5000).map((f) => ({ ...f.properties, g: f.geometry }));
      await database.rows(sql`INSERT INTO bench_buildings (id, compound_id, number, floors, units, use, geom)
        SELECT x.id, x."compoundId", x.number, x.floors, x.units, x.use, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(x.g::text), 4326))
        FROM json_to_recordset(${JSON.stringify(batch)}::json) AS x(id text, "compoundId" text, number text, floors smallint, units smallint, use text, g json)`);
    }
  } else {
    const rows = new TextDecoder().decode(bytes).split('\n').slice(1).map((l) => l.split(','));
    for (let i = 0; i < n; i += 5000) {
      const batch = rows.slice(i, i + 5000).map(([id, name, , hours, lon, lat]) => ({ id, name, category: 'supermarket', hours, lon: Number(lon), lat: Number(lat) }));
      await database.rows(sql`INSERT INTO bench_pois (id, category, name, opening_hours, geom)
        SELECT x.id, x.category, x.name, x.hours, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326)
        FROM json_to_recordset(${JSON.stringify(batch)}::json) AS x(id text, category text, name text, hours text, lon float8, lat float8)`);
    }
  }
  const ms = performance.now() - t0;
  await database.rows(sql.raw(`DROP TABLE bench_${table}`));
  return ms;
}

async function timedImport(database: Database, layer: 'buildings' | 'pois', bytes: Uint8Array, fileName: string) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const t0 = performance.now();
  let last = t0;
  let gap = 0; // ms: the longest time without a progress report, from the start to the end
  loop.enable();
  const report = await importLayerFile(database, bytes, {
    layer, crs: 'wgs84', actor: 'bench', fileName,
    onProgress: () => { const now = performance.now(); gap = Math.max(gap, now - last); last = now; },
  });
  const ms = performance.now() - t0;
  loop.disable();
  gap = Math.max(gap, performance.now() - last);
  if (!report.ok) throw new Error(`bench import refused: ${report.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  return { ms, report, gap, held: loop.max / 1e6 };
}

async function run(label: string, database: Database) {
  await prepare(database);
  for (const n of [30_000, 50_000]) {
    await database.rows(sql`DELETE FROM buildings WHERE id LIKE 'BENCH-%'`);
    const file = buildingsFile(n);
    const base = await baseline(database, 'buildings', file, n);
    const { ms, report, gap, held } = await timedImport(database, 'buildings', file, 'bench.geojson');
    const target = n === 30_000 ? ` (target < ${label === 'pglite' ? 30 : 10} s: ${ms < (label === 'pglite' ? 30_000 : 10_000) ? 'met' : 'NOT met'})` : '';
    console.log(`[${label}] ${n.toLocaleString('en')} buildings imported (${report.inserted} inserted): ${s(ms)}; plain INSERT … SELECT ${s(base)}; ratio ${(ms / base).toFixed(1)}×${target}`);
    console.log(`[${label}]   progress: longest gap between two reports ${s(gap)}, event loop held at most ${s(held)} (target: the bar moves at least every 1 s: ${Math.max(gap, held) < 1000 ? 'met' : 'NOT met'})`);
  }
  const again = await timedImport(database, 'buildings', buildingsFile(50_000), 'bench.geojson');
  console.log(`[${label}] the same 50,000 again (round trip): ${again.report.unchanged} unchanged in ${s(again.ms)}`);
  const pois = poisFile(5_000);
  const base = await baseline(database, 'pois', pois, 5_000);
  const { ms } = await timedImport(database, 'pois', pois, 'bench.csv');
  console.log(`[${label}] 5,000 service points (CSV, Chinese headings): ${s(ms)}; plain INSERT … SELECT ${s(base)}; ratio ${(ms / base).toFixed(1)}×`);
}

console.log(`一图 bench (importing place layers) — ${new Date().toISOString()} — node ${process.version}`);
const embedded = await openDatabase({ dataDir: 'memory://' });
await run('pglite', embedded);
await embedded.close();
if (hasNativePostgres()) {
  const cluster = await startCluster(57_100 + (process.pid % 400));
  try {
    const admin = await openDatabase({ url: cluster.url, migrate: false });
    await admin.db.execute(sql.raw('CREATE DATABASE bench_import'));
    await admin.close();
    const native = await openDatabase({ url: cluster.urlFor('bench_import') });
    await run('postgres', native);
    await native.close();
  } finally {
    await cluster.stop();
  }
}
