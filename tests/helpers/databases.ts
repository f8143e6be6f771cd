import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../api/db/client.ts';

export type Mode = 'pglite' | 'postgres';

/** The database engines this run can test: PGlite always, native PostgreSQL when installed. */
export function modes(): Mode[] {
  return inject('postgresTemplateUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh copy of the demo database for one test file; `close()` throws it away. */
export async function openTestDatabase(mode: Mode): Promise<Database> {
  if (mode === 'pglite') {
    const blob = new Blob([readFileSync(inject('pgliteTemplate'))]);
    return openDatabase({ dataDir: 'memory://', loadDataDir: blob });
  }
  const templateUrl = inject('postgresTemplateUrl')!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const adminUrl = templateUrl.replace(/\/gridmap_template$/, '/postgres');
  const admin = await openDatabase({ url: adminUrl, migrate: false });
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE gridmap_template`));
  const database = await openDatabase({ url: templateUrl.replace(/\/gridmap_template$/, `/${name}`) });
  const close = database.close;
  database.close = async () => {
    await close();
    await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name}`));
    await admin.close();
  };
  return database;
}

/**
 * Where a server started by a test keeps an empty database of its own: a fresh PGlite data
 * directory, or a new database (no demo, no template) on the test cluster. `drop()` removes it.
 */
export async function emptyDatabaseFor(mode: Mode): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (mode === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'gridmap-empty-'));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const templateUrl = inject('postgresTemplateUrl')!;
  const name = `e_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: templateUrl.replace(/\/gridmap_template$/, '/postgres'), migrate: false });
  await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
  return {
    env: { DATABASE_URL: templateUrl.replace(/\/gridmap_template$/, `/${name}`) },
    async drop() {
      await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    },
  };
}
