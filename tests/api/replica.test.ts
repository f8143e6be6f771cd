import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app.ts';
import { openDatabase, type Database } from '../../api/db/client.ts';
import { openReplica } from '../../api/db/replica.ts';
import { limitsFromEnv } from '../../api/guard/limits.ts';
import { TileIndex } from '../../api/tiles/tile-index.ts';
import { pct } from '../../scripts/lib/timing.ts';
import type { TestApp } from '../helpers/app.ts';
import { startServer, until } from '../helpers/server.ts';
import { SseReader } from '../helpers/sse.ts';
import { call, pointIn, signIn } from '../helpers/staff.ts';
import { startStandby, type Cluster } from '../setup/pg-cluster.ts';
import { modes } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';

// Past one machine (issue 12 §3): a primary and a hot standby of Debian's PostgreSQL 15, made as
// in production (pg_basebackup -R, streaming replication), and two API processes on them — a
// server process (A, as `npm start` runs it) and this test's own process (B). The primary is the
// suite's cluster (its demo template is there already); the standby is this file's, for all its tests.
describe.runIf(modes().includes('postgres'))('a primary, a hot standby and two API processes', () => {
  const slot = process.pid % 900;
  let portA = 0;
  let a = '';
  const name = `r_${randomBytes(5).toString('hex')}`;
  let admin: Database;
  let standby: Cluster;
  let standbyDb: Database; // the test's own look at the standby: replay paused and resumed
  let server: ReturnType<typeof startServer>;
  let b: TestApp;

  beforeAll(async () => {
    // the primary: the suite's cluster, with a fresh copy of the demo database; synchronous_commit
    // on for it, as in production (the suite's cluster runs without), so a commit's WAL leaves at once
    const templateUrl = inject('postgresTemplateUrl')!;
    admin = await openDatabase({ url: templateUrl.replace(/\/gridmap_template$/, '/postgres'), migrate: false });
    await admin.db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE gridmap_template`));
    await admin.db.execute(sql.raw(`ALTER DATABASE ${name} SET synchronous_commit = on`));
    portA = await freePort();
    a = `http://127.0.0.1:${portA}`;
    standby = await startStandby(templateUrl, await freePort(), { parent: resolve('.tmp') });

    const urls = { DATABASE_URL: templateUrl.replace(/\/gridmap_template$/, `/${name}`), DATABASE_REPLICA_URL: standby.urlFor(name) };
    // two me-too per client in the window on both processes, clients told apart by X-Forwarded-For
    const meToo = { RATE_LIMIT_ME_TOO: '2', TRUST_PROXY: '1' };
    server = startServer({ PORT: String(portA), ...urls, ...meToo });
    const database = await openDatabase({ url: urls.DATABASE_URL });
    const replica = (await openReplica(database, urls.DATABASE_REPLICA_URL))!;
    const tiles = await TileIndex.build(replica);
    const app = createApp({ database, tiles, replica, limits: limitsFromEnv({ ...process.env, ...meToo }) });
    b = {
      database, app, tiles,
      get: async (path) => app.request(`http://localhost${path}`),
      post: async (path, body) => app.request(`http://localhost${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      close: async () => { await replica.close(); await database.close(); },
    };
    standbyDb = await openDatabase({ url: urls.DATABASE_REPLICA_URL, migrate: false });
    // as long as tests/api/faults.test.ts gives a server: the suite's two workers keep the machine busy
    await until(() => /ready in/.test(server.output()) || server.child.exitCode !== null, 240_000);
    expect(server.child.exitCode, server.output()).toBeNull();
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await b?.close();
    await standbyDb?.close();
    await standby?.stop();
    await admin?.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin?.close();
  });

  const fileOnA = async (description: string) => {
    const res = await fetch(`${a}/api/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street_light', description, ...(await pointIn(b, 'MS-XSL-G01')) }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { ticket: string; reportToken?: string };
  };
  const onReplica = async (ticket: string) => (await b.get(`/api/collections/requests/items/${ticket}`)).status;

  it('serves public reads from the standby, and the filing, the resident\u2019s ticket and the live stream from the primary', async () => {
    const [{ inRecovery }] = await standbyDb.rows<{ inRecovery: boolean }>(sql`SELECT pg_is_in_recovery() AS "inRecovery"`);
    expect(inRecovery).toBe(true);
    expect(server.output()).toMatch(/public reads \(map, tiles, collections, search, …\) from the replica/);

    const stream = new SseReader((await b.get('/api/events')).body!); // on process B
    await stream.next(5000); // connected
    // the standby stops replaying: what is written from now on exists on the primary only
    await standbyDb.rows(sql`SELECT pg_wal_replay_pause()`);
    await expect.poll(async () => (await standbyDb.rows<{ s: string }>(sql`SELECT pg_get_wal_replay_pause_state() AS s`))[0].s).toBe('paused');
    try {
      const { ticket } = await fileOnA('replica marker 备库标记：路灯不亮');
      // the write is on the primary, and the resident finds their ticket at once (read from the primary)
      const [row] = await b.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests WHERE ticket = ${ticket}`);
      expect(row.n).toBe(1);
      expect((await fetch(`${a}/api/requests/${ticket}`)).status).toBe(200);
      // public reads come from the standby, which has not seen it: on both processes
      expect((await fetch(`${a}/api/collections/requests/items/${ticket}`)).status).toBe(404);
      expect(await onReplica(ticket)).toBe(404);
      const { lon, lat } = await pointIn(b, 'MS-XSL-G01');
      const view = `/api/map/requests?bbox=${lon - 0.01},${lat - 0.01},${lon + 0.01},${lat + 0.01}&zoom=18`;
      const markers = async () => ((await (await b.get(view)).json()) as { markers: { id: string }[] }).markers.map((m) => m.id);
      expect(await markers()).not.toContain(ticket);
      // the live stream listens on the primary: filed through A, it reaches the stream opened on B
      const event = JSON.parse((await stream.next(10_000, 'request')).data!);
      expect(event.ticket).toBe(ticket);

      await standbyDb.rows(sql`SELECT pg_wal_replay_resume()`);
      await expect.poll(() => onReplica(ticket), { timeout: 10_000 }).toBe(200);
      expect(await markers()).toContain(ticket);
      // the standby's copy is public fields only, like the primary's
      expect(await (await b.get(`/api/collections/requests/items/${ticket}`)).text()).not.toMatch(/备库标记/);
    } finally {
      await standbyDb.rows(sql`SELECT pg_wal_replay_resume()`);
      await stream.close();
    }
  });

  it('shares sessions and per-client limits between the two processes', async () => {
    // signed in on A, known on B; signed out on B, gone on A
    const signedIn = await fetch(`${a}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'xsl-shuji', password: 'demo1234' }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
    const onB = await call(b, 'GET', '/api/session', { cookie });
    expect(onB.status).toBe(200);
    expect(((await onB.json()) as { user: { username: string } }).user.username).toBe('xsl-shuji');
    expect((await call(b, 'DELETE', '/api/session', { cookie })).status).toBe(204);
    expect((await fetch(`${a}/api/session`, { headers: { cookie } })).status).toBe(401);

    // a session made on B works on A too (the staff queue reads the primary: it sees its own writes)
    const cookieB = await signIn(b, 'xsl-g01-wu');
    expect((await fetch(`${a}/api/staff/requests`, { headers: { cookie: cookieB } })).status).toBe(200);

    // one client's me-too are counted once between A and B (rate_counts on the primary), not once on each
    const { ticket } = await fileOnA('me-too marker');
    const client = { 'x-forwarded-for': `203.0.113.${slot % 250}` };
    const meToo = async (on: 'a' | 'b', headers = client) => (on === 'a'
      ? await fetch(`${a}/api/requests/${ticket}/me-too`, { method: 'POST', headers })
      : await b.app.request(`http://localhost/api/requests/${ticket}/me-too`, { method: 'POST', headers })).status;
    expect(await meToo('a')).not.toBe(429);
    expect(await meToo('b')).not.toBe(429);
    expect(await meToo('a')).toBe(429);
    expect(await meToo('b')).toBe(429);
    expect(await meToo('b', { 'x-forwarded-for': '198.51.100.1' })).not.toBe(429); // another client still may
  });

  it('measures the lag a reader of the standby sees after a write', async () => {
    const lags: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { ticket } = await fileOnA(`lag ${i}`);
      const written = performance.now();
      while ((await onReplica(ticket)) !== 200) {
        if (performance.now() - written > 10_000) throw new Error(`filing ${ticket} not on the standby after 10 s`);
      }
      lags.push(performance.now() - written);
    }
    const [stat] = await b.database.rows<{ replay: string | null }>(sql`SELECT replay_lag::text AS replay FROM pg_stat_replication`);
    // a figure to report (docs/scaling.md), not a timing to assert: the machine is shared
    console.log(`[replica] a filing's answer → visible on the standby through the API, 20 filings: p50 ${pct(lags, 50).toFixed(1)} ms, ` +
      `max ${Math.max(...lags).toFixed(1)} ms (pg_stat_replication.replay_lag ${stat?.replay ?? 'n/a'})`);
    expect(lags).toHaveLength(20);
  });

  // last: it stops the standby
  it('answers public reads from the primary while the standby is down, and SQL errors are not taken for an outage', async () => {
    const first = await b.get('/api/collections/grids/items?limit=3');
    expect(first.status).toBe(200);
    const before = await first.json();
    await standby.stop();
    const areas = await b.get('/api/collections/grids/items?limit=3');
    expect(areas.status).toBe(200);
    expect((await areas.json()).features).toEqual(before.features);
    expect((await b.get('/api/stats?areaId=MS-XSL')).status).toBe(200);
    expect((await b.get('/api/map/requests?bbox=113.2,35.2,113.26,35.23&zoom=15')).status).toBe(200);
    // an unknown area is still the 404 it is, not a fallback
    expect((await b.get('/api/stats?areaId=MS-NOWHERE')).status).toBe(404);
  });
});
