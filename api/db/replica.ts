import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from './client.ts';

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

/** The database that serves `part`: the replica when one is configured, else the primary. */
export function readerOf({ primary, replica }: Databases, part: ReplicaRead): Database {
  return replica ?? primary;
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
