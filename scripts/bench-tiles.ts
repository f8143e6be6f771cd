/**
 * npx tsx scripts/bench-tiles.ts — tiles at county scale (issue 12 §2), over HTTP, on the county
 * demo (api/demo/county.ts: 16 streets, ≈ 12,500 areas, ≈ 98,000 buildings), each server a process
 * of its own started as `npm start` starts it:
 *   ours   the API (api/tiles/tile-index.ts: blocks read by bbox when first asked for)
 *   mvt    plain PostGIS, native only: ST_AsMVT of the same layers (scripts/lib/tile-baselines.ts)
 *   whole  the previous tile index: every row of every layer in one geojson-vt index per process
 * For each: RSS after start; every tile z10–16 over the county asked once by `clients` concurrent
 * clients (cold: the first time that process cuts it), then all again (warm); p50/p99 of each
 * pass; RSS (and its peak) after both. Target: ours ≥ 2× ST_AsMVT, RSS < 600 MB native.
 * Before each server's passes PostgreSQL's cache is warmed alike (pg_prewarm of every table and
 * GiST index the tiles read), so that no cold pass is slower for a database cache the one before
 * it left colder.
 * Env: BENCH_ENGINE=pglite|postgres (that one only), BENCH_TILES_CLIENTS (8), COUNTY_STREETS (16),
 * COUNTY_REQUESTS (10,000: requests are not in tiles, and the API process reads none at start),
 * BENCH_TILES_PORT (8111; the cluster on the port 5 above), BENCH_TILES_WHOLE=off (no "before" row),
 * BENCH_TILES_WORKERS (e.g. `0,1,2`: ours once for each TILE_WORKERS, in that order; default the server's own).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { noLimitsEnv } from '../api/guard/limits.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { pct } from './lib/timing.ts';

const clients = Number(process.env.BENCH_TILES_CLIENTS ?? 8);
const county = { COUNTY_STREETS: process.env.COUNTY_STREETS ?? '16', COUNTY_REQUESTS: process.env.COUNTY_REQUESTS ?? '10000' };
const port = Number(process.env.BENCH_TILES_PORT ?? 8111);
/** TILE_WORKERS of each run of ours; null: the server's default */
const workerCounts = process.env.BENCH_TILES_WORKERS ? process.env.BENCH_TILES_WORKERS.split(',').map((n) => n.trim()) : [null];
const base = `http://127.0.0.1:${port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** VmRSS and VmHWM (the peak) of a process, in kB. */
function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))![1]);
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The node flags `npm start` runs the server with: package.json's start script, `tsx [flags] api/server.ts`. */
const startFlags = (JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string).split(/\s+/).filter((word) => word.startsWith('--'));

/** A server process started as `npm start` starts one (node with its flags and tsx's loader), once it answers /api/health. */
async function start(args: string[], env: Record<string, string>, minutes = 2): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...startFlags, '--import', 'tsx', ...args], {
    env: { ...process.env, ...noLimitsEnv, ...env, PORT: String(port) }, // several clients from one address
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited while starting`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return child;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > minutes * 60_000) throw new Error(`${args.join(' ')} did not answer in ${minutes} min`);
    await sleep(250);
  }
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Every tile z10–16 over the box, zoom by zoom, row by row, as a map swept across it would ask. */
function sweep([w, s, e, n]: number[]): string[] {
  const paths: string[] = [];
  for (let z = 10; z <= 16; z++) {
    const k = 2 ** z;
    const tx = (lon: number) => Math.floor(((lon + 180) / 360) * k);
    const ty = (lat: number) => { const r = (lat * Math.PI) / 180; return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * k); };
    for (let y = ty(n); y <= ty(s); y++) for (let x = tx(w); x <= tx(e); x++) paths.push(`/api/tiles/${z}/${x}/${y}.mvt`);
  }
  return paths;
}

/** Asks every path once, `clients` at a time taking the next one; the time of each answer. */
async function pass(paths: string[]) {
  const times: number[] = [];
  let next = 0;
  let bytes = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const t = performance.now();
      const res = await fetch(base + path);
      if (res.status !== 200 && res.status !== 204) throw new Error(`${path} answered ${res.status}`);
      bytes += (await res.arrayBuffer()).byteLength;
      times.push(performance.now() - t);
    }
  }));
  return { p50: pct(times, 50), p99: pct(times, 99), seconds: (performance.now() - t0) / 1000, bytes };
}

type Figures = { started: number; cold: Awaited<ReturnType<typeof pass>>; warm: Awaited<ReturnType<typeof pass>>; rss: number; peak: number };

/** Every table and GiST index the tiles read, in PostgreSQL's shared buffers (native only). */
async function prewarm(url: string | null) {
  if (!url) return;
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_prewarm`;
    await sql`SELECT pg_prewarm(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND (c.relname = ANY(${tables}) OR c.relname LIKE '%_geom_idx')`;
  } finally {
    await sql.end();
  }
}
const tables = ['areas', 'roads', 'landuse', 'compounds', 'buildings', 'entrances', 'gates', 'pois'];

async function measure(server: ChildProcess, paths: string[], url: string | null): Promise<Figures> {
  await prewarm(url);
  await sleep(1000);
  const started = memory(server.pid!).rss;
  const cold = await pass(paths);
  const warm = await pass(paths);
  const { rss, peak } = memory(server.pid!);
  await stop(server);
  return { started, cold, warm, rss, peak };
}

function report(label: string, name: string, f: Figures, mvt?: Figures) {
  const x = (theirs: number, ours: number) => `×${(theirs / ours).toFixed(1)}`;
  console.log(`[${label}] ${name}: RSS ${mb(f.started)} after start, ${mb(f.rss)} after the sweeps (peak ${mb(f.peak)}); ` +
    `cold p50 ${ms(f.cold.p50)}, p99 ${ms(f.cold.p99)} (${f.cold.seconds.toFixed(1)} s); warm p50 ${ms(f.warm.p50)}, p99 ${ms(f.warm.p99)} (${f.warm.seconds.toFixed(1)} s)` +
    (mvt ? `; faster than ST_AsMVT: cold p50 ${x(mvt.cold.p50, f.cold.p50)}, p99 ${x(mvt.cold.p99, f.cold.p99)}, warm p50 ${x(mvt.warm.p50, f.warm.p50)}, p99 ${x(mvt.warm.p99, f.warm.p99)}` : ''));
}

async function run(label: 'pglite' | 'postgres') {
  const cluster = label === 'postgres' ? await startCluster(port + 5, { parent: resolve('.tmp') }) : null;
  const dataDir = cluster ? null : mkdtempSync(join(tmpdir(), 'tiles-bench-'));
  const env: Record<string, string> = cluster ? { DATABASE_URL: cluster.url } : { DATA_DIR: dataDir! };
  try {
    const t0 = performance.now();
    const first = await start(['api/server.ts'], { ...env, ...county, DEMO_DATA: 'county' }, 30);
    const doc = await (await fetch(`${base}/api/tiles.json`)).json();
    await stop(first);
    const paths = sweep(doc.bounds);
    console.log(`[${label}] county demo (${county.COUNTY_STREETS} streets) loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s; ` +
      `${paths.length.toLocaleString('en')} tiles z10–16 over it, ${clients} concurrent clients over HTTP`);

    const url = cluster?.url ?? null;
    const mvt = cluster ? await measure(await start(['scripts/lib/tile-baselines.ts', 'mvt'], env), paths, url) : null;
    const whole = process.env.BENCH_TILES_WHOLE === 'off' ? null : await measure(await start(['scripts/lib/tile-baselines.ts', 'whole'], env, 10), paths, url);
    const ours: [string, Figures][] = [];
    for (const workers of workerCounts) {
      const name = workers === null ? 'ours: blocks read by bbox, LRU-bounded   ' : `ours, TILE_WORKERS=${workers}`.padEnd(41);
      ours.push([name, await measure(await start(['api/server.ts'], workers === null ? env : { ...env, TILE_WORKERS: workers }, 10), paths, url)]);
    }
    if (mvt) report(label, 'baseline ST_AsMVT (plain PostGIS, no cache) ', mvt);
    else console.log(`[${label}] no ST_AsMVT baseline: PGlite's PostGIS is built without protobuf-c`);
    if (whole) report(label, 'before: one geojson-vt index of every row', whole, mvt ?? undefined);
    for (const [name, figures] of ours) report(label, name, figures, mvt ?? undefined);
    console.log(`[${label}] memory of the API process: ${ours.map(([name, f]) => `${mb(f.rss)} after the sweeps, peak ${mb(f.peak)}${ours.length > 1 ? ` (${name.trim()})` : ''}`).join('; ')}` +
      (whole ? `; before ${mb(whole.rss)}, peak ${mb(whole.peak)}` : '') + (label === 'postgres' ? ' (target < 600 MB native)' : ''));
  } finally {
    await cluster?.stop();
    // and the care key's folder the server made beside it (api/care/seal.ts defaultKeyFile)
    for (const dir of dataDir ? [dataDir, `${dataDir}.keys`] : []) rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`一图 tiles bench — ${new Date().toISOString()} — node ${process.version}, ${availableParallelism()} cores`);
// the server would build the web app itself if stale; do it first so that build is not in its memory
execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
const engine = process.env.BENCH_ENGINE;
if (engine !== 'pglite') {
  if (hasNativePostgres()) await run('postgres');
  else console.log('native PostgreSQL + PostGIS not installed: apt-get install postgresql-15-postgis-3 for its half');
}
if (engine !== 'postgres') await run('pglite');
