import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { deadlineRowsSql } from './deadlines.ts';
import { openStatuses, topEscalation } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';

/**
 * Escalates every open request whose deadline has passed, one level at the deadline and one more
 * for each further window of the same length (claim window while collected, resolve window after):
 * grid worker → mediator → community → street. Idempotent for the same `now`: a request already at
 * (or above) the level its lateness calls for is left alone, so a hand escalation counts too.
 * One statement: the level change and its audit event are written together, and two processes
 * running the job at once escalate each request once. The event carries no words, only data
 * (from and to level, `claim_overdue` or `resolve_overdue`), worded by each page in its language.
 * Returns the tickets it escalated.
 */
export async function escalateOverdue(database: Database, now: Date = new Date()): Promise<{ ticket: string; level: number }[]> {
  const at = now.toISOString();
  return database.rows<{ ticket: string; level: number }>(sql`
    WITH late AS (
      SELECT r.id, r.status, r.escalation_level AS from_level,
        CASE WHEN r.status = 'collected' THEN 'claim_overdue' ELSE 'resolve_overdue' END AS reason,
        LEAST(${topEscalation}, 1 + floor(extract(epoch FROM (${at}::timestamptz - due)) /
          (60 * greatest(1, CASE WHEN r.status = 'collected' THEN coalesce(d.claim_minutes, 480) ELSE coalesce(d.resolve_minutes, 7200) END))))::int AS level
      FROM (SELECT r.*, CASE WHEN r.status = 'collected' THEN r.claim_deadline ELSE r.resolve_deadline END AS due
            FROM requests r WHERE r.status IN ${sqlList(openStatuses)}) r
      LEFT JOIN ${deadlineRowsSql()} ON d.category = r.category
      WHERE r.due < ${at}::timestamptz
    ),
    up AS (
      UPDATE requests r SET escalation_level = late.level, updated_at = ${at}::timestamptz
      FROM late WHERE r.id = late.id AND r.escalation_level < late.level AND r.status = late.status
      RETURNING r.id, r.ticket, r.status, late.from_level, late.level, late.reason
    ),
    ev AS (
      INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, detail)
      SELECT id, ${at}::timestamptz, 'system', 'escalated', status, status,
        jsonb_build_object('fromLevel', from_level, 'toLevel', level, 'reason', reason)
      FROM up
    )
    SELECT ticket, level FROM up ORDER BY ticket`);
}

/** Runs `escalateOverdue` every minute; returns the function that stops it. */
export function startEscalationJob(database: Database, everyMs = 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const escalated = await escalateOverdue(database);
      if (escalated.length) console.log(`escalated ${escalated.length} overdue request(s): ${escalated.slice(0, 5).map((e) => e.ticket).join(', ')}${escalated.length > 5 ? ', …' : ''}`);
    } catch (error) {
      console.error('escalation job failed:', error);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(tick, 1000);
  const timer = setInterval(tick, everyMs);
  timer.unref?.();
  first.unref?.();
  return () => { clearTimeout(first); clearInterval(timer); };
}
