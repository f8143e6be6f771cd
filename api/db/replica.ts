import { sql } from 'drizzle-orm';
import { openDatabase, seenThrough, type Database } from './client.ts';

/**
 * Which database each part of the API reads, when a streaming replica is configured
 * (`DATABASE_REPLICA_URL`, issue 12 §3, docs/scaling.md): the one place it is decided.
 *
 * A hot standby answers a read a little after the primary committed it (its replay lag, a few
 * milliseconds on a LAN; docs/scaling.md has the figure), and refuses every write. So a route
 * reads from the replica only when all of this holds:
 *   - it is public: no session or staff scope is checked (a session just made on the primary
 *     may not have reached the replica yet, and signing out must end it at once);
 *   - it never writes, not even a cache row or a counter;
 *   - an answer some milliseconds old is as good as a fresh one for whoever asks: the map and the
 *     wall are kept current by the live stream (which stays on the primary), and the basemap
 *     changes only on import.
 * Everything not named here reads the primary: filing and every other write, the resident's own
 * ticket (/api/requests/{ticket}: someone who has just filed must find their request, so it is
 * never asked of a replica that may not have replayed it), staff pages (they must see their own
 * writes), sessions and sign-in, notifications, the console, Open311, and the live stream (LISTEN
 * is refused on a standby, and NOTIFY is not replicated).
 */
export const replicaReads = {
  tiles: 'the basemap and area layers, cut in memory from the replica at start and after an import',
  collections: 'OGC API – Features: public columns only',
  map: 'requests of a view (markers or counts): public fields; the live stream brings what is newer',
  stats: 'the wall screen\u2019s aggregates; a kiosk link revoked is refused once the revocation is replayed',
  areas: 'an area\u2019s public team and counts, and /api/locate',
  search: 'places by name',
  nearby: 'services on foot and walking routes (the walking network is built from the replica)',
  circle: 'the 15-minute circle',
  rider: 'the rider guide of a compound',
} as const;

export type ReplicaRead = keyof typeof replicaReads;

/** The primary, and the replica when one is configured. */
export interface Databases {
  primary: Database;
  replica?: Database | null;
}

/** The database that serves `part`: the replica when one is configured (falling back to the primary while it is down), else the primary. */
export function readerOf({ primary, replica }: Databases, part: ReplicaRead): Database {
  if (!replica) return primary;
  let reader = fallbacks.get(replica);
  if (!reader) fallbacks.set(replica, (reader = withFallback(replica, primary)));
  return reader;
}

const fallbacks = new WeakMap<Database, Database>();

/** Errors of the connection, not of the statement: refused, cut, shutting down, not accepting yet (SQLSTATE 08…, 57P…). */
function unreachable(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|CONNECTION_\w+|CONNECT_TIMEOUT)$/.test(code) || /^(08|57P)/.test(code)) return true;
  }
  return false;
}

/**
 * The replica, and the primary while the replica cannot be reached (a standby restarting, its host
 * down): a read that fails for its connection — not for its SQL — is asked again of the primary,
 * and the replica is left alone for `pauseMs` before it is tried again. The log says so once a
 * pause. The primary answers as fresh as the replica would, or fresher; it carries the load meanwhile.
 */
export function withFallback(replica: Database, primary: Database, pauseMs = 10_000, log: (line: string) => void = console.error): Database {
  let downUntil = 0;
  const read = async <T>(run: (database: Database) => Promise<T>): Promise<T> => {
    if (Date.now() < downUntil) return run(primary);
    try {
      return await run(replica);
    } catch (error) {
      if (!unreachable(error)) throw error;
      log(`the replica cannot be reached (${(error as Error).message.slice(0, 120)}): public reads go to the primary, the replica is tried again in ${pauseMs / 1000} s`);
      downUntil = Date.now() + pauseMs;
      return run(primary);
    }
  };
  // the routes read through rows() or db.execute(); the rest of drizzle's surface is the replica's own
  const db = new Proxy(replica.db, {
    get: (target, property, receiver) => property === 'execute'
      ? (query: Parameters<Database['db']['execute']>[0]) => read((d) => d.db.execute(query))
      : Reflect.get(target, property, receiver),
  });
  return seenThrough(replica, db, (query) => read((d) => d.rows(query)));
}

/**
 * Opens `DATABASE_REPLICA_URL` beside the primary (never migrated: a standby is read-only and
 * replays the primary's migrations) and waits until it has replayed them. Answers null, with a
 * line in the log, when there is nothing to open: no replica asked for, or embedded PGlite,
 * which has no replication.
 */
export async function openReplica(primary: Database, url: string | undefined, log: (line: string) => void = console.log): Promise<Database | null> {
  if (!url) return null;
  if (primary.kind !== 'postgres') {
    log('DATABASE_REPLICA_URL is ignored: it needs DATABASE_URL (embedded PGlite has no replicas); every read goes to the one database');
    return null;
  }
  const replica = await openDatabase({ url, migrate: false });
  const [{ standby }] = await replica.rows<{ standby: boolean }>(sql`SELECT pg_is_in_recovery() AS standby`);
  if (!standby) log('DATABASE_REPLICA_URL is not a standby (pg_is_in_recovery() is false): public reads go to it all the same');
  const caught = await caughtUp(primary, replica);
  if (!caught) log('the replica has not replayed the primary\u2019s latest changes within 30 s: public reads may be behind until it does');
  return replica;
}

/**
 * Waits until `replica` has replayed everything the primary had written when this was called
 * (its WAL position), so a read that follows sees it: after migrations at start, and before
 * re-cutting tiles on an import's announcement. True once caught up, false after `timeoutMs`.
 * A replica that is not a standby counts as caught up.
 */
export async function caughtUp(primary: Database, replica: Database, timeoutMs = 30_000): Promise<boolean> {
  const [{ lsn }] = await primary.rows<{ lsn: string }>(sql`SELECT pg_current_wal_lsn()::text AS lsn`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ done }] = await replica.rows<{ done: boolean }>(sql`
      SELECT NOT pg_is_in_recovery() OR coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) AS done`);
    if (done) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
