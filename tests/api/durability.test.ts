import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../api/db/client.ts';
import { fileRequest } from '../../api/loop/file.ts';

// The embedded default must not lose an acknowledged filing to a power cut: fsync on, and the
// fsync really reaching the disk (api/db/durable-fs.ts says why PGlite alone does neither).
async function embedded(durable: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'gridmap-durable-'));
  const database = await openDatabase({ dataDir: dir, durable, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
  return { database, drop: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const [lon, lat] = [113.235, 35.216]; // inside the demo's streets

describe('the embedded database on disk', () => {
  it('commits each filing with an fsync that reaches the disk', async () => {
    const { database, drop } = await embedded(true);
    try {
      const [{ fsync, wal_sync_method }] = await database.rows<{ fsync: string; wal_sync_method: string }>(
        sql`SELECT current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS wal_sync_method`);
      expect([fsync, wal_sync_method]).toEqual(['on', 'fsync']);
      const before = database.fsyncs!();
      for (let i = 0; i < 3; i++) await fileRequest(database, { category: 'street_light', description: `durable ${i}`, lon, lat });
      expect(database.fsyncs!() - before).toBeGreaterThanOrEqual(3);
    } finally {
      await drop();
    }
  }, 120_000); // a PGlite start on disk, ≈10–40 s on a loaded machine

  it('runs without fsync only when asked to (PGLITE_FSYNC=off)', async () => {
    const { database, drop } = await embedded(false);
    try {
      const [{ fsync }] = await database.rows<{ fsync: string }>(sql`SELECT current_setting('fsync') AS fsync`);
      expect(fsync).toBe('off');
      await fileRequest(database, { category: 'street_light', description: 'fast', lon, lat });
      expect(database.fsyncs!()).toBe(0);
    } finally {
      await drop();
    }
  }, 120_000); // a PGlite start on disk, ≈10–40 s on a loaded machine
});
