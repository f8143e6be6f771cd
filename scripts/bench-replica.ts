/**
 * npx tsx scripts/bench-replica.ts — past one machine (issue 12 §3), native PostgreSQL only: a
 * primary and a hot standby made as in production (pg_basebackup -R, streaming replication,
 * synchronous_commit on), the demo street on them. Each figure beside its baseline, same run:
 *   1. replica lag as a reader sees it: a filing committed on the primary → the same public read
 *      (the OGC item of the request) answers it from the standby — baseline: that read on the
 *      primary straight after the commit (no lag by construction: what a read costs)
 *   2. the shared rate-limit count (api/guard/shared-counts.ts: one upsert per counted request,
 *      so several API processes count a client once) — baseline: hono-rate-limiter's MemoryStore
 * Env: BENCH_REPLICA_FILINGS (200).
 */
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { MemoryStore } from 'hono-rate-limiter';
import { createApp } from '../api/app.ts';
import { openDatabase } from '../api/db/client.ts';
import { openReplica } from '../api/db/replica.ts';
import { loadDemoData } from '../api/demo/seed.ts';
import { noLimits } from '../api/guard/limits.ts';
import { SharedCounts } from '../api/guard/shared-counts.ts';
import { fileRequest } from '../api/loop/file.ts';
import { TileIndex } from '../api/tiles/tile-index.ts';
import { hasNativePostgres, startCluster, startStandby } from '../tests/setup/pg-cluster.ts';
import { pct, timeEach } from './lib/timing.ts';

const filings = Number(process.env.BENCH_REPLICA_FILINGS ?? 200);
const ms = (x: number) => `${x.toFixed(3)} ms`;

console.log(`一图 replica bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).availableParallelism()} cores`);
if (!hasNativePostgres()) {
  console.log('no native PostgreSQL 15 here: nothing to measure (a replica needs DATABASE_URL)');
  process.exit(0);
}

const parent = resolve('.tmp');
const port = 46_000 + (process.pid % 900);
const primaryCluster = await startCluster(port, { parent, settings: '-c synchronous_commit=on' });
let standbyCluster: Awaited<ReturnType<typeof startStandby>> | null = null;
try {
  const admin = await openDatabase({ url: primaryCluster.url, migrate: false });
  await admin.db.execute(sql.raw('CREATE DATABASE gridmap'));
  await admin.close();
  const primary = await openDatabase({ url: primaryCluster.urlFor('gridmap') });
  await loadDemoData(primary);
  standbyCluster = await startStandby(primaryCluster.url, port + 1, { parent });
  const replica = (await openReplica(primary, standbyCluster.urlFor('gridmap')))!;
  const app = createApp({ database: primary, replica, tiles: await TileIndex.build(replica), limits: noLimits });
  const item = async (ticket: string) => (await app.request(`http://bench/api/collections/requests/items/${ticket}`)).status;
  const itemOnPrimary = createApp({ database: primary, tiles: await TileIndex.build(primary), limits: noLimits });

  const [micro] = await primary.rows<{ lon: number; lat: number }>(sql`
    SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM areas WHERE level = 'microgrid' ORDER BY id LIMIT 1`);
  const file = () => fileRequest(primary, { category: 'street_light', description: '基准测试：路灯不亮', lon: Number(micro.lon), lat: Number(micro.lat) });
  for (let i = 0; i < 20; i++) await item((await file()).ticket); // warm-up: plans cached on both servers

  const lags: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < filings; i++) {
    const { ticket } = await file();
    const committed = performance.now();
    while ((await item(ticket)) !== 200) { /* not replayed yet */ }
    lags.push(performance.now() - committed);
    const { ticket: next } = await file();
    const t0 = performance.now();
    if ((await itemOnPrimary.request(`http://bench/api/collections/requests/items/${next}`)).status !== 200) throw new Error('the primary did not see its own write');
    reads.push(performance.now() - t0);
  }
  const [stat] = await primary.rows<{ replay: string | null }>(sql`SELECT replay_lag::text AS replay FROM pg_stat_replication`);
  console.log(`[replica] commit on the primary → public read answers it from the standby, ${filings} filings: p50 ${ms(pct(lags, 50))}, p99 ${ms(pct(lags, 99))}, max ${ms(Math.max(...lags))} (last pg_stat_replication.replay_lag ${stat?.replay ?? 'n/a'})`);
  console.log(`[replica]   baseline the same read on the primary straight after its commit (no lag, the read's own cost): p50 ${ms(pct(reads, 50))}, p99 ${ms(pct(reads, 99))}`);

  const shared = new SharedCounts(primary);
  shared.init({ windowMs: 600_000 });
  const memory = new MemoryStore();
  memory.init({ windowMs: 600_000 } as never);
  const counted = await timeEach(2000, (i) => shared.increment(`filings:10.0.${i % 250}.${i % 7}`));
  const inMemory = await timeEach(2000, async (i) => memory.increment(`filings:10.0.${i % 250}.${i % 7}`));
  console.log(`[limits] one counted request in rate_counts (shared by every API process): p50 ${ms(counted.p50)}, p99 ${ms(counted.p99)}`);
  console.log(`[limits]   baseline hono-rate-limiter's MemoryStore (per process): p50 ${ms(inMemory.p50)}, p99 ${ms(inMemory.p99)}`);
  await replica.close();
  await primary.close();
} finally {
  await standbyCluster?.stop();
  await primaryCluster.stop();
}
