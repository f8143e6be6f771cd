import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../api/db/client.ts';
import { tableCounts } from '../../api/db/backup.ts';
import { fileRequest } from '../../api/loop/file.ts';
import { runScript } from '../helpers/server.ts';
import { modes } from '../helpers/databases.ts';

// npm run backup / npm run restore, as an operator runs them, in both modes: a restore into a
// new place holds every row of every table; an occupied target is refused; a bad file changes nothing.
const work = mkdtempSync(join(tmpdir(), 'gridmap-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const [lon, lat] = [113.235, 35.216];

describe('npm run backup and npm run restore, embedded PGlite', () => {
  it('restores into a new data directory with the same rows in every table, and refuses an occupied one', async () => {
    const source = join(work, 'source');
    const database = await openDatabase({ dataDir: source, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await fileRequest(database, { category: 'street_light', description: 'backup marker', lon, lat });
    const before = await tableCounts(database);
    await database.close();

    const file = join(work, 'embedded.backup');
    const backup = await runScript('scripts/backup.ts', [file], { DATA_DIR: source });
    expect(backup.output).toContain('backup written');
    expect(backup.code).toBe(0);

    const target = join(work, 'restored');
    const restore = await runScript('scripts/restore.ts', [file], { DATA_DIR: target });
    expect(restore.code, restore.output).toBe(0);
    const restored = await openDatabase({ dataDir: target });
    try {
      expect(await tableCounts(restored)).toEqual(before);
      expect(before['public.requests']).toBeGreaterThan(0);
    } finally {
      await restored.close();
    }

    const again = await runScript('scripts/restore.ts', [file], { DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already holds a database.*--force/);

    const broken = join(work, 'broken.backup');
    writeFileSync(broken, readFileSync(file).subarray(0, 4096)); // a truncated copy
    const failed = await runScript('scripts/restore.ts', [broken, '--force'], { DATA_DIR: target });
    expect(failed.code).toBe(1);
    const untouched = await openDatabase({ dataDir: target });
    try {
      expect(await tableCounts(untouched)).toEqual(before);
    } finally {
      await untouched.close();
    }
  }, 300_000); // seven PGlite starts (the scripts' included), ≈10–30 s each
});

describe.runIf(modes().includes('postgres'))('npm run backup and npm run restore, PostgreSQL', () => {
  const templateUrl = inject('postgresTemplateUrl')!;
  const urlOf = (name: string) => templateUrl.replace(/\/gridmap_template$/, `/${name}`);

  it('restores into a new database with the same rows in every table, and refuses an occupied one', async () => {
    const admin = await openDatabase({ url: urlOf('postgres'), migrate: false });
    const [source, target] = [`b_${randomBytes(5).toString('hex')}`, `r_${randomBytes(5).toString('hex')}`];
    await admin.db.execute(sql.raw(`CREATE DATABASE ${source} TEMPLATE gridmap_template`));
    await admin.db.execute(sql.raw(`CREATE DATABASE ${target}`));
    try {
      const database = await openDatabase({ url: urlOf(source) });
      await fileRequest(database, { category: 'street_light', description: 'backup marker', lon, lat });
      const before = await tableCounts(database);
      await database.close();

      const file = join(work, 'postgres.backup');
      const backup = await runScript('scripts/backup.ts', [file], { DATABASE_URL: urlOf(source) });
      expect(backup.code, backup.output).toBe(0);
      const restore = await runScript('scripts/restore.ts', [file], { DATABASE_URL: urlOf(target) });
      expect(restore.code, restore.output).toBe(0);
      const restored = await openDatabase({ url: urlOf(target), migrate: false });
      try {
        expect(await tableCounts(restored)).toEqual(before);
      } finally {
        await restored.close();
      }

      const again = await runScript('scripts/restore.ts', [file], { DATABASE_URL: urlOf(target) });
      expect(again.code).toBe(1);
      expect(again.output).toMatch(/already holds .*--force/);
      const forced = await runScript('scripts/restore.ts', [file, '--force'], { DATABASE_URL: urlOf(target) });
      expect(forced.code, forced.output).toBe(0);

      const broken = join(work, 'broken-pg.backup');
      writeFileSync(broken, readFileSync(file).subarray(0, Math.floor(readFileSync(file).length * 0.8)));
      const failed = await runScript('scripts/restore.ts', [broken, '--force'], { DATABASE_URL: urlOf(target) });
      expect(failed.code).toBe(1);
      const untouched = await openDatabase({ url: urlOf(target), migrate: false });
      try {
        expect(await tableCounts(untouched)).toEqual(before);
      } finally {
        await untouched.close();
      }
    } finally {
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`));
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`));
      await admin.close();
    }
  }, 120_000);
});
