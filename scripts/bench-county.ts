/**
 * npx tsx scripts/bench-county.ts — the county demo (`DEMO_DATA=county`, 荔原县) as its users meet
 * it (issue 12), on a real server process over real sockets, on native PostgreSQL (a private
 * cluster) and on embedded PGlite:
 *   1. first start (the county generated into an empty database) and a later start
 *   2. the first full frame in headless Chromium of the county administrator's screen (/wall) and
 *      map (/), at 1920×1080, the server cold then warm; reference: the same screen framed on one
 *      grid of the county (the smallest screen of the same data)
 *   3. filing over HTTP, p50/p99, with 200 screens listening to the live stream (from a process of
 *      their own); baseline: the same filings on the same server with no screen listening; and the
 *      floor under both: one read of the database over HTTP with the same client and pacing
 *   4. the API process's resident memory after the start, the frames and the filings
 * Env: COUNTY_STREETS / COUNTY_REQUESTS (the demo's scale; the whole county by default),
 * BENCH_COUNTY_ENGINES (postgres,pglite), BENCH_COUNTY_DIR (an embedded data directory already
 * holding the county: its first start is not measured again), BENCH_SCREENS (200), BENCH_FILINGS (200).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { noLimitsEnv } from '../api/guard/limits.ts';
import { hasNativePostgres, startCluster } from '../tests/setup/pg-cluster.ts';
import { pct } from './lib/timing.ts';
import { rssKb } from './lib/screens.ts';
import { screensApart } from './lib/screens-apart.ts';
import { keptAlive } from './lib/http-client.ts';

const screens = Number(process.env.BENCH_SCREENS ?? 200);
const filings = Number(process.env.BENCH_FILINGS ?? 200);
const engines = (process.env.BENCH_COUNTY_ENGINES ?? 'postgres,pglite').split(',');
const port = 46_000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;
const password = process.env.DEMO_PASSWORD ?? 'demo1234';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    env: { ...process.env, ...noLimitsEnv, DEMO_DATA: 'county', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited while starting');
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > 3_600_000) throw new Error('the server did not become ready in an hour');
    await sleep(250);
  }
  return { child, ms: performance.now() - t0 };
}

async function stopServer(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function signIn(username: string): Promise<string> {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/**
 * From navigation to the first frame with everything of the screen on it: the map's style and
 * every tile of the view loaded, the map at rest, and the screen's data drawn (the wall's table of
 * units and its live stream open; the map's count of the view's requests).
 */
async function firstFrame(browser: Browser, cookie: string, path: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', deviceScaleFactor: 1 });
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(`${base}${path}`);
  await page.waitForFunction((wall) => {
    const holder = window as unknown as Record<string, any>;
    const map = wall ? holder.__wall?.map : holder.__gridMap;
    if (!map || !map.loaded() || !map.areTilesLoaded() || map.isMoving()) return false;
    return wall
      ? document.querySelectorAll('tr[data-unit]').length > 0 && !!document.querySelector('.live:not(.off)')
      : !!document.querySelector('.view-count');
  }, path.startsWith('/wall'), { polling: 50, timeout: 300_000 });
  const ms = performance.now() - t0;
  await context.close();
  return ms;
}

type Client = ReturnType<typeof keptAlive>;

async function fileOverHttp(client: Client, point: { lon: number; lat: number }, i: number): Promise<{ ticket: string; ms: number }> {
  const t0 = performance.now();
  const res = await client.post('/api/requests', { category: 'street_light', description: `县级测速 ${i}`, ...point });
  if (res.status !== 201) throw new Error(`filing → ${res.status} ${res.text}`);
  const { ticket } = JSON.parse(res.text);
  return { ticket, ms: performance.now() - t0 };
}

/**
 * Filing latency (the POST answered) and, with screens, each screen's arrival after the POST was
 * sent. The screens listen from a process of their own (scripts/lib/screens-apart.ts), as
 * they would from their own machines. One filer on a kept-alive connection (scripts/lib/http-client.ts).
 */
async function filingWith(count: number, points: { lon: number; lat: number }[]) {
  const listening = count > 0 ? await screensApart(base, count) : null;
  const client = keptAlive(base);
  const answered: number[] = [];
  const arrived: number[] = [];
  for (let i = 0; i < filings; i++) {
    const t0 = performance.now();
    const { ticket, ms } = await fileOverHttp(client, points[i % points.length], i);
    answered.push(ms);
    for (const at of listening ? await listening.arrivals(ticket) : []) arrived.push(at - (t0 + performance.timeOrigin));
    await sleep(20);
  }
  client.close();
  listening?.close();
  return { answered, arrived };
}

/**
 * What this machine gives any answer, the floor under the filing's figures, with the same client
 * and pacing: an answer without the database (`GET /api/floor`, an unknown path: a 404) and one
 * that reads it once (`GET /api/health`, two lookups of `meta` by key). Paced, each call finds the
 * processes asleep and pays for waking them (docs/scaling.md).
 */
async function floorOverHttp(path: string, status: number): Promise<number[]> {
  const client = keptAlive(base);
  const times: number[] = [];
  for (let i = 0; i < filings; i++) {
    const t0 = performance.now();
    const res = await client.get(path);
    if (res.status !== status) throw new Error(`${path} → ${res.status}`);
    times.push(performance.now() - t0);
    await sleep(20);
  }
  client.close();
  return times;
}

/** Points inside the county's grids, from the public API (the server owns an embedded database while it runs). */
async function gridPoints(): Promise<{ lon: number; lat: number }[]> {
  const res = await fetch(`${base}/api/collections/grids/items?limit=500`);
  const { features } = await res.json() as { features: { geometry: { type: string; coordinates: number[][][][] | number[][][] } }[] };
  return features.map((f) => {
    const ring = (f.geometry.type === 'MultiPolygon' ? (f.geometry.coordinates as number[][][][])[0][0] : (f.geometry.coordinates as number[][][])[0]);
    // the mean of a convex-ish lattice cell's corners lies inside it
    const corners = ring.slice(0, -1);
    return { lon: corners.reduce((a, c) => a + c[0], 0) / corners.length, lat: corners.reduce((a, c) => a + c[1], 0) / corners.length };
  });
}

async function bench(engine: string, browser: Browser) {
  const cluster = engine === 'postgres' ? await startCluster(45_000 + (process.pid % 1000)) : null;
  const given = engine === 'pglite' ? process.env.BENCH_COUNTY_DIR : undefined;
  const dataDir = engine === 'pglite' ? given ?? mkdtempSync(join(tmpdir(), 'gridmap-bench-county-')) : null;
  const env: Record<string, string> = cluster ? { DATABASE_URL: cluster.url } : { DATA_DIR: dataDir! };
  const label = `[county ${engine}]`;
  try {
    const preloaded = !!given && existsSync(join(given, 'PG_VERSION'));
    const first = await startServer(env);
    console.log(`${label} ${preloaded ? 'start on the data directory given' : 'first start, the county generated'}: ${s(first.ms)}${preloaded ? '' : ' (target < 180 s embedded)'}; RSS ${mb(rssKb(first.child.pid!))}`);
    await stopServer(first.child);
    const later = await startServer(env);
    let server = later.child;
    console.log(`${label} later start: ${s(later.ms)} (target < 10 s); RSS after start ${mb(rssKb(server.pid!))}`);
    try {
      const cookie = await signIn('county-admin');
      const points = await gridPoints();
      const frames: string[] = [];
      for (const [what, path] of [['wall', '/wall?tour=0'], ['map', '/']] as const) {
        const cold = await firstFrame(browser, cookie, path);
        const warm = await firstFrame(browser, cookie, path);
        frames.push(`${what} cold ${s(cold)}, warm ${s(warm)}`);
      }
      const gridId = (await (await fetch(`${base}/api/collections/grids/items?limit=1`)).json()).features[0].id;
      const oneGrid = await firstFrame(browser, cookie, `/wall?tour=0&area=${gridId}`);
      console.log(`${label} county first full frame at 1920×1080: ${frames.join('; ')} (target < 3 s); reference: the wall framed on one grid ${s(oneGrid)}`);
      console.log(`${label} RSS after the frames: ${mb(rssKb(server.pid!))}`);

      await filingWith(0, points.slice(0, 20)); // warm-up: plans cached, LISTEN in place
      const alone = await filingWith(0, points);
      const watched = await filingWith(screens, points);
      const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;
      const [bare, oneRead] = [await floorOverHttp('/api/floor', 404), await floorOverHttp('/api/health', 200)];
      console.log(`${label} floor, same client and pacing: an answer without the database (a 404) ${f(bare)}; one read of it (GET /api/health) ${f(oneRead)}`);
      console.log(`${label} filing over HTTP, ${filings} filings: no screen listening (baseline) ${f(alone.answered)}; ${screens} screens listening ${f(watched.answered)} (target p99 < 5 ms native) → ×${(pct(watched.answered, 99) / pct(alone.answered, 99)).toFixed(2)}`);
      console.log(`${label} filing → arrival on ${screens} screens: ${f(watched.arrived)}`);
      console.log(`${label} RSS after the filings: ${mb(rssKb(server.pid!))} (target < 600 MB native)`);
    } finally {
      await stopServer(server);
    }
  } finally {
    await cluster?.stop();
    if (dataDir && !given) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  // the server would build the web app itself if stale; done first, so that build is not in its memory or its start
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const engine of engines) {
      if (engine === 'postgres' && !hasNativePostgres()) {
        console.log('[county postgres] no native PostgreSQL + PostGIS here: skipped');
        continue;
      }
      await bench(engine, browser);
    }
  } finally {
    await browser.close();
  }
}

await main();
