import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../api/db/client.ts';
import { emptyDatabaseFor, modes } from '../helpers/databases.ts';
import { startServer, until } from '../helpers/server.ts';
import { SseReader } from '../helpers/sse.ts';
import { freePort } from '../helpers/ports.ts';

// SIGTERM (a deploy, systemd, docker stop) must not cost a resident the filing they just sent.
// On PostgreSQL a second connection can hold a filing in flight on purpose: it holds the lock
// a boundary import takes, so the filing waits inside the server while the signal arrives.
describe.runIf(modes().includes('postgres'))('stopping the server', () => {
  it('answers a filing in flight when SIGTERM arrives, keeps it, ends the live streams and exits cleanly', async () => {
    const templateUrl = inject('postgresTemplateUrl')!;
    const urlOf = (name: string) => templateUrl.replace(/\/gridmap_template$/, `/${name}`);
    const name = `s_${randomBytes(5).toString('hex')}`;
    const admin = await openDatabase({ url: urlOf('postgres'), migrate: false });
    await admin.db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE gridmap_template`));
    const holder = await openDatabase({ url: urlOf(name), migrate: false });
    const port = await freePort();
    const server = startServer({ PORT: String(port), DATABASE_URL: urlOf(name) });
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    try {
      await until(() => /ready in/.test(server.output()), 60_000);
      const stream = new SseReader((await fetch(`http://localhost:${port}/api/events`)).body!);
      await stream.next(5000);

      const locked = holder.db.transaction(async (tx) => {
        await tx.execute(sql`LOCK TABLE requests IN SHARE ROW EXCLUSIVE MODE`);
        await released;
      });
      await new Promise((r) => setTimeout(r, 200)); // the lock is held
      const filing = fetch(`http://localhost:${port}/api/requests`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'street_light', description: 'shutdown marker 停机时在途', lon: 113.235, lat: 35.216 }),
      });
      // the filing has reached the database and waits there on the lock
      await expect.poll(async () => (await holder.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO requests%'`))[0].n, { timeout: 20_000 }).toBe(1);
      server.child.kill('SIGTERM');
      await until(() => /SIGTERM: stopping/.test(server.output()), 10_000);
      expect(await stream.waitForEnd(5000)).toBe(true); // the live stream was ended, not cut
      release();
      await locked;

      const res = await filing.catch((error) => { throw new Error(`the filing was cut: ${server.output()}`, { cause: error }); });
      expect(res.status).toBe(201);
      const { ticket } = await res.json();
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/stopped/);
      const [row] = await holder.rows<{ description: string }>(sql`SELECT description FROM requests WHERE ticket = ${ticket}`);
      expect(row?.description).toBe('shutdown marker 停机时在途');
      await expect(fetch(`http://localhost:${port}/api/health`)).rejects.toThrow(); // no longer listening
    } finally {
      release();
      server.child.kill('SIGKILL');
      await holder.close();
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    }
  }, 120_000);
});

// The county demo is generated in one transaction at the first start (minutes on PGlite). A signal
// then — Ctrl-C, a service manager — stops it after the statement running, and nothing of it
// is kept: the next start finds the database empty. On PGlite a signal waited for the whole load
// before, since its statements settle as microtasks and the event loop never turned.
describe.each(modes())('stopping the server while it generates the county demo on %s', (mode) => {
  it('rolls the load back, says so, exits cleanly, and the next start finds the database empty', async () => {
    const empty = await emptyDatabaseFor(mode);
    try {
      const port = await freePort();
      const server = startServer({ PORT: String(port), DEMO_DATA: 'county', COUNTY_STREETS: '2', COUNTY_REQUESTS: '100000', ...empty.env });
      try {
        await until(() => /\d s: staff/.test(server.output()), 120_000); // inside the load's transaction
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        expect(server.output()).toMatch(/stopping the county demo's generation/);
        expect(server.output()).toMatch(/nothing of it was kept/);
        expect(server.output()).not.toMatch(/county demo loaded/);
      } finally {
        server.child.kill('SIGKILL');
      }
      const database = await openDatabase(mode === 'pglite' ? { dataDir: empty.env.DATA_DIR } : { url: empty.env.DATABASE_URL });
      try {
        const [{ areas, requests, demo }] = await database.rows<{ areas: number; requests: number; demo: boolean }>(sql`
          SELECT (SELECT count(*)::int FROM areas) AS areas, (SELECT count(*)::int FROM requests) AS requests,
                 EXISTS (SELECT 1 FROM meta WHERE key = 'demo') AS demo`);
        expect({ areas, requests, demo }).toEqual({ areas: 0, requests: 0, demo: false });
      } finally {
        await database.close();
      }
    } finally {
      await empty.drop();
    }
  }, 240_000);
});
