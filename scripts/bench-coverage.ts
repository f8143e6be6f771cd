/**
 * npx tsx scripts/bench-coverage.ts — visit coverage (issue 11 §3, docs/visits.md) at county size:
 * the county demo (api/demo/county.ts: 16 streets, 12,544 grids, ≈98,000 buildings) with a building
 * visit this month for one building in three, then the coverage (api/visits/coverage.ts) of a
 * street (its administrator) and of the county (the county's administrator), beside
 *   - the buildings part alone, read through the stored grid (buildings.grid_id), and
 *   - the plain spatial join it replaces: each building's point on surface placed by assign_point
 *     at query time (a box of the grids first, on the GiST index), same visits, same warm cache
 *     (timed once when one run takes over 2 s: the county's takes minutes on PGlite).
 * On embedded PGlite, then native PostgreSQL when installed. Env: BENCH_COVERAGE_RUNS (10).
 */
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Database } from '../api/db/client.ts';
import { loadCountyDemo } from '../api/demo/county.ts';
import { userByUsername } from '../api/auth/session.ts';
import { buildingsCoverageSql, coverage } from '../api/visits/coverage.ts';
import { inMonthSql, monthOrNow } from '../api/visits/scope.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { timeEach } from './lib/timing.ts';

const runs = Number(process.env.BENCH_COVERAGE_RUNS ?? 10);
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The plain spatial join: the grids' buildings found by placing each one's point at query time. */
const spatialJoinSql = (inGrids: SQL, month: string): SQL => sql`
  WITH box AS (SELECT ST_Envelope(ST_Collect(geom)) AS geom FROM areas WHERE id ${inGrids}),
  b AS (SELECT b.id, coalesce(b.name, b.number) AS name, ST_PointOnSurface(b.geom) AS p FROM buildings b, box WHERE b.geom && box.geom),
  placed AS (SELECT b.*, a.grid_id FROM b CROSS JOIN LATERAL assign_point(b.p) a WHERE a.grid_id ${inGrids}),
  seen AS (SELECT v.building_id, count(*)::int AS n, max(v.at) AS last FROM care_visits v
    WHERE v.building_id IN (SELECT id FROM placed) AND ${inMonthSql(sql`v.at`, month)} GROUP BY v.building_id)
  SELECT placed.id, placed.name, placed.grid_id, ST_X(placed.p) AS lon, ST_Y(placed.p) AS lat, coalesce(seen.n, 0) AS visits
  FROM placed LEFT JOIN seen ON seen.building_id = placed.id ORDER BY placed.id`;

async function run(label: string, database: Database) {
  const t0 = performance.now();
  await loadCountyDemo(database, { streets: 16, requests: 1_000 });
  await database.rows(sql`
    INSERT INTO care_visits (worker_id, at, finding_sealed, building_id, street_id, community_id, grid_id, microgrid_id)
    SELECT NULL, now() - (n % 5) * interval '1 hour', 'bench', b.id, c.parent_id, g.parent_id, g.id, NULL
    FROM (SELECT id, grid_id, row_number() OVER (ORDER BY id) AS n FROM buildings) b
    JOIN areas g ON g.id = b.grid_id JOIN areas c ON c.id = g.parent_id WHERE b.n % 3 = 0`);
  await database.rows(sql`ANALYZE buildings`);
  await database.rows(sql`ANALYZE care_visits`);
  const [n] = await database.rows<{ buildings: number; visits: number }>(sql`
    SELECT (SELECT count(*)::int FROM buildings) AS buildings, (SELECT count(*)::int FROM care_visits) AS visits`);
  console.log(`[${label}] county demo: ${n.buildings.toLocaleString('en')} buildings, ${n.visits.toLocaleString('en')} building visits this month, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const month = monthOrNow(undefined);
  for (const [name, username, gridsOf] of [
    ['street 城关街道', 'town-admin', sql`g.parent_id IN (SELECT id FROM areas WHERE parent_id = 'LY-S01')`],
    ['the county', 'county-admin', sql`TRUE`],
  ] as const) {
    const user = (await userByUsername(database, username))!;
    const grids = await database.rows<{ id: string }>(sql`SELECT g.id FROM areas g WHERE g.level = 'grid' AND ${gridsOf}`);
    const inGrids = sql`IN (${sql.join(grids.map((g) => sql`${g.id}`), sql`, `)})`;
    const answer = await coverage(database, user, month); // warm-up
    // the spatial join takes minutes for the county on PGlite: its first run (which checks the answer) is timed, and more only when quick
    let plainRows: unknown[] = [];
    const first = await timeEach(1, async () => { plainRows = await database.rows(spatialJoinSql(inGrids, month)); });
    if (plainRows.length !== answer.buildings.features.length) throw new Error(`${name}: ${answer.buildings.features.length} buildings by the stored grid, ${plainRows.length} by the spatial join`);
    const whole = await timeEach(runs, () => coverage(database, user, month));
    const stored = await timeEach(runs, () => database.rows(buildingsCoverageSql(inGrids, month)));
    const plain = first.p50 > 2_000 ? first : await timeEach(Math.max(3, runs / 2), () => database.rows(spatialJoinSql(inGrids, month)));
    console.log(`[${label}] coverage of ${name} (${grids.length.toLocaleString('en')} grids, ${plainRows.length.toLocaleString('en')} buildings): whole answer p50 ${ms(whole.p50)}, p99 ${ms(whole.p99)}`);
    console.log(`[${label}]   its buildings by the stored grid: p50 ${ms(stored.p50)}; baseline plain spatial join (assign_point per building): p50 ${ms(plain.p50)} → ×${(plain.p50 / stored.p50).toFixed(1)} faster`);
  }
}

console.log(`一图 bench (visit coverage) — ${new Date().toISOString()} — node ${process.version}`);
const embedded = await openDatabase({ dataDir: 'memory://' });
await run('pglite', embedded);
await embedded.close();
if (hasNativePostgres()) {
  const cluster = await startCluster(57_900 + (process.pid % 90));
  try {
    const admin = await openDatabase({ url: cluster.url, migrate: false });
    await admin.db.execute(sql.raw('CREATE DATABASE bench_coverage'));
    await admin.close();
    const native = await openDatabase({ url: cluster.urlFor('bench_coverage') });
    await run('postgres', native);
    await native.close();
  } finally {
    await cluster.stop();
  }
}
