import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { AuditEvent, EventDetail, TicketStep } from '../contract/wire.ts';
import { noteForResident, publicActions, stepOf, type AuditAction, type RequestStatus } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';

type EventRow = { id: number; at: string; actor: string; actorName: string | null; action: AuditAction; from: RequestStatus | null; to: RequestStatus | null; note: string | null; detail: EventDetail };

const iso = (v: string) => new Date(v).toISOString();

/** Every audit event of a request, oldest first, with who made it (staff view). */
export async function eventsOf(database: Database, requestId: number): Promise<AuditEvent[]> {
  const rows = await database.rows<EventRow>(sql`
    SELECT e.id, to_json(e.at) #>> '{}' AS at, e.actor, s.name AS "actorName", e.action, e.from_status AS "from", e.to_status AS "to", e.note, e.detail
    FROM request_events e LEFT JOIN staff s ON s.id = e.actor
    WHERE e.request_id = ${requestId} ORDER BY e.at, e.id`);
  return rows.map((e) => ({ ...e, id: Number(e.id), at: iso(e.at), actorName: e.actorName ?? null, from: e.from ?? null, to: e.to ?? null, note: e.note ?? null, detail: e.detail ?? null }));
}

const stepOfAction: Partial<Record<AuditAction, TicketStep['step']>> = { escalated: 'escalate', rated: 'rate', reopened: 'reopen' };

/**
 * The resident's timeline: the steps the request went through, without who did them and
 * without staff notes — only the notes meant for the resident are shown.
 */
export async function publicSteps(database: Database, requestId: number): Promise<TicketStep[]> {
  const rows = await database.rows<EventRow>(sql`
    SELECT to_json(e.at) #>> '{}' AS at, e.action, e.from_status AS "from", e.to_status AS "to", e.note, e.detail
    FROM request_events e WHERE e.request_id = ${requestId} AND e.action IN ${sqlList(publicActions)}
    ORDER BY e.at, e.id`);
  return rows.map((e) => {
    const status = (e.to ?? e.from)!;
    const shown = e.action === 'status' && e.to && (noteForResident as readonly string[]).includes(e.to) ? e.note : null;
    return { at: iso(e.at), step: stepOfAction[e.action] ?? (stepOf[status] as TicketStep['step']), status, note: shown ?? null, toLevel: e.action === 'escalated' ? e.detail?.toLevel ?? null : null };
  });
}
