import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../api/db/client.ts';
import { modes, type Mode } from '../helpers/databases.ts';
import { runScript, startServer, until } from '../helpers/server.ts';
import { freePort } from '../helpers/ports.ts';

// Load with faults (issue 9 §5): clients file requests while the server is killed with SIGKILL and
// started again on the same database; every filing the server acknowledged (201 with its ticket)
// must be there afterwards. On PostgreSQL also a backup taken in the middle of the load: every
// filing acknowledged before the backup began is in the restored copy.

const [lon, lat] = [113.235, 35.216]; // inside the demo's streets
const clients = 4;

/**
 * A database of the server's own, already holding the demo (so the server starts in seconds):
 * a data directory loaded from the PGlite template, or a copy of the PostgreSQL template.
 */
async function demoDatabaseFor(mode: Mode): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (mode === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'gridmap-faults-'));
    const seeded = await openDatabase({ dataDir: dir, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await seeded.close();
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const templateUrl = inject('postgresTemplateUrl')!;
  const name = `k_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ url: templateUrl.replace(/\/gridmap_template$/, '/postgres'), migrate: false });
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE gridmap_template`));
  return {
    env: { DATABASE_URL: templateUrl.replace(/\/gridmap_template$/, `/${name}`) },
    async drop() {
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    },
  };
}

/** `clients` loops filing one request after another until `stop()`; answers the acknowledged tickets with when each was acknowledged. */
function load(base: string) {
  const acknowledged: { ticket: string; at: number }[] = [];
  let running = true;
  let failures = 0;
  const loop = async (client: number) => {
    for (let i = 0; running; i++) {
      try {
        const res = await fetch(`${base}/api/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'street_light', description: `故障测试 ${client}-${i}`, lon, lat }),
        });
        if (res.status === 201) acknowledged.push({ ticket: (await res.json()).ticket, at: Date.now() });
        else await res.body?.cancel();
      } catch {
        failures++; // the server is gone: nothing was acknowledged for this one
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  return { acknowledged, failures: () => failures, stop: async () => { running = false; await done; } };
}

async function ready(server: ReturnType<typeof startServer>) {
  await until(() => /ready in/.test(server.output()) || server.child.exitCode !== null, 240_000);
  expect(server.child.exitCode, server.output()).toBeNull();
}

/** How many of these tickets the database holds, read over the API with the public view. */
async function found(base: string, tickets: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const ticket of tickets) {
    const res = await fetch(`${base}/api/requests/${ticket}`);
    if (res.status !== 200) missing.push(ticket);
    await res.body?.cancel();
  }
  return missing;
}

describe.each(modes())('load with faults on %s', (mode: Mode) => {
  const dropAfter: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of dropAfter) await drop().catch(() => {});
  });

  it('loses no acknowledged filing when the server is killed with SIGKILL under load and started again', async () => {
    const database = await demoDatabaseFor(mode);
    dropAfter.push(database.drop);
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const env = { PORT: String(port), ...database.env };

    const first = startServer(env);
    await ready(first);
    const traffic = load(base);
    // enough acknowledged that some were in flight around the kill: four clients file back to back
    await until(() => traffic.acknowledged.length >= 12, 60_000);
    first.child.kill('SIGKILL'); // no shutdown, no flush: what a power cut leaves of the process
    await first.exited;
    const beforeKill = traffic.acknowledged.length;

    const second = startServer(env);
    await ready(second);
    await until(() => traffic.acknowledged.length >= beforeKill + 8, 60_000); // the clients carry on
    await traffic.stop();
    const missing = await found(base, traffic.acknowledged.map((a) => a.ticket));
    second.child.kill('SIGTERM');
    await second.exited;

    expect(traffic.failures()).toBeGreaterThan(0); // the kill really landed under load
    expect(missing).toEqual([]);
  }, 600_000);

  // PostgreSQL only: an embedded database is backed up with its server stopped (docs/operations.md)
  if (mode === 'postgres') it('restores a backup taken under load with every filing acknowledged before it began', async () => {
    const templateUrl = inject('postgresTemplateUrl')!;
    const urlOf = (name: string) => templateUrl.replace(/\/gridmap_template$/, `/${name}`);
    const admin = await openDatabase({ url: urlOf('postgres'), migrate: false });
    const [source, target] = [`f_${randomBytes(5).toString('hex')}`, `g_${randomBytes(5).toString('hex')}`];
    await admin.db.execute(sql.raw(`CREATE DATABASE ${source} TEMPLATE gridmap_template`));
    await admin.db.execute(sql.raw(`CREATE DATABASE ${target}`));
    const work = mkdtempSync(join(tmpdir(), 'gridmap-faults-'));
    dropAfter.push(async () => {
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`));
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`));
      await admin.close();
      rmSync(work, { recursive: true, force: true });
    });
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const server = startServer({ PORT: String(port), DATABASE_URL: urlOf(source) });
    await ready(server);
    const traffic = load(base);
    try {
      await until(() => traffic.acknowledged.length >= 40, 60_000);
      const began = Date.now();
      const file = join(work, 'under-load.backup');
      const backup = await runScript('scripts/backup.ts', [file], { DATABASE_URL: urlOf(source) });
      expect(backup.code, backup.output).toBe(0);
      const before = traffic.acknowledged.filter((a) => a.at < began).map((a) => a.ticket);
      const restore = await runScript('scripts/restore.ts', [file], { DATABASE_URL: urlOf(target) });
      expect(restore.code, restore.output).toBe(0);
      const restored = await openDatabase({ url: urlOf(target), migrate: false });
      try {
        const rows = await restored.rows<{ ticket: string }>(sql`SELECT ticket FROM requests WHERE description LIKE '故障测试 %'`);
        const have = new Set(rows.map((r) => r.ticket));
        expect(before.length).toBeGreaterThanOrEqual(40);
        expect(before.filter((t) => !have.has(t))).toEqual([]);
      } finally {
        await restored.close();
      }
    } finally {
      await traffic.stop();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 600_000);
});
