/**
 * npx tsx scripts/prof-filing.ts — filing over HTTP on a database that already holds the county
 * (DATABASE_URL; nothing is generated or reloaded), with and without screens listening: the
 * quick loop for taking the filing path apart (issue 12), beside scripts/bench-county.ts which
 * builds its own county. The screens listen from a process of their own (PROF_SCREENS_APART=0:
 * from the filer's), so the filer's clock is not the screens' parsing.
 * Beside the times, the CPU each filing costs (the API process's and, with PROF_PGDATA naming the
 * cluster's data directory, its backends'): a figure the other processes on a shared machine
 * disturb far less than the times.
 * Env: PROF_PORT (8141), BENCH_SCREENS (200), BENCH_FILINGS (200), PROF_CPU (a directory: the
 * server runs with --cpu-prof into it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { noLimitsEnv } from '../api/guard/limits.ts';
import { pct } from './lib/timing.ts';
import { Screen } from './lib/screens.ts';
import { screensApart } from './lib/screens-apart.ts';
import { keptAlive } from './lib/http-client.ts';

const port = Number(process.env.PROF_PORT ?? 8141);
const base = `http://127.0.0.1:${port}`;
const screens = Number(process.env.BENCH_SCREENS ?? 200);
const filings = Number(process.env.BENCH_FILINGS ?? 200);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (user + system) of a process, in ms. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0; // ended since it was listed
  }
}

/** CPU time of the cluster's postgres processes (the postmaster's children), in ms. */
function clusterCpuMs(): number {
  const data = process.env.PROF_PGDATA;
  if (!data) return 0;
  const postmaster = readFileSync(`${data}/postmaster.pid`, 'utf8').split('\n')[0];
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === postmaster) total += cpuMs(Number(pid));
    } catch { /* gone */ }
  }
  return total;
}

async function startServer(): Promise<ChildProcess> {
  const cpu = process.env.PROF_CPU ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF_CPU}`] : [];
  const child = spawn(process.execPath, [...cpu, '--import', 'tsx', 'api/server.ts'], {
    env: { ...process.env, ...noLimitsEnv, DEMO_DATA: 'county', PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited while starting');
    try {
      if ((await fetch(`${base}/api/health`)).ok) return child;
    } catch { /* not yet */ }
    await sleep(250);
  }
}

async function gridPoints(): Promise<{ lon: number; lat: number }[]> {
  const res = await fetch(`${base}/api/collections/grids/items?limit=500`);
  const { features } = await res.json() as { features: { geometry: { type: string; coordinates: any } }[] };
  return features.map((f) => {
    const ring: number[][] = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates[0][0] : f.geometry.coordinates[0];
    const corners = ring.slice(0, -1);
    return { lon: corners.reduce((a, c) => a + c[0], 0) / corners.length, lat: corners.reduce((a, c) => a + c[1], 0) / corners.length };
  });
}

async function file(client: ReturnType<typeof keptAlive>, point: { lon: number; lat: number }, i: number) {
  const t0 = performance.now();
  const res = await client.post('/api/requests', { category: 'street_light', description: `县级测速 ${i}`, ...point });
  if (res.status !== 201) throw new Error(`filing → ${res.status} ${res.text}`);
  const { ticket } = JSON.parse(res.text) as { ticket: string };
  return { ticket, ms: performance.now() - t0, t0 };
}

type Arrivals = { arrivals(ticket: string): Promise<number[]>; close(): void };

async function screensHere(): Promise<Arrivals> {
  const listening = Array.from({ length: screens }, () => new Screen(base));
  await Promise.all(listening.map((s) => s.opened));
  return {
    arrivals: async (ticket) => (await Promise.all(listening.map((s) => s.arrival(ticket)))).map((at) => at + performance.timeOrigin),
    close: () => listening.forEach((s) => s.close()),
  };
}

async function round(points: { lon: number; lat: number }[], arrivals: Arrivals | null, server?: ChildProcess) {
  const cpu0 = [cpuMs(server?.pid ?? 0), clusterCpuMs()];
  const answered: number[] = [];
  const arrived: number[] = [];
  const client = keptAlive(base);
  for (let i = 0; i < filings; i++) {
    const { ticket, ms, t0 } = await file(client, points[i % points.length], i);
    answered.push(ms);
    if (arrivals) arrived.push(Math.max(...await arrivals.arrivals(ticket)) - (t0 + performance.timeOrigin));
    await sleep(20);
  }
  client.close();
  const cpu = `CPU a filing: API ${((cpuMs(server?.pid ?? 0) - cpu0[0]) / filings).toFixed(2)} ms, PostgreSQL ${((clusterCpuMs() - cpu0[1]) / filings).toFixed(2)} ms`;
  return { answered, arrived, cpu };
}

async function main() {
  const server = await startServer();
  try {
    const points = await gridPoints();
    const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p90 ${pct(xs, 90).toFixed(2)}, p99 ${pct(xs, 99).toFixed(2)} ms`;
    await round(points.slice(0, 20), null);
    const alone = await round(points, null, server);
    console.log(`no screen: ${f(alone.answered)}; ${alone.cpu}`);
    const arrivals = process.env.PROF_SCREENS_APART === '0' ? await screensHere() : await screensApart(base, screens);
    const watched = await round(points, arrivals, server);
    arrivals.close();
    console.log(`${screens} screens: ${f(watched.answered)}; arrival on the last screen ${f(watched.arrived)}; ${watched.cpu}`);
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
}

await main();
