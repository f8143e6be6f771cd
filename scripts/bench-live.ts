/**
 * npx tsx scripts/bench-live.ts — the live wall screen's figures (issue 4, §7), each beside a
 * baseline measured in the same run, against a real server process over real sockets:
 *   1. filing → arrival on 200 connected SSE clients, p50/p99 (baseline: one client)
 *   2. server memory (RSS) held by 1,000 open streams (baseline: the same server idle)
 *   3. a restarted server replays what a screen had not seen: events filed while the screen was
 *      away and while the server was down arrive after reconnecting with Last-Event-ID
 *      (baseline: the time a fresh connection takes to open, without replay)
 * On native PostgreSQL (a private cluster) when installed, else embedded PGlite in a temp dir.
 * Env: BENCH_SCREENS (200), BENCH_STREAMS (1000), BENCH_LIVE_FILINGS (20), BENCH_ENGINE=pglite to force PGlite.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { noLimitsEnv } from '../api/guard/limits.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../api/db/client.ts';
import { fileRequest } from '../api/loop/file.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { pct } from './lib/timing.ts';
import { rssKb, Screen } from './lib/screens.ts';

const screens = Number(process.env.BENCH_SCREENS ?? 200);
const streams = Number(process.env.BENCH_STREAMS ?? 1000);
const filings = Number(process.env.BENCH_LIVE_FILINGS ?? 20);
const port = 47_000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function fileOverHttp(point: { lon: number; lat: number }, i: number): Promise<string> {
  const res = await fetch(`${base}/api/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'street_light', description: `大屏测速 ${i}`, ...point }),
  });
  if (res.status !== 201) throw new Error(`filing → ${res.status} ${await res.text()}`);
  return (await res.json()).ticket;
}

/** Latency from the moment a filing is sent to its event's arrival on every screen. */
async function measureArrival(count: number, points: { lon: number; lat: number }[]) {
  const clients = Array.from({ length: count }, () => new Screen(base));
  await Promise.all(clients.map((c) => c.opened));
  const latencies: number[] = [];
  for (let i = 0; i < filings; i++) {
    const t0 = performance.now();
    const ticket = await fileOverHttp(points[i % points.length], i);
    const arrivals = await Promise.all(clients.map((c) => c.arrival(ticket)));
    for (const at of arrivals) latencies.push(at - t0);
    await sleep(100);
  }
  clients.forEach((c) => c.close());
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.max(...latencies), n: latencies.length };
}

async function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'api/server.ts'], {
    env: { ...process.env, ...noLimitsEnv, ...env, PORT: String(port) }, // a thousand screens from one address
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited while starting');
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > 120_000) throw new Error('the server did not become ready in 120 s');
    await sleep(250);
  }
  return child;
}

async function stopServer(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function gridPoints(database: Database) {
  return database.rows<{ lon: number; lat: number }>(sql`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE level = 'grid' ORDER BY id) x`);
}

async function main() {
  // the server would build the web app itself if stale; do it first so that build is not in its memory
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });

  const native = process.env.BENCH_ENGINE !== 'pglite' && hasNativePostgres();
  const cluster = native ? await startCluster(48_000 + (process.pid % 1000)) : null;
  const dataDir = native ? null : mkdtempSync(join(tmpdir(), 'gridmap-bench-live-'));
  const env: Record<string, string> = cluster ? { DATABASE_URL: cluster.url } : { DATA_DIR: dataDir! };
  const direct = () => openDatabase(cluster ? { url: cluster.url } : { dataDir: dataDir! });
  console.log(`live bench on ${native ? 'native PostgreSQL + PostGIS' : 'embedded PGlite'}: ${screens} screens, ${streams} streams, ${filings} filings`);

  let server = await startServer(env);
  try {
    // PGlite's data dir belongs to the server while it runs: ask the server for points instead
    const probe = native ? await direct() : null;
    const points = probe ? await gridPoints(probe) : await pointsOverHttp();
    await probe?.close();

    // 1. latency on many screens vs one
    await measureArrival(1, points); // warm-up: LISTEN in place, plans cached
    const one = await measureArrival(1, points);
    const many = await measureArrival(screens, points);
    console.log(`filing → arrival, 1 screen (baseline): p50 ${one.p50.toFixed(1)} ms, p99 ${one.p99.toFixed(1)} ms`);
    console.log(`filing → arrival, ${screens} screens:      p50 ${many.p50.toFixed(1)} ms, p99 ${many.p99.toFixed(1)} ms, max ${many.max.toFixed(1)} ms (${many.n} arrivals; target p99 < 1000 ms)`);

    // 2. memory of open streams
    await sleep(1500);
    const idle = rssKb(server.pid!);
    const open = Array.from({ length: streams }, () => new Screen(base));
    await Promise.all(open.map((c) => c.opened));
    await sleep(1500);
    const held = rssKb(server.pid!);
    const t0 = performance.now();
    const ticket = await fileOverHttp(points[0], -1);
    const arrivals = await Promise.all(open.map((c) => c.arrival(ticket)));
    const fanOut = arrivals.map((at) => at - t0);
    console.log(`server RSS idle (baseline): ${mb(idle)}; with ${streams} open streams: ${mb(held)}; delta ${mb(held - idle)} (${((held - idle) / streams).toFixed(1)} KB per stream; target < 300 MB)`);
    console.log(`one filing → arrival on all ${streams} streams: p50 ${pct(fanOut, 50).toFixed(1)} ms, p99 ${pct(fanOut, 99).toFixed(1)} ms`);
    open.forEach((c) => c.close());

    // 3. a restart loses nothing a screen has not seen
    const screen = new Screen(base);
    await screen.opened;
    const seen = await fileOverHttp(points[1], -2);
    await screen.arrival(seen);
    const lastSeen = screen.lastEventId!;
    screen.close();
    const missed: string[] = [];
    for (let i = 0; i < 5; i++) missed.push(await fileOverHttp(points[i % points.length], 1000 + i)); // screen away
    await stopServer(server);
    const offline = await direct();
    for (let i = 0; i < 5; i++) { // server down: another process (or the next start) writes
      const filed = await fileRequest(offline, { category: 'clutter', description: `停机期间 ${i}`, ...points[(i + 3) % points.length] });
      missed.push(filed.ticket);
    }
    await offline.close();
    const restartedAt = performance.now();
    server = await startServer(env);
    const restartMs = performance.now() - restartedAt;
    const fresh0 = performance.now();
    const fresh = new Screen(base);
    await fresh.opened;
    const freshMs = performance.now() - fresh0;
    fresh.close();
    const replay0 = performance.now();
    const back = new Screen(base, lastSeen);
    await back.opened;
    await Promise.race([Promise.all(missed.map((m) => back.arrival(m))), sleep(10_000)]);
    const replayMs = performance.now() - replay0;
    const got = new Set(back.received.map((r) => r.ticket));
    const lost = missed.filter((m) => !got.has(m));
    back.close();
    console.log(`restart: server ready again in ${(restartMs / 1000).toFixed(1)} s; ${missed.length} events filed while the screen was away (5 with the server up, 5 while it was down)`);
    console.log(`replay after restart with Last-Event-ID: ${missed.length - lost.length}/${missed.length} arrived in ${replayMs.toFixed(0)} ms (baseline: a fresh connection opens in ${freshMs.toFixed(0)} ms); lost: ${lost.length}${lost.length ? ` (${lost.join(', ')})` : ''}`);
    if (lost.length) process.exitCode = 1;
  } finally {
    await stopServer(server).catch(() => {});
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Points of past requests through the public API (when the bench cannot open the database itself). */
async function pointsOverHttp(): Promise<{ lon: number; lat: number }[]> {
  const res = await fetch(`${base}/api/collections/requests/items?limit=100`);
  const { features } = await res.json();
  return features.map((f: any) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
}

await main();
