/**
 * npx tsx scripts/bench-residents.ts — figures for the residents' API (issue 5), each beside a
 * baseline measured in the same run, on PGlite and (when installed) native PostgreSQL + PostGIS:
 *   1. GET /api/nearby over 1,000 seeded random points vs the plain PostGIS KNN
 *      (`ORDER BY geom <-> point LIMIT 10`, straight-line, no walking)
 *   2. the 15-minute circle for every residential building (walking graph built first, timed apart)
 * Targets: nearby p99 < 20 ms; the circle < 5 s.
 */
import { sql } from 'drizzle-orm';
import { createApp } from '../api/app.ts';
import { noLimits } from '../api/guard/limits.ts';
import { openDatabase, type Database } from '../api/db/client.ts';
import { loadDemoData } from '../api/demo/seed.ts';
import { computeCircle } from '../api/geo/circle.ts';
import { walkGraph } from '../api/geo/walk-graph.ts';
import { TileIndex } from '../api/tiles/tile-index.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { mulberry32 as random } from './lib/random.ts';
import { pct, timeEach } from './lib/timing.ts';

const points = Number(process.env.BENCH_NEARBY ?? 1000);

const ms = (x: number) => `${x.toFixed(2)} ms`;

async function bench(label: string, database: Database) {
  const tiles = await TileIndex.build(database);
  const app = createApp({ database, tiles, limits: noLimits }) // one address files for many;
  const t0 = performance.now();
  const graph = await walkGraph(database);
  console.log(`[${label}] walking graph: ${graph.nodeCount} nodes, ${graph.segmentCount} segments, built in ${(performance.now() - t0).toFixed(0)} ms, ${(graph.bytes / 1024).toFixed(0)} KB`);

  // random points inside the street, where a resident might stand
  const [b] = await database.rows<{ w: number; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(x) w, ST_YMin(x) s, ST_XMax(x) e, ST_YMax(x) n FROM (SELECT ST_Extent(geom)::geometry x FROM areas WHERE level = 'street') q`);
  const next = random(5);
  const pts = Array.from({ length: points }, () => [b.w + (b.e - b.w) * next(), b.s + (b.n - b.s) * next()]);
  for (let i = 0; i < 50; i++) await app.request(`http://bench/api/nearby?lon=${pts[i][0]}&lat=${pts[i][1]}`); // warm-up

  const knn = await timeEach(points, async (i) => {
    await database.rows(sql`SELECT id, name, category FROM pois ORDER BY geom <-> ST_SetSRID(ST_MakePoint(${pts[i][0]}, ${pts[i][1]}), 4326) LIMIT 10`);
  });
  let refused = 0;
  const nearby = await timeEach(points, async (i) => {
    const res = await app.request(`http://bench/api/nearby?lon=${pts[i][0]}&lat=${pts[i][1]}`);
    if (res.status === 422) refused++;
    else if (res.status !== 200) throw new Error(`nearby answered ${res.status}`);
    await res.arrayBuffer();
  });
  const category = await timeEach(points, async (i) => {
    const res = await app.request(`http://bench/api/nearby?lon=${pts[i][0]}&lat=${pts[i][1]}&category=elderly_care`);
    await res.arrayBuffer();
  });
  console.log(`[${label}] GET /api/nearby (walking, 10 nearest, ${points} points, ${refused} far from paths): p50 ${ms(nearby.p50)}, p99 ${ms(nearby.p99)}  (target p99 < 20 ms)`);
  console.log(`[${label}]   with category=elderly_care:                              p50 ${ms(category.p50)}, p99 ${ms(category.p99)}`);
  console.log(`[${label}]   baseline plain PostGIS KNN (straight line, 10 nearest):  p50 ${ms(knn.p50)}, p99 ${ms(knn.p99)}`);

  const runs: number[] = [];
  let buildings = 0;
  for (let i = 0; i < 5; i++) {
    const t1 = performance.now();
    const circle = await computeCircle(database, graph);
    runs.push(performance.now() - t1);
    buildings = circle.buildings.length;
  }
  // the baseline: the same question asked of PostGIS in straight lines (1,125 m per building and
  // category), fairly: the GiST index on pois.geom finds the candidates (a box in degrees wide
  // enough at the building's latitude, no cast on the indexed side), geography decides the
  // metres; as many runs as the circle, median and worst
  const straightRuns: number[] = [];
  for (let i = 0; i < runs.length; i++) {
    const t2 = performance.now();
    await database.rows(sql`
      SELECT b.id, p.category FROM buildings b JOIN pois p
        ON p.geom && ST_Expand(b.geom, 1125 / (111320 * cos(radians(ST_Y(ST_Centroid(b.geom))))))
        AND ST_DWithin(b.geom::geography, p.geom::geography, 1125)
      WHERE b.use = 'residential' GROUP BY b.id, p.category`);
    straightRuns.push(performance.now() - t2);
  }
  console.log(`[${label}] 15-minute circle for ${buildings} residential buildings (walking): median ${ms(pct(runs, 50))}, worst ${ms(Math.max(...runs))}  (target < 5 s)`);
  console.log(`[${label}]   baseline straight-line ST_DWithin join on the GiST index (same question, no walking, ${straightRuns.length} runs): median ${ms(pct(straightRuns, 50))}, worst ${ms(Math.max(...straightRuns))}`);
}

async function run(label: string, open: () => Promise<Database>) {
  const t0 = performance.now();
  const database = await open();
  await loadDemoData(database);
  console.log(`[${label}] demo database ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await bench(label, database);
  await database.close();
}

console.log(`一图 residents bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
await run('pglite', () => openDatabase({ dataDir: 'memory://' }));
if (hasNativePostgres()) {
  const cluster = await startCluster(58_000 + (process.pid % 1000));
  try {
    await run('postgres', async () => {
      const admin = await openDatabase({ url: cluster.url, migrate: false });
      await admin.db.execute(sql.raw('CREATE DATABASE bench_residents'));
      await admin.close();
      return openDatabase({ url: cluster.urlFor('bench_residents') });
    });
  } finally {
    await cluster.stop();
  }
} else {
  console.log('native PostgreSQL + PostGIS not installed: apt-get install postgresql-15-postgis-3 for the second half');
}
