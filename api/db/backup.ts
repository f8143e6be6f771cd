import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from './client.ts';

// Backups of either engine (docs/operations.md):
// - embedded PGlite: the data directory as PGlite's own gzip tarball (`dumpDataDir`), restored
//   with `loadDataDir` — an exact copy (PostGIS, functions, the migration journal), the path our
//   tests' templates take every run. A plain SQL dump (`@electric-sql/pglite-tools` pgDump)
//   writes `COPY … FROM stdin`, which PGlite has no stdin to replay: restoring it would mean
//   parsing the dump ourselves.
// - PostgreSQL: pg_dump's custom format, restored by pg_restore in one transaction.
// A restore builds the new database beside the target and only then puts it in place, so a
// failure leaves the target as it was; it refuses a target holding data unless forced.

const run = promisify(execFile);
const pgBin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const tool = (name: string) => (existsSync(join(pgBin, name)) ? join(pgBin, name) : name);

export type BackupKind = 'pglite' | 'postgres';

/** What kind of backup a file holds, from its first bytes. */
export function backupKind(file: string): BackupKind | null {
  const head = readFileSync(file).subarray(0, 5);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite'; // gzip: PGlite's dumpDataDir
  if (head.toString('latin1') === 'PGDMP') return 'postgres'; // pg_dump -Fc
  return null;
}

/** Rows in every table of ours (public and drizzle's journal), by "schema.table": what a restore must reproduce. */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const tables = await database.rows<{ s: string; t: string }>(sql`
    SELECT table_schema AS s, table_name AS t FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1, 2`);
  const counts: Record<string, number> = {};
  for (const { s, t } of tables) {
    const [{ n }] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(s)}.${sql.identifier(t)}`);
    counts[`${s}.${t}`] = n;
  }
  return counts;
}

export class BackupError extends Error {}

/** Writes the embedded database (opened, not shared with a server) to `file`. */
export async function backupPglite(database: Database, file: string): Promise<void> {
  const blob = await database.dump!();
  writeAtomically(file, Buffer.from(await blob.arrayBuffer()));
}

/** Writes the PostgreSQL database at `url` to `file` (pg_dump's custom format; a consistent snapshot while the server runs). */
export async function backupPostgres(url: string, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await run(tool('pg_dump'), ['--format=custom', '--no-owner', '--file', partial, url], { maxBuffer: 64 * 1024 * 1024 });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`pg_dump failed: ${(error as { stderr?: string }).stderr || (error as Error).message}`, { cause: error });
  }
}

/**
 * Restores an embedded backup into `dataDir`: loaded into a new directory beside it, checked,
 * closed, and only then renamed into place (the old one, with `force`, removed after).
 */
export async function restorePglite(file: string, dataDir: string, { force = false } = {}): Promise<Record<string, number>> {
  if (existsSync(dataDir) && readdirSync(dataDir).some((f) => f !== 'gridmap-server.pid') && !force) {
    throw new BackupError(`${dataDir} already holds a database: restore into a new DATA_DIR, or add --force to replace it`);
  }
  const fresh = `${dataDir}.restoring-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  let counts: Record<string, number>;
  try {
    const restored = await openDatabase({ dataDir: fresh, loadDataDir: new Blob([readFileSync(file)]) });
    try {
      counts = await tableCounts(restored);
    } finally {
      await restored.close();
    }
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw new BackupError(`${file} could not be restored: ${(error as Error).message}`, { cause: error });
  }
  const old = `${dataDir}.replaced-${process.pid}`;
  if (existsSync(dataDir)) renameSync(dataDir, old);
  renameSync(fresh, dataDir);
  rmSync(old, { recursive: true, force: true });
  return counts;
}

/**
 * Restores a pg_dump backup into the database at `url`, all of it or nothing (one transaction).
 * An empty database is filled; one holding our tables is replaced only with `force`.
 */
export async function restorePostgres(file: string, url: string, { force = false } = {}): Promise<Record<string, number>> {
  const target = await openDatabase({ url, migrate: false });
  try {
    const [{ n }] = await target.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_name <> 'spatial_ref_sys'`);
    if (n > 0 && !force) throw new BackupError(`the database at DATABASE_URL already holds ${n} tables: restore into a new, empty database, or add --force to replace it`);
    try {
      await run(tool('pg_restore'), [
        '--single-transaction', '--exit-on-error', '--no-owner', ...(n > 0 ? ['--clean', '--if-exists'] : []), '--dbname', url, file,
      ], { maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw new BackupError(`pg_restore failed, nothing was changed: ${(error as { stderr?: string }).stderr || (error as Error).message}`, { cause: error });
    }
    return await tableCounts(target);
  } finally {
    await target.close();
  }
}

function writeAtomically(file: string, bytes: Buffer) {
  const partial = join(dirname(file), `.${Date.now()}-${process.pid}.partial`);
  writeFileSync(partial, bytes);
  renameSync(partial, file);
}

export const sizeOf = (file: string) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
