import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { DurableNodeFS, durableStartParams } from './durable-fs.ts';

export type Db = PgDatabase<any, typeof schema>;

/** One database, whichever engine runs it: the rest of the API sees only this. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Rows of a raw SQL query, the same shape on both drivers. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Rows of a statement whose plan cannot depend on its values (one shape; its parameters a point,
   * or compared by equality), on connections that keep plans: PostgreSQL plans it for its values
   * five times, then keeps a generic plan if it costs no more. Absent (PGlite): rows().
   */
  keptRows?<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** LISTEN on a channel; returns the function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a gzip tarball (the tests' template). */
  dump?(): Promise<Blob>;
  /** PGlite in a directory only: how many fsyncs reached the disk (0 with fsync off). */
  fsyncs?(): number;
}

/** NOTIFY channel on which a change to the map's data (areas, roads, pois) is announced. */
export const dataChangedChannel = 'gridmap_data_changed';

/**
 * The same database seen through other connections (a transaction, a replica with its fallback):
 * every statement goes there, the kept plans' connections too (keptRows is left out: rows()).
 */
export const seenThrough = (database: Database, db: Db, rows: Database['rows']): Database => ({ ...database, db, rows, keptRows: undefined });

/** `db.execute` answers `{ rows }` on PGlite and an array on postgres.js; this reads either. */
export function rowsOf<T = any>(result: unknown): T[] {
  return Array.isArray(result) ? [...result] : ((result as { rows: T[] }).rows ?? []);
}

export interface OpenOptions {
  /** postgres://… — native PostgreSQL + PostGIS; without it, embedded PGlite */
  url?: string;
  /** PGlite data directory; `memory://` keeps it in memory */
  dataDir?: string;
  /** PGlite: start from this dumped data directory (gzip tarball) */
  loadDataDir?: Blob;
  /** apply the migrations (default); off for admin connections that only create databases */
  migrate?: boolean;
  /** PGlite in a directory: fsync each commit to disk (default; PGLITE_FSYNC=off turns it off, see durable-fs.ts) */
  durable?: boolean;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const database = options.url ? await openPostgres(options.url) : await openPglite(options);
  if (options.migrate !== false) await migrate(database);
  return database;
}

async function openPglite({ dataDir = 'memory://', loadDataDir, durable = process.env.PGLITE_FSYNC !== 'off' }: OpenOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { drizzle } = await import('drizzle-orm/pglite');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  // a directory is durable by default: fsync on, and reaching the disk (./durable-fs.ts says why both)
  const fs = !inMemory && durable ? new DurableNodeFS(dataDir.replace(/^file:\/\//, '')) : undefined;
  const client = await PGlite.create({
    dataDir: fs ? undefined : dataDir, fs, loadDataDir, extensions: { postgis },
    startParams: [...(fs ? durableStartParams(PGlite.defaultStartParams) : PGlite.defaultStartParams), ...minimalWal],
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async (query) => rowsOf(await db.execute(query)),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return async () => unlisten();
    },
    close: () => client.close(),
    dump: () => client.dumpDataDir('gzip') as Promise<Blob>,
    fsyncs: () => fs?.syncs ?? 0,
  };
}

/**
 * Embedded, no standby can follow the database and nothing archives its WAL: the WAL is only for
 * recovering from a crash (wal_level=minimal). Then rows written into storage created in their own
 * transaction go to the table's files without WAL, which are synced once at commit: a bulk load
 * (the county demo, api/db/bulk-load.ts freshStorage) writes its data once, not twice.
 */
const minimalWal = ['-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'];

async function openPostgres(url: string): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // timestamps come back as ISO strings on both drivers (PGlite parses them; we normalise later)
  // plan_cache_mode: every query planned for its own values, as an unnamed statement is; a generic
  // plan, blind to a viewport's size or a range's length, can be a thousand times slower
  const pool = Number(process.env.DB_POOL ?? 10);
  const client = postgres(url, { max: pool, onnotice: () => {}, connection: { plan_cache_mode: 'force_custom_plan' } });
  // a few connections of their own for the statements whose plan cannot depend on their values
  // (keptRows): the filing's, which took 1 ms of its 3 to plan on the county (docs/scaling.md);
  // opened on first use, so an API that never files holds none
  const kept = postgres(url, { max: Math.max(1, Math.ceil(pool / 5)), onnotice: () => {}, connection: { plan_cache_mode: 'auto' } });
  const db = drizzle({ client, schema }) as unknown as Db;
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const dialect = new PgDialect();
  // named prepared statements, one per query text and connection: parsed and described once
  // (drizzle's `execute` sends each query unnamed: parsed and described on every call, a round trip more)
  const prepared = (on: Sql) => async (query: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return rowsOf(await on.unsafe(text, params as never[], { prepare: true }));
  };
  return {
    db,
    kind: 'postgres',
    rows: prepared(client),
    keptRows: prepared(kept),
    async listen(channel, onPayload) {
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), kept.end({ timeout: 5 })]);
    },
  };
}

async function migrate(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as any, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(database.db as any, { migrationsFolder });
  }
}
