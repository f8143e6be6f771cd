import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { AuditAction, RequestStatus } from '../contract/vocabulary.ts';
import { PublicLiveEvent, StaffLiveEvent } from '../contract/wire.ts';
import { readRequestRow, requestColumns, requestJoins, type RequestRow } from '../loop/request-row.ts';

/**
 * One audit event with its request as it is now (the request's one column list,
 * api/loop/request-row.ts): everything any viewer may get, plus the columns that decide who may
 * get it. It stays inside the server; `publicEvent` / `staffEvent` pick what leaves.
 */
export type EventRow = {
  id: number;
  action: AuditAction;
  /** the request's state right after the event, or its current state for events that changed none */
  status: RequestStatus;
  fromStatus: RequestStatus | null;
  at: string;
  /** an escalation's level reached (from the event's detail) */
  toLevel: number | null;
  request: RequestRow;
};

/** What the public stream, the kiosk and `/api/stats` show: no contact, no assignee. */
export function publicEvent(row: EventRow): PublicLiveEvent {
  const r = row.request;
  return PublicLiveEvent.parse({
    id: row.id, ticket: r.ticket, action: row.action, status: row.status, fromStatus: row.fromStatus,
    category: r.category, description: r.publishedDescription ?? null, lon: r.publicLon, lat: r.publicLat,
    districtId: r.districtId, streetId: r.streetId, communityId: r.communityId, gridId: r.gridId, microgridId: r.microgridId,
    communityName: r.communityName, gridName: r.gridName, at: row.at, overdue: r.overdue,
    timeLeftMinutes: r.timeLeftMinutes, toLevel: row.toLevel,
  });
}

/** What staff in scope see: the public fields, the reporter's contact and who holds it. */
export function staffEvent(row: EventRow): StaffLiveEvent {
  const r = row.request;
  return StaffLiveEvent.parse({
    ...publicEvent(row),
    description: r.description,
    lon: r.lon,
    lat: r.lat,
    contact: r.contact,
    assignee: r.assigneeId ? { id: r.assigneeId, name: r.assigneeName ?? r.assigneeId } : null,
    escalationLevel: r.escalationLevel,
  });
}

/**
 * Events matching `where` (a fragment on `e` = request_events, `r` = requests), oldest first,
 * or newest first with `newest`.
 */
export async function loadEvents(database: Database, where: SQL, { limit = 1000, newest = false } = {}): Promise<EventRow[]> {
  const rows = await database.rows<Record<string, unknown> & { event_id: number; event_action: AuditAction; event_status: RequestStatus; event_from: RequestStatus | null; event_at: string; event_to_level: number | null }>(sql`
    SELECT e.id AS event_id, e.action AS event_action, COALESCE(e.to_status, r.status) AS event_status, e.from_status AS event_from,
           to_json(e.at) #>> '{}' AS event_at, (e.detail ->> 'toLevel')::int AS event_to_level, ${requestColumns}
    FROM request_events e JOIN requests r ON r.id = e.request_id ${requestJoins}
    WHERE ${where}
    ORDER BY e.id ${newest ? sql`DESC` : sql`ASC`}
    LIMIT ${limit}`);
  return rows.map(({ event_id, event_action, event_status, event_from, event_at, event_to_level, ...request }) => ({
    id: Number(event_id),
    action: event_action,
    status: event_status,
    fromStatus: event_from ?? null,
    at: event_at,
    toLevel: event_to_level === null || event_to_level === undefined ? null : Number(event_to_level),
    request: readRequestRow(request),
  }));
}

/**
 * The settled horizon, an xid8: every transaction of this database with an xid below it has
 * ended, so no event below it can still appear (api/live/hub.ts). PGlite has one connection:
 * the oldest running transaction of its snapshot. PostgreSQL's snapshot spans every database of
 * the cluster, so a long transaction elsewhere would hold our stream back: there we take the
 * oldest xid of this database's sessions (`backend_xid`, widened to xid8 against the next xid),
 * or the next xid when none is running. The app's role sees its own sessions; another role
 * writing the table would need pg_read_all_stats. The sessions are read from
 * `pg_stat_get_activity` itself, not the `pg_stat_activity` view: the view's joins made planning
 * this (on every round of the stream) cost ≈ 1.4 ms against 0.2 ms.
 */
export function horizonSql(database: Database): SQL {
  if (database.kind === 'pglite') return sql`pg_snapshot_xmin(pg_current_snapshot())`;
  return sql`(WITH x AS (SELECT pg_snapshot_xmax(pg_current_snapshot()) AS nxt)
    SELECT LEAST(x.nxt, (
      SELECT min(x.nxt::text::numeric - (((x.nxt::text::numeric % 4294967296) - a.backend_xid::text::numeric + 4294967296) % 4294967296))
      FROM pg_stat_get_activity(NULL) a
      WHERE a.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND a.backend_xid IS NOT NULL)::text::xid8)
    FROM x)`;
}

/**
 * The settled horizon now (as text), and whether some committed event is not settled yet. The
 * newest event's xid is read once from the end of its index: `EXISTS (… WHERE xid >= h)` with h
 * unknown when planned read the table from its start, and on a county's 5.6 million events (all
 * older than h) every round of the live stream took half a second. The horizon is computed
 * once (MATERIALIZED), not once for each use.
 */
export async function settledHorizon(database: Database): Promise<{ horizon: string; held: boolean }> {
  const [row] = await database.rows<{ horizon: string; held: boolean }>(sql`
    WITH s AS MATERIALIZED (SELECT ${horizonSql(database)} AS h)
    SELECT h::text AS horizon, coalesce((SELECT max(xid) FROM request_events) >= h, false) AS held FROM s`);
  return row;
}

/**
 * The events a client that last received event `lastId` may not have seen, settled ones only:
 * every later id, and any earlier id whose transaction is younger than the one of `lastId` (it
 * settled after `lastId` was sent). Earlier ids of older transactions settled with or before
 * `lastId` and were sent before it.
 */
export const missedSince = (database: Database, lastId: number): SQL => sql`
  (e.id > ${lastId} OR e.xid > (SELECT x.xid FROM request_events x WHERE x.id = ${lastId}))
  AND e.xid < ${horizonSql(database)}`;
