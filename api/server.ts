import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { createApp } from './app.ts';
import { dataChangedChannel, openDatabase, type Database } from './db/client.ts';
import { reload as reloadWalkGraph } from './geo/walk-graph.ts';
import { LiveHub } from './live/hub.ts';
import { loadDemoData } from './demo/seed.ts';
import { CountyLoadStopped, countyScale, loadCountyDemo } from './demo/county.ts';
import { demoSetting, demoState } from './demo/mode.ts';
import { issueSetupToken } from './auth/setup.ts';
import { publicBase } from './urls.ts';
import { startEscalationJob } from './loop/escalation.ts';
import { retentionDays, startRetentionJob } from './loop/retention.ts';
import { limitsFromEnv } from './guard/limits.ts';
import { startNotifications } from './notify/start.ts';
import { TileIndex } from './tiles/tile-index.ts';
import { sharedStats } from './live/stats.ts';
import type { AreaLevel } from './contract/vocabulary.ts';
import { sql } from 'drizzle-orm';
import { careKeyWarning } from './care/ledger.ts';
import { caughtUp, openReplica, readerOf } from './db/replica.ts';

// The port answers at once; the database (≈10–25 s cold for PGlite) and the web build come up
// behind it, and the page shows their progress by polling /api/health.
const port = Number(process.env.PORT ?? 8080);
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const databaseUrl = process.env.DATABASE_URL;
const webDir = resolve('dist/web');
const started = performance.now();
/** A database URL fit for the log: user and password left out. */
const withoutPassword = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@');
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const demo = demoSetting();
if (typeof demo === 'object') {
  console.error(demo.error);
  process.exit(1);
}
// settings read once, here, so a typo stops the start with its name (README, "Settings")
let contactDays: number;
try {
  contactDays = retentionDays();
  limitsFromEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const bootPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>一图 · 正在启动</title><body style="font:18px system-ui,sans-serif;display:grid;place-items:center;height:90vh;color:#234">
<div><h1>一图 网格地图</h1><p id="s">正在启动…</p></div>
<script>setInterval(async()=>{try{const r=await fetch('/api/health');const j=await r.json();
if(j.ok)location.reload();else document.getElementById('s').textContent='正在启动：'+j.stage+(j.failure?'（失败：'+j.failure+'）':'');}catch{}},1000)</script>`;

let stage = 'starting the database';
let failure: string | null = null;
let ready: ReturnType<typeof createApp> | null = null;

const server = new Hono();
// requests being answered, for a graceful shutdown (an SSE stream counts only until its headers go)
let inFlight = 0;
let drained: (() => void) | null = null;
server.use('*', async (_c, next) => {
  inFlight++;
  try {
    await next();
  } finally {
    if (--inFlight === 0) drained?.();
  }
});
// Reads only: hono's compress skips small answers only when they state their length, and c.json
// does not, so every write's few hundred bytes of answer went through gzip — 2 ms of a filing's
// 9 over HTTP on the county (docs/scaling.md) for nothing worth saving on the wire.
// A JSON answer states no length either: it is made whole in memory, so its length is stated
// before compress looks, and one under 1 KB (a ticket, the session, /api/health) goes as it is:
// gzip cost such a read 1–2 ms on the API's thread to save a few hundred bytes (docs/scaling.md).
const compressReads = compress();
const jsonType = /^application\/([a-z.+-]+\+)?json\b/;
async function stateJsonLength(c: Context) {
  const { res } = c;
  if (!res.body || !jsonType.test(res.headers.get('content-type') ?? '') || res.headers.has('content-length') || res.headers.has('transfer-encoding')) return;
  const bytes = new Uint8Array(await res.arrayBuffer());
  c.res = new Response(bytes, res);
  c.res.headers.set('content-length', String(bytes.byteLength));
}
server.use('*', (c, next) => (c.req.method === 'GET' ? compressReads(c, async () => { await next(); await stateJsonLength(c); }) : next()));
server.all('/:prefix{api|open311}/*', (c) => {
  if (ready) return ready.fetch(c.req.raw, c.env); // env: the socket, for the client's address (api/guard/client.ts)
  return c.json({ ok: false, stage, failure, code: 'starting', error: `the server is starting (${stage}); try again in a moment` }, 503, { 'retry-after': '1' });
});
mkdirSync(webDir, { recursive: true }); // serveStatic wants its root to exist before the first build
// the built files are named by their content: a browser keeps them, and asks again only for the page
server.use('/assets/*', async (c, next) => {
  await next();
  if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
});
server.use('*', serveStatic({ root: 'dist/web', precompressed: true }));
// the web app routes itself (/, /wall, /rider/…): unknown paths get its page
server.get('*', (c) => (existsSync(join(webDir, 'index.html')) ? c.html(readFileSync(join(webDir, 'index.html'), 'utf8')) : c.html(bootPage, 503)));

if (!databaseUrl) lockDataDir(dataDir);
const listening = serve({ fetch: server.fetch, port }, () => {
  const where = databaseUrl ? `PostgreSQL ${withoutPassword(databaseUrl)}` : `embedded PGlite + PostGIS in ${dataDir}`;
  console.log(`一图 Grid Map listening on http://localhost:${port} (database: ${where})`);
});
listening.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(`端口 ${port} 已被占用 / port ${port} is in use: is 一图 already running? Stop it, or start with PORT=8081 npm start`);
  process.exit(1);
});

let database: Database | null = null;
let replica: Database | null = null; // DATABASE_REPLICA_URL: public reads (api/db/replica.ts)
let stopBackgroundJobs = () => {};
// the county demo's generation, stopped by a signal between two of its statements (rolled back)
let countyLoad: { stop: AbortController; done: Promise<unknown> } | null = null;
let stopping = false;
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

await Promise.all([buildWebIfStale(), startApi()]);

/**
 * SIGTERM / SIGINT: take no new connection, let the requests in flight finish (at most
 * SHUTDOWN_GRACE_MS, default 10 s), end the SSE streams (browsers reconnect and replay), then
 * close the database so PGlite's data directory is left clean.
 */
async function shutdown(signal: string) {
  const graceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000);
  console.log(`${signal}: stopping — no new connections; finishing ${inFlight} request(s) in flight (at most ${graceMs / 1000} s)`);
  const http = listening as import('node:http').Server;
  let closed = false;
  http.close(() => { closed = true; });
  http.closeIdleConnections();
  stopBackgroundJobs();
  stopping = true;
  if (countyLoad) {
    console.log(`${signal}: stopping the county demo's generation after the statement running; nothing of it is kept`);
    countyLoad.stop.abort();
    await countyLoad.done.catch(() => {});
  }
  if (database) LiveHub.of(database).closeAll();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => { drained = resolve; }),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); }),
  ]);
  clearTimeout(timer);
  if (inFlight > 0) console.error(`${inFlight} request(s) still running after ${graceMs / 1000} s: stopping anyway`);
  // a handler that has returned may still be writing its answer: close each connection once it
  // is idle (its answer sent), and cut the rest only after a second more
  for (let i = 0; i < 20 && !closed; i++) {
    http.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  http.closeAllConnections();
  await replica?.close().catch((error) => console.error('could not close the replica cleanly:', error));
  await database?.close().catch((error) => console.error('could not close the database cleanly:', error));
  console.log('stopped');
  process.exit(0);
}

async function startApi() {
  try {
    const opened = (database = await openDatabase(databaseUrl ? { url: databaseUrl } : { dataDir }));
    console.log(`database open and migrated in ${seconds()} s`);
    const state = await demoState(database);
    if (demo === 'on' && state === 'empty') {
      stage = 'loading the demo data';
      if (await loadDemoData(database)) console.log(`demo data loaded in ${seconds()} s (DEMO_DATA=off starts empty)`);
    } else if (demo === 'county' && state === 'empty') {
      stage = 'generating the county demo';
      console.log('generating the county demo (荔原县): a few minutes, once');
      const stop = new AbortController();
      const loading = loadCountyDemo(database, countyScale(), (done, at) => console.log(`  ${at} s: ${done}`), stop.signal);
      countyLoad = { stop, done: loading };
      const counts = await loading.finally(() => { countyLoad = null; });
      if (stopping) return; // a signal came as the load ended: what follows would run on a closing database
      console.log(`county demo loaded in ${seconds()} s: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    } else if (state !== 'demo') {
      console.log(state === 'empty' ? 'starting empty (DEMO_DATA=off): no demo data, accounts, kiosk links or keys'
        : `the database holds ${state === 'own data' ? 'data of its own' : 'no demo any more'}: the demo is not loaded`);
    }
    // the care ledger's key (docs/care.md): a malformed one stops the start; a wrong one is said
    const careWarning = await careKeyWarning(database);
    if (careWarning) console.error(careWarning);
    // an installation without any account: a one-time link for its first administrator
    const setupToken = await issueSetupToken(database);
    if (setupToken) {
      const base = publicBase(`http://localhost:${port}/`);
      console.log(`\n  no account yet — open this link once to choose the first administrator (valid until used or the next start):\n  ${base}/setup?token=${setupToken}\n`);
    }
    replica = await openReplica(database, process.env.DATABASE_REPLICA_URL);
    if (replica) console.log(`public reads (map, tiles, collections, search, …) from the replica ${withoutPassword(process.env.DATABASE_REPLICA_URL!)}`);
    const databases = { primary: opened, replica };
    stage = 'cutting the map tiles';
    const tiles = await TileIndex.build(readerOf(databases, 'tiles'));
    const loadedInMs = Math.round(performance.now() - started);
    ready = createApp({ database, tiles, loadedInMs, replica });
    console.log(`ready in ${seconds()} s: http://localhost:${port}`);
    void warmFirstScreens(readerOf(databases, 'stats'), tiles);
    const stopJobs = [
      startEscalationJob(database), // overdue requests move up the chain every minute
      startRetentionJob(database, contactDays), // archived requests' contacts go after CONTACT_RETENTION_DAYS
      await startNotifications(database), // deadline warnings, the outbox's sender loop
    ];
    stopBackgroundJobs = () => stopJobs.forEach((stop) => stop());
    // boundaries imported by `npm run import:areas` (or another process) reach this server's tiles
    // (LISTEN on the primary: a standby receives no NOTIFY; a replica is read once it has replayed the change)
    await database.listen(dataChangedChannel, async (what) => {
      if (replica && !(await caughtUp(opened, replica).catch(() => false))) console.error(`map data changed (${what}): the replica is behind; re-reading it all the same`);
      // roads imported by npm run import or another server: the walking network is built again (rider paths, 15-minute circle)
      if (/roads|demo/.test(what)) {
        reloadWalkGraph(readerOf(databases, 'nearby')).then(
          () => console.log(`map data changed (${what}): walking network rebuilt`),
          (error) => console.error('could not rebuild the walking network after a data change:', error),
        );
      }
      tiles.reload(readerOf(databases, 'tiles')).then(
        () => {
          console.log(`map data changed (${what}): tiles re-cut`);
          void warmFirstScreens(readerOf(databases, 'stats'), tiles);
        },
        (error) => console.error('could not re-cut the tiles after a data change:', error),
      );
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    stage = 'failed';
    if (error instanceof CountyLoadStopped) console.log(error.message);
    else console.error('could not start the API:', error);
  }
}

/**
 * What every first screen asks for, made ahead in the background once the API answers: the tiles
 * over the installation's extent at the zooms a whole-area map or wall opens on, and the figures of
 * its top area (a county's wall). A server's first wall waited 0.5–1.6 s for its tiles' block and
 * 0.3 s for its figures (docs/scaling.md, the county's first frame); requests arriving meanwhile
 * are answered between the tiles, and one for a tile being cut waits for that cut.
 */
async function warmFirstScreens(database: Database, tiles: TileIndex) {
  const t0 = performance.now();
  try {
    const tops = await database.rows<{ id: string; level: AreaLevel }>(sql`SELECT id, level FROM areas WHERE parent_id IS NULL LIMIT 2`);
    const [cut] = await Promise.all([tiles.warm(), tops.length === 1 ? sharedStats(database, tops[0]) : null]);
    console.log(`first screens made ahead in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${cut} tiles${tops.length === 1 ? `, the figures of ${tops[0].id}` : ''}`);
  } catch (error) {
    if (!stopping) console.error('could not make the first screens ahead (they are made when asked for):', error); // else: the database closed under it
  }
}

/**
 * PGlite takes no lock of its own, and two servers on one data directory would corrupt it: the
 * first to start writes its pid here, and a second refuses while that process lives. A lock
 * left by a crash (its process gone) is simply taken over.
 */
function lockDataDir(dir: string) {
  const lock = join(dir, 'gridmap-server.pid');
  mkdirSync(dir, { recursive: true });
  const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : 0;
  if (holder && holder !== process.pid && isAlive(holder)) {
    console.error(`另一个一图服务器 (pid ${holder}) 正在使用 ${dir} / another server (pid ${holder}) is using ${dir}: stop it, or start this one with another DATA_DIR`);
    process.exit(1);
  }
  writeFileSync(lock, String(process.pid));
  process.once('exit', () => rmSync(lock, { force: true }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `npm start` on a fresh clone builds the web app once; after a source change, again. */
async function buildWebIfStale() {
  const built = join(webDir, 'index.html');
  if (existsSync(built) && newest(resolve('web')) <= statSync(built).mtimeMs) return;
  const t0 = performance.now();
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
  console.log(`web app built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
