import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { deadlineWarningMinutes, heldStatuses, newRequestLevels } from '../contract/vocabulary.ts';
import { StaffNotification, type NotificationList } from '../contract/wire.ts';
import { sqlList } from '../db/sql-list.ts';
import { dueSql } from '../loop/deadlines.ts';

// A staff member's notifications (docs/notifications.md). Most are written by the trigger on
// request_events in the event's own transaction (migration 0008); the deadline warnings by
// `warnDeadlines` below. Reading them is always by recipient: nobody reads another's list.

const columns = sql`n.id, n.kind, r.ticket, r.category, r.status, g.name AS "gridName", n.level,
  to_json(n.due_at) #>> '{}' AS "dueAt", to_json(n.created_at) #>> '{}' AS "createdAt", to_json(n.read_at) #>> '{}' AS "readAt"`;

async function load(database: Database, where: SQL, limit: number): Promise<StaffNotification[]> {
  const rows = await database.rows<StaffNotification>(sql`
    SELECT ${columns} FROM notifications n JOIN requests r ON r.id = n.request_id LEFT JOIN areas g ON g.id = r.grid_id
    WHERE ${where} ORDER BY n.id DESC LIMIT ${limit}`);
  return rows.map(shape);
}

const shape = (row: StaffNotification): StaffNotification => StaffNotification.parse({
  ...row, id: Number(row.id), level: row.level === null ? null : Number(row.level),
  dueAt: row.dueAt && new Date(row.dueAt).toISOString(), createdAt: new Date(row.createdAt).toISOString(),
  readAt: row.readAt && new Date(row.readAt).toISOString(),
});

/**
 * The newest `limit` notifications of a staff member, and how many of all of theirs are unread:
 * one statement, so the count and the list are of the same moment (a page that adds pushed
 * notifications to the list must not count one twice or not at all).
 */
export async function notificationsOf(database: Database, user: StaffUser, limit = 50): Promise<NotificationList> {
  const rows = await database.rows<StaffNotification & { unread: number }>(sql`
    SELECT ${columns}, (SELECT count(*)::int FROM notifications WHERE recipient_id = ${user.staffId} AND read_at IS NULL) AS unread
    FROM notifications n JOIN requests r ON r.id = n.request_id LEFT JOIN areas g ON g.id = r.grid_id
    WHERE n.recipient_id = ${user.staffId} ORDER BY n.id DESC LIMIT ${limit}`);
  return { unread: Number(rows[0]?.unread ?? 0), notifications: rows.map(({ unread: _, ...row }) => shape(row)) };
}

/** Notifications with these ids, each with its recipient (what NOTIFY announced, for the open pages). */
export async function notificationsById(database: Database, ids: number[]): Promise<(StaffNotification & { recipientId: string })[]> {
  if (ids.length === 0) return [];
  const rows = await database.rows<{ id: number; recipient_id: string }>(sql`SELECT id, recipient_id FROM notifications WHERE id IN ${ids}`);
  const recipients = new Map(rows.map((r) => [Number(r.id), r.recipient_id]));
  const found = await load(database, sql`n.id IN ${ids}`, ids.length);
  return found.map((n) => ({ ...n, recipientId: recipients.get(n.id)! }));
}

/** Marks the staff member's own notifications read (these ids, or all); answers how many are still unread, in the same statement. */
export async function markRead(database: Database, user: StaffUser, which: { ids?: number[]; all?: boolean }): Promise<number> {
  const chosen = which.all ? sql`TRUE` : which.ids?.length ? sql`id IN ${which.ids}` : sql`FALSE`;
  // the outer count sees the table as the statement began: the rows just marked are subtracted
  const [row] = await database.rows<{ unread: number }>(sql`
    WITH up AS (UPDATE notifications SET read_at = now() WHERE recipient_id = ${user.staffId} AND read_at IS NULL AND ${chosen} RETURNING id)
    SELECT count(*)::int AS unread FROM notifications
    WHERE recipient_id = ${user.staffId} AND read_at IS NULL AND id NOT IN (SELECT id FROM up)`);
  return Number(row.unread);
}

/**
 * Warns of deadlines about to pass (within `deadlineWarningMinutes`): whoever holds the request,
 * or, while it waits to be claimed, the people of its grid — the same people a new request tells.
 * One statement with `ON CONFLICT DO NOTHING` on (recipient, request, deadline): a run every
 * minute, several processes at once, or a restart never warn twice of the same deadline; a new
 * deadline (a reopened request) is warned of again. Deadlines that come within the window while
 * the server is down for the whole half hour are not warned of: escalation takes over then.
 */
export async function warnDeadlines(database: Database, now: Date = new Date()): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  // `r` whole is the row staff_in_scope reads (the same rule as inScope, migration 0008). The
  // people of a new request's grid are found through staff_area_idx: staff_in_scope of a grid or
  // micro-grid member already requires that area to be the request's, and without saying so the
  // county's 12,561 staff were each asked of each request due (≈ 1 s a minute, most of it JIT
  // compiling that plan, on every API process; 15 ms so — the same people, checked on the county)
  const rows = await database.rows<{ id: number }>(sql`
    INSERT INTO notifications (recipient_id, kind, request_id, due_at)
    SELECT s.id, 'deadline_soon', r.id, ${dueSql}
    FROM requests r JOIN staff s ON (r.status IN ${sqlList(heldStatuses)} AND s.id = r.assignee_id)
      OR (r.status = 'collected' AND s.area_id IN (r.grid_id, r.microgrid_id)
        AND EXISTS (SELECT 1 FROM areas a WHERE a.id = s.area_id AND a.level IN ${sqlList(newRequestLevels)}
        AND staff_in_scope(s.role, s.area_id, a.level, r)))
    WHERE ${dueSql} > ${at} AND ${dueSql} <= ${at} + make_interval(mins => ${deadlineWarningMinutes})
    ON CONFLICT (recipient_id, request_id, due_at) WHERE kind = 'deadline_soon' DO NOTHING
    RETURNING id`);
  return rows.length;
}
