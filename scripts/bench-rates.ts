/**
 * npm run bench (part) — the 三率 and the monthly report on a county-sized history:
 *   the synthetic county of scripts/bench/county.ts (16 streets, 256 communities, 12,544 grids) with a
 *   year of requests (BENCH_REQUESTS, default 1,000,000) spread over its grids, then
 *   1. loadRates (api/rates/rates.ts: total + breakdown + 12-month trend) for the county, a street,
 *      a community and a grid, for one month;
 *   2. beside it, the same counted from the requests alone (no rollup, `source = 'requests'`) and
 *      the plain SQL aggregate of the same month and area: one count(*) FILTER statement for the
 *      total alone, on the same indexes, the same warm cache;
 *   3. the monthly report (.xlsx) of a street;
 *   4. what the rollup's trigger costs a write (resolving one request), with it and without it.
 * on embedded PGlite and, when installed, native PostgreSQL. Targets: any rate < 200 ms, the report < 5 s.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../api/db/client.ts';
import { sqlList } from '../api/db/sql-list.ts';
import { refusedStatuses, resolvedStatuses } from '../api/contract/vocabulary.ts';
import { loadRates, loadTrend, periodOf, type RatesArea } from '../api/rates/rates.ts';
import { monthlyReport } from '../api/rates/monthly-report.ts';
import { loadWorkReport } from '../api/rates/work-report.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { makeCounty } from './bench/county.ts';
import { timeEach } from './lib/timing.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const repeats = Number(process.env.BENCH_RATE_REPEATS ?? 20);
const ms = (x: number) => `${x.toFixed(1)} ms`;

/**
 * A year of requests up to `now`, in SQL so a million rows take seconds: every grid gets its share,
 * deadlines by a fixed claim/resolve window, most claimed and resolved in time, some late, some
 * still open, a few rejected; ratings mostly good. setseed makes the history the same every run.
 */
async function makeHistory(database: Database, n: number, now: Date) {
  const t0 = performance.now();
  await database.rows(sql`SELECT setseed(0.42)`);
  await database.rows(sql`
    INSERT INTO requests (ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id,
      created_at, updated_at, geom, claim_deadline, resolve_deadline, claimed_at, resolved_at, rating, rated_at)
    SELECT 'B' || h.i, 'street_light', 'bench', 'web', h.status, a.street, a.community, a.grid, a.grid || '-M1',
      h.created, h.created, a.point, h.created + interval '4 hours', h.created + interval '3 days',
      CASE WHEN h.status <> 'collected' THEN h.created + h.v * interval '6 hours' END,
      CASE WHEN h.status IN ${sqlList(resolvedStatuses)} THEN h.created + h.v * interval '6 hours' + h.w * interval '4 days' END,
      CASE WHEN h.status IN ${sqlList(resolvedStatuses)} AND h.w < 0.85 THEN CASE WHEN h.v < 0.08 THEN 2 ELSE 3 + floor(h.w * 3)::int END END,
      CASE WHEN h.status IN ${sqlList(resolvedStatuses)} AND h.w < 0.85 THEN h.created + h.v * interval '6 hours' + h.w * interval '4 days' + interval '1 day' END
    FROM (
      SELECT g.i, g.v, g.w, ${now.toISOString()}::timestamptz - g.age * interval '1 day' AS created,
        CASE WHEN g.age < 0.2 AND g.u < 0.5 THEN 'collected' WHEN g.u < 0.03 THEN 'rejected' WHEN g.u < 0.06 THEN 'resolving'
             WHEN g.age < 5 AND g.u < 0.3 THEN 'resolving' WHEN g.u < 0.6 THEN 'archived' ELSE 'revisited' END AS status
      FROM (SELECT i, random() AS u, random() AS v, random() AS w, random() * 365 AS age FROM generate_series(1, ${n}) i) g
    ) h
    JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id AS grid, parent_id AS community,
            (SELECT p.parent_id FROM areas p WHERE p.id = grids.parent_id) AS street, label_point AS point
          FROM areas grids WHERE level = 'grid') a ON a.k = h.i % (SELECT count(*) FROM areas WHERE level = 'grid')`);
  await database.rows(sql`ANALYZE requests`);
  return performance.now() - t0;
}

/** The plain SQL aggregate: one statement, the total of one area and month, the same definitions written out. */
async function plainAggregate(database: Database, column: string | null, id: string | null, from: string, to: string, now: Date) {
  const where = column ? sql`${sql.raw(column)} = ${id} AND ` : sql``;
  const [refused, resolved] = [sqlList(refusedStatuses), sqlList(resolvedStatuses)];
  await database.rows(sql`
    SELECT count(*) FILTER (WHERE status NOT IN ${refused} AND (claimed_at IS NOT NULL OR claim_deadline < ${now.toISOString()}::timestamptz)) AS claim_due,
           count(*) FILTER (WHERE status NOT IN ${refused} AND claimed_at <= claim_deadline) AS claimed_on_time,
           count(*) FILTER (WHERE status NOT IN ${refused} AND (status IN ${resolved} OR resolve_deadline < ${now.toISOString()}::timestamptz)) AS resolve_due,
           count(*) FILTER (WHERE status IN ${resolved} AND resolved_at <= resolve_deadline) AS resolved_on_time,
           count(*) FILTER (WHERE rating IS NOT NULL) AS rated, count(*) FILTER (WHERE rating > 2) AS satisfied
    FROM requests WHERE ${where} created_at >= (${from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
      AND created_at < (${to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
}

async function run(label: string, database: Database) {
  const county = await makeCounty(database);
  const now = new Date();
  const historyMs = await makeHistory(database, requests, now);
  console.log(`[${label}] county of ${county.grids.toLocaleString('en')} grids; ${requests.toLocaleString('en')} requests over a year written in ${(historyMs / 1000).toFixed(1)} s`);
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
  const period = periodOf({ month: lastMonth });
  const cases: [string, RatesArea, string | null][] = [
    ['county (by street)', { id: null, name: '', level: null }, null],
    ['street C12 (by community)', { id: 'C12', name: 'C12', level: 'street' }, 'street_id'],
    ['community C12-21 (by grid)', { id: 'C12-21', name: 'C12-21', level: 'community' }, 'community_id'],
    ['grid C12-21-G24 (by worker)', { id: 'C12-21-G24', name: 'C12-21-G24', level: 'grid' }, 'grid_id'],
  ];
  const by = { street: 'community', community: 'grid', grid: 'worker' } as const;
  for (const [name, area, column] of cases) {
    const breakdown = area.level ? by[area.level as keyof typeof by] : 'street';
    const filed = (await loadRates(database, area, period, breakdown, now)).total.filed; // warm-up: plans and cache
    await loadRates(database, area, period, breakdown, now, 'requests');
    await plainAggregate(database, column, area.id, period.from, period.to, now);
    const ours = await timeEach(repeats, () => loadRates(database, area, period, breakdown, now));
    const live = await timeEach(repeats, () => loadRates(database, area, period, breakdown, now, 'requests'));
    const plain = await timeEach(repeats, () => plainAggregate(database, column, area.id, period.from, period.to, now));
    console.log(`[${label}] 三率 of ${name}, ${lastMonth} (${filed.toLocaleString('en')} requests), total and breakdown: p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)}`);
    console.log(`[${label}]   the same counted from the requests alone (no rollup): p50 ${ms(live.p50)}, p99 ${ms(live.p99)}`);
    console.log(`[${label}]   baseline plain SQL aggregate (the month's total alone, one statement): p50 ${ms(plain.p50)}, p99 ${ms(plain.p99)} → ×${(ours.p50 / plain.p50).toFixed(1)}`);
    await loadTrend(database, area, lastMonth, now);
    await loadTrend(database, area, lastMonth, now, 'requests');
    const trend = await timeEach(Math.max(3, repeats / 4), () => loadTrend(database, area, lastMonth, now));
    const liveTrend = await timeEach(Math.max(3, repeats / 4), () => loadTrend(database, area, lastMonth, now, 'requests'));
    const yearFrom = new Date(Date.UTC(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)) - 12, 1)).toISOString().slice(0, 10);
    const plainYear = await timeEach(Math.max(3, repeats / 4), () => plainAggregate(database, column, area.id, yearFrom, period.to, now));
    console.log(`[${label}]   its 12-month trend: p50 ${ms(trend.p50)}, p99 ${ms(trend.p99)}; from the requests alone: p50 ${ms(liveTrend.p50)}; baseline plain aggregate of the same 12 months (total alone): p50 ${ms(plainYear.p50)} → ×${(trend.p50 / plainYear.p50).toFixed(1)}`);
  }
  const t0 = performance.now();
  const street = { id: 'C12', name: 'C12', level: 'street' };
  const parts = await loadRates(database, street, period, 'community', now);
  const workers = await loadRates(database, street, period, 'worker', now);
  const book = await monthlyReport(parts, workers, await loadTrend(database, street, lastMonth, now), await loadWorkReport(database, street, period));
  console.log(`[${label}] monthly report of street C12 (.xlsx, ${(book.length / 1024).toFixed(0)} KB): ${ms(performance.now() - t0)}`);
  await rollupWriteCost(label, database);
}

/**
 * What the rollup costs a write: resolving an open request (one UPDATE, its statement trigger
 * moving the counts into rate_months) beside the same UPDATE with the trigger switched off, on
 * other requests of the same history. Run last: the rows written without the trigger leave
 * rate_months behind them.
 */
async function rollupWriteCost(label: string, database: Database) {
  const open = await database.rows<{ id: number }>(sql`SELECT id FROM requests WHERE status = 'resolving' AND claimed_at IS NOT NULL ORDER BY id LIMIT ${4 * repeats}`);
  const half = Math.floor(open.length / 2);
  const resolve = (i: number) => database.rows(sql`UPDATE requests SET status = 'resolved', resolved_at = now() WHERE id = ${open[i].id}`);
  const kept = await timeEach(half, (i) => resolve(i));
  await database.rows(sql`ALTER TABLE requests DISABLE TRIGGER requests_rate_months_update`);
  const bare = await timeEach(half, (i) => resolve(half + i));
  await database.rows(sql`ALTER TABLE requests ENABLE TRIGGER requests_rate_months_update`);
  console.log(`[${label}] resolving one request (one UPDATE) with the rollup kept: p50 ${ms(kept.p50)}, p99 ${ms(kept.p99)}; without its trigger: p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)}`);
}

console.log(`一图 bench (三率) — ${new Date().toISOString()} — node ${process.version}`);
const embedded = await openDatabase({ dataDir: 'memory://' });
await run('pglite', embedded);
await embedded.close();
if (hasNativePostgres()) {
  const cluster = await startCluster(57_500 + (process.pid % 400));
  try {
    const admin = await openDatabase({ url: cluster.url, migrate: false });
    await admin.db.execute(sql.raw('CREATE DATABASE bench_rates'));
    await admin.close();
    const native = await openDatabase({ url: cluster.urlFor('bench_rates') });
    await run('postgres', native);
    await native.close();
  } finally {
    await cluster.stop();
  }
}
