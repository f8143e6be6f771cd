/**
 * npx tsx scripts/bench-viewport.ts — requests by viewport (issue 12 §2) on a county's year of
 * requests: the synthetic county (scripts/bench/county.ts, ≈12,500 grids) and BENCH_VIEW_REQUESTS
 * (1,000,000) requests filed over a year, one in 250 still open. Each figure beside the plain
 * indexed SQL for the same answer, measured in the same run:
 *   1. a street-sized view at zoom 16: its markers (open + closed of the last 7 days)
 *      — baseline: one query on the table's GiST index, ordered newest first, same limit
 *   2. a district view at zoom 13: counts per community — baseline: GROUP BY over the same rows
 *   3. the county at zoom 10: counts per street, closed of the last 30 days — baseline as 2.
 *   4. the same, open requests only (the map's default) — baseline as 2.
 * Target: < 50 ms a viewport. On embedded PGlite, then native PostgreSQL when installed.
 * Env: BENCH_VIEW_REQUESTS (1000000), BENCH_VIEW_RUNS (40), BENCH_ENGINE=pglite or postgres (that one only).
 */
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Database } from '../api/db/client.ts';
import { openStatusSql } from '../api/db/open-status.ts';
import type { Bbox } from '../api/geo/bbox.ts';
import { markerLimit, requestsInView } from '../api/live/viewport.ts';
import { overdueSql } from '../api/loop/deadlines.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { makeCounty } from './bench/county.ts';
import { mulberry32 } from './lib/random.ts';
import { pct } from './lib/timing.ts';

const total = Number(process.env.BENCH_VIEW_REQUESTS ?? 1_000_000);
const runs = Number(process.env.BENCH_VIEW_RUNS ?? 40);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const day = (daysAgo: number) => new Date(Date.now() + 8 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** A year of requests, spread over every grid, one in 250 open (half of those overdue); deterministic. */
async function fileYear(database: Database) {
  const t0 = performance.now();
  await database.rows(sql`SELECT setseed(0.12)`);
  const batch = 100_000;
  for (let from = 0; from < total; from += batch) {
    await database.rows(sql`
      WITH g AS (
        SELECT a.id, a.parent_id AS community, c.parent_id AS street, a.label_point AS p, a.geom, row_number() OVER (ORDER BY a.id) - 1 AS k
        FROM areas a JOIN areas c ON c.id = a.parent_id WHERE a.level = 'grid'),
      n AS (SELECT count(*) AS n FROM g)
      INSERT INTO requests (ticket, category, description, channel, status, street_id, community_id, grid_id, geom,
                            created_at, updated_at, claim_deadline, resolve_deadline)
      SELECT 'B' || lpad(i::text, 8, '0'), 'noise', 'bench', 'web',
             CASE WHEN i % 250 = 0 THEN 'collected' ELSE 'archived' END, g.street, g.community, g.id,
             CASE WHEN ST_Intersects(g.geom, j.p) THEN j.p ELSE g.p END,
             t.at, t.at, t.at + CASE WHEN i % 500 = 0 THEN interval '1 hour' ELSE interval '400 days' END, t.at + interval '400 days'
      FROM generate_series(${from}::int, ${Math.min(total, from + batch) - 1}::int) i, n, g,
        LATERAL (SELECT now() - random() * interval '365 days' AS at, i AS _) t,
        -- near the grid's label point, inside the grid as filing makes it (a jitter out of it falls back on the point)
        LATERAL (SELECT ST_SetSRID(ST_MakePoint(ST_X(g.p) + (random() - 0.5) * 0.002, ST_Y(g.p) + (random() - 0.5) * 0.002), 4326) AS p, i AS _) j
      WHERE g.k = i % n.n`);
  }
  await database.rows(sql`ANALYZE requests`);
  return performance.now() - t0;
}

/** Times `fn` over `runs` views centred at random points of the county; answers p50 and p99. */
async function timeViews(box: () => Bbox, fn: (bbox: Bbox) => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const bbox = box();
    const t0 = performance.now();
    await fn(bbox);
    times.push(performance.now() - t0);
  }
  return `p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}`;
}

const envelope = ([w, s, e, n]: Bbox): SQL => sql`ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`;

async function run(label: string, database: Database) {
  const made = await makeCounty(database);
  const filed = await fileYear(database);
  const [{ open }] = await database.rows<{ open: number }>(sql`SELECT count(*)::int AS open FROM requests r WHERE ${openStatusSql()}`);
  console.log(`[${label}] county of ${made.grids.toLocaleString('en')} grids; ${total.toLocaleString('en')} requests (${Number(open).toLocaleString('en')} open) filed in ${(filed / 1000).toFixed(1)} s`);
  const [ext] = await database.rows<{ w: number; s: number; e: number; n: number }>(sql`
    SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM areas WHERE level = 'street') b`);
  const next = mulberry32(12);
  // a 1280×800 screen: 0.0275° × 0.0140° at zoom 16 near 35° N; × 8 at zoom 13
  const boxOf = (width: number, height: number) => (): Bbox => {
    const lon = Number(ext.w) + next() * (Number(ext.e) - Number(ext.w));
    const lat = Number(ext.s) + next() * (Number(ext.n) - Number(ext.s));
    return [lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2];
  };
  const county: Bbox = [Number(ext.w), Number(ext.s), Number(ext.e), Number(ext.n)];
  const week = { from: day(7), to: day(0) };
  const month = { from: day(30), to: day(0) };
  const since = (d: { from: string }) => sql`r.created_at >= (${d.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
  const open_ = openStatusSql();

  const markers = await timeViews(boxOf(0.0275, 0.014), (bbox) => requestsInView(database, { bbox, zoom: 16, area: null, closed: week, limit: markerLimit }));
  const markersPlain = await timeViews(boxOf(0.0275, 0.014), (bbox) => database.rows(sql`
    SELECT r.ticket, r.status, ST_X(r.geom), ST_Y(r.geom) FROM requests r
    WHERE r.geom && ${envelope(bbox)} AND (${open_} OR ${since(week)}) ORDER BY r.created_at DESC LIMIT ${markerLimit}`));
  console.log(`[${label}] zoom 16 markers, open + closed 7 days: viewport ${markers}; plain GiST query ${markersPlain}`);

  const communities = await timeViews(boxOf(0.22, 0.112), (bbox) => requestsInView(database, { bbox, zoom: 13, area: null, closed: week, limit: markerLimit }));
  const communitiesPlain = await timeViews(boxOf(0.22, 0.112), (bbox) => database.rows(sql`
    SELECT r.community_id, count(*) FILTER (WHERE ${open_}), count(*) FILTER (WHERE ${overdueSql()}), count(*) FILTER (WHERE NOT ${open_})
    FROM requests r WHERE r.geom && ${envelope(bbox)} AND (${open_} OR ${since(week)}) GROUP BY 1`));
  console.log(`[${label}] zoom 13 counts per community, closed 7 days: viewport ${communities}; plain GROUP BY ${communitiesPlain}`);

  const streets = await timeViews(() => county, (bbox) => requestsInView(database, { bbox, zoom: 10, area: null, closed: month, limit: markerLimit }));
  const streetsPlain = await timeViews(() => county, () => database.rows(sql`
    SELECT r.street_id, count(*) FILTER (WHERE ${open_}), count(*) FILTER (WHERE ${overdueSql()}), count(*) FILTER (WHERE NOT ${open_})
    FROM requests r WHERE ${open_} OR ${since(month)} GROUP BY 1`));
  console.log(`[${label}] zoom 10 counts per street, closed 30 days: viewport ${streets}; plain GROUP BY ${streetsPlain}`);
  // the same answer both ways: the view's total against the plain count (the sums rely on each request lying in its community)
  const view = await requestsInView(database, { bbox: county, zoom: 10, area: null, closed: month, limit: markerLimit });
  const [plain] = await database.rows<{ open: number; closed: number }>(sql`
    SELECT count(*) FILTER (WHERE ${open_})::int AS open, count(*) FILTER (WHERE NOT ${open_})::int AS closed
    FROM requests r WHERE ${open_} OR (${since(month)} AND r.created_at < now() + interval '1 day')`);
  console.log(`[${label}] the county's view: ${JSON.stringify(view.total)}; plain count ${JSON.stringify(plain)}`);

  // the map's default: open requests only (closed ones are asked for in the layer panel)
  const openStreets = await timeViews(() => county, (bbox) => requestsInView(database, { bbox, zoom: 10, area: null, closed: null, limit: markerLimit }));
  const openStreetsPlain = await timeViews(() => county, () => database.rows(sql`
    SELECT r.street_id, count(*), count(*) FILTER (WHERE ${overdueSql()}) FROM requests r WHERE ${open_} GROUP BY 1`));
  console.log(`[${label}] zoom 10 counts per street, open only: viewport ${openStreets}; plain GROUP BY ${openStreetsPlain}`);
}

console.log(`一图 viewport bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
if (process.env.BENCH_ENGINE !== 'postgres') {
  const database = await openDatabase({ dataDir: 'memory://' });
  await run('pglite', database);
  await database.close();
}
if (hasNativePostgres() && process.env.BENCH_ENGINE !== 'pglite') {
  const cluster = await startCluster(58_000 + (process.pid % 1000));
  try {
    const admin = await openDatabase({ url: cluster.url, migrate: false });
    await admin.db.execute(sql.raw('CREATE DATABASE bench_viewport'));
    await admin.close();
    const database = await openDatabase({ url: cluster.urlFor('bench_viewport') });
    await run('postgres', database);
    await database.close();
  } finally {
    await cluster.stop();
  }
}
