import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { RequestRow } from './request-row.ts';

// 个人信息保护 (issue 9 §1): a reporter's phone is kept while someone may need to call back, and
// no longer. Both ways it goes leave an audit event (`contact_erased`) saying who and why — never
// the number itself.

/** Days an archived request keeps its reporter's contact (CONTACT_RETENTION_DAYS, default 180). */
export function retentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CONTACT_RETENTION_DAYS?.trim();
  if (!raw) return 180;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) throw new Error(`CONTACT_RETENTION_DAYS=${raw}: must be a whole number of days ≥ 0`);
  return days;
}

/**
 * Erases the contact of every request archived more than `days` ago (by its archiving event),
 * with one audit event each, in one statement. Returns the tickets.
 */
export async function eraseExpiredContacts(database: Database, days: number, now: Date = new Date()): Promise<string[]> {
  const rows = await database.rows<{ ticket: string }>(sql`
    WITH due AS (
      SELECT r.id FROM requests r
      WHERE r.status = 'archived' AND r.contact IS NOT NULL
        AND coalesce((SELECT max(e.at) FROM request_events e WHERE e.request_id = r.id AND e.to_status = 'archived'), r.updated_at)
          < ${now.toISOString()}::timestamptz - make_interval(days => ${days})
    ),
    erased AS (
      UPDATE requests r SET contact = NULL FROM due WHERE r.id = due.id AND r.contact IS NOT NULL RETURNING r.id, r.ticket, r.status
    ),
    ev AS (
      INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, note)
      SELECT id, ${now.toISOString()}::timestamptz, 'system', 'contact_erased', status, status,
        ${`归档满 ${days} 天，联系方式已删除 / contact erased ${days} days after archiving`} FROM erased
    )
    SELECT ticket FROM erased ORDER BY ticket`);
  return rows.map((r) => r.ticket);
}

/** The reporter (with the report token) asks for their contact to be erased: true if there was one. */
export async function eraseContact(database: Database, row: RequestRow): Promise<boolean> {
  const rows = await database.rows(sql`
    WITH erased AS (UPDATE requests SET contact = NULL WHERE id = ${row.id} AND contact IS NOT NULL RETURNING id, status)
    INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
    SELECT id, 'resident', 'contact_erased', status, status, '应本人要求删除联系方式 / contact erased at the reporter''s request' FROM erased
    RETURNING id`);
  return rows.length > 0;
}

/** Runs `eraseExpiredContacts` every `everyMs` (a minute); returns the function that stops it. */
export function startRetentionJob(database: Database, days: number, everyMs = 60_000): () => void {
  const timer = setInterval(() => {
    eraseExpiredContacts(database, days).then(
      (tickets) => { if (tickets.length) console.log(`erased the contact of ${tickets.length} request(s) archived over ${days} days ago`); },
      (error) => console.error('contact retention job failed:', error),
    );
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
