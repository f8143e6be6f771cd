import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { timeLeftSql } from '../loop/deadlines.ts';
import { overdueSql } from './overdue.ts';

/**
 * One audit event joined to its request: everything any viewer may get, plus the columns that
 * decide who may get it. It stays inside the server; `publicEvent` / `staffEvent` pick what leaves.
 */
export type EventRow = {
  id: number;
  ticket: string;
  action: string;
  status: string;
  fromStatus: string | null;
  category: string;
  description: string;
  lon: number;
  lat: number;
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  microgridId: string | null;
  communityName: string | null;
  gridName: string | null;
  at: string;
  overdue: boolean;
  /** minutes left on the step it waits on (negative: overdue); null once closed */
  timeLeftMinutes: number | null;
  escalationLevel: number;
  // private: staff in scope only
  contact: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
};

/** What the public stream, the kiosk and `/api/stats` show: no contact, no assignee. */
export function publicEvent(row: EventRow) {
  return {
    id: row.id, ticket: row.ticket, action: row.action, status: row.status, fromStatus: row.fromStatus,
    category: row.category, description: row.description, lon: row.lon, lat: row.lat,
    streetId: row.streetId, communityId: row.communityId, gridId: row.gridId, microgridId: row.microgridId,
    communityName: row.communityName, gridName: row.gridName, at: row.at, overdue: row.overdue,
    timeLeftMinutes: row.timeLeftMinutes,
  };
}
export type PublicEvent = ReturnType<typeof publicEvent>;

/** What staff in scope see: the public fields, the reporter's contact and who holds it. */
export function staffEvent(row: EventRow) {
  return {
    ...publicEvent(row),
    contact: row.contact,
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? row.assigneeId } : null,
    escalationLevel: row.escalationLevel,
  };
}

/**
 * Events matching `where` (a fragment on `e` = request_events, `r` = requests), oldest first,
 * or newest first with `newest`. `status` is the request's state right after the event (its
 * `to_status`), or the current state for events that changed none (notes, photos).
 */
export async function loadEvents(database: Database, where: SQL, { limit = 1000, newest = false } = {}): Promise<EventRow[]> {
  const rows = await database.rows<Record<string, any>>(sql`
    SELECT e.id, r.ticket, e.action, COALESCE(e.to_status, r.status) AS status, e.from_status, r.category, r.description,
           ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.street_id, r.community_id, r.grid_id, r.microgrid_id,
           cm.name AS community_name, g.name AS grid_name, to_json(e.at) #>> '{}' AS at, ${overdueSql} AS overdue, ${timeLeftSql()} AS time_left_minutes,
           r.escalation_level, r.contact, r.assignee_id, s.name AS assignee_name
    FROM request_events e JOIN requests r ON r.id = e.request_id
    LEFT JOIN areas cm ON cm.id = r.community_id LEFT JOIN areas g ON g.id = r.grid_id
    LEFT JOIN staff s ON s.id = r.assignee_id
    WHERE ${where}
    ORDER BY e.id ${newest ? sql`DESC` : sql`ASC`}
    LIMIT ${limit}`);
  return rows.map((row) => ({
    id: Number(row.id),
    ticket: row.ticket,
    action: row.action,
    status: row.status,
    fromStatus: row.from_status ?? null,
    category: row.category,
    description: row.description,
    lon: Number(row.lon),
    lat: Number(row.lat),
    streetId: row.street_id ?? null,
    communityId: row.community_id ?? null,
    gridId: row.grid_id ?? null,
    microgridId: row.microgrid_id ?? null,
    communityName: row.community_name ?? null,
    gridName: row.grid_name ?? null,
    at: row.at,
    overdue: row.overdue === true || row.overdue === 't',
    timeLeftMinutes: row.time_left_minutes === null || row.time_left_minutes === undefined ? null : Number(row.time_left_minutes),
    escalationLevel: Number(row.escalation_level ?? 0),
    contact: row.contact ?? null,
    assigneeId: row.assignee_id ?? null,
    assigneeName: row.assignee_name ?? null,
  }));
}

/** Events with these ids (what NOTIFY announced). */
export function eventsById(database: Database, ids: number[]): Promise<EventRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return loadEvents(database, sql`e.id IN ${ids}`, { limit: ids.length });
}

/** The newest audit event id, or 0 on an empty table. */
export async function newestEventId(database: Database): Promise<number> {
  const [row] = await database.rows<{ id: number | string | null }>(sql`SELECT max(id) AS id FROM request_events`);
  return Number(row?.id ?? 0);
}
