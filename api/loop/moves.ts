import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { inScope, userOfStaff } from '../auth/session.ts';
import {
  deadlinesOf, isOpenStatus, originalRequired, outcomeRequired, ratingRange, reasonRequired, topEscalation,
  type AuditAction, type RequestStatus,
} from '../contract/vocabulary.ts';
import type { EventDetail, StatusChange } from '../contract/wire.ts';
import { ApiError } from '../errors.ts';
import { findRequest, type RequestRow } from './request-row.ts';
import { assertTransition, closed, illegal } from './states.ts';

// Every step of a request's life after filing (./file.ts files it): each one guarded statement
// that writes the change and its audit event together, and only if the request is still in the
// state we read — of two concurrent changes exactly one wins and the other answers 409. Routes
// translate HTTP to these calls and nothing else; scripts call them too.

type Actor = string; // a staff id, 'resident' or 'system'

type Change = {
  row: RequestRow;
  to: RequestStatus;
  actor: Actor;
  action: AuditAction;
  note?: string | null;
  /** what the server adds to the event as data (whom to, which ticket, how many stars) */
  detail?: EventDetail;
  /** more `SET` assignments, each starting with a comma */
  set?: SQL;
};

/** Moves a request to `to`, with its audit event, in one statement guarded by the state we read. */
export async function transition(database: Database, { row, to, actor, action, note = null, detail = null, set = sql`` }: Change): Promise<void> {
  assertTransition(row.status, to);
  const done = await database.rows<{ id: number }>(sql`
    WITH up AS (
      UPDATE requests r SET status = ${to}, updated_at = now() ${set}
      WHERE r.id = ${row.id} AND r.status = ${row.status} RETURNING r.id
    )
    INSERT INTO request_events (request_id, actor, action, from_status, to_status, note, detail)
    SELECT id, ${actor}, ${action}, ${row.status}, ${to}, ${note}, ${jsonOrNull(detail)} FROM up RETURNING id`);
  if (!done.length) await raced(database, row, to);
}

async function raced(database: Database, row: RequestRow, to: RequestStatus): Promise<never> {
  const now = await findRequest(database, row.ticket);
  if (now && now.status !== row.status) {
    if (to === 'claimed' && now.status === 'claimed') throw alreadyClaimed(now);
    throw illegal(now.status, to);
  }
  throw changed();
}

const changed = () => new ApiError('request_changed', 'the request changed while you were saving; reload it and try again');
const alreadyClaimed = (row: RequestRow) => new ApiError('already_claimed', `already claimed by ${row.assigneeName ?? 'someone else'}`,
  { assigneeName: row.assigneeName ?? null, from: row.status, to: 'claimed', allowed: [] });

/**
 * An event that does not change the state (note, photo, escalation, dispatch to someone else).
 * With `set`, the request's row changes too, still only if it is in the state we read.
 */
export async function appendEvent(database: Database, row: RequestRow, actor: Actor, action: AuditAction, note: string | null, set?: SQL, detail: EventDetail = null) {
  if (set) {
    const done = await database.rows(sql`
      WITH up AS (UPDATE requests r SET updated_at = now() ${set} WHERE r.id = ${row.id} AND r.status = ${row.status} RETURNING r.id)
      INSERT INTO request_events (request_id, actor, action, from_status, to_status, note, detail)
      SELECT id, ${actor}, ${action}, ${row.status}, ${row.status}, ${note}, ${jsonOrNull(detail)} FROM up RETURNING id`);
    if (!done.length) throw changed();
    return;
  }
  await database.rows(sql`
    INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
    VALUES (${row.id}, ${actor}, ${action}, ${row.status}, ${row.status}, ${note}) RETURNING id`);
}

/** 秒认领: the worker takes the request; of two at once, one wins. */
export async function claim(database: Database, row: RequestRow, user: StaffUser) {
  if (row.status === 'claimed') throw alreadyClaimed(row);
  await transition(database, {
    row, to: 'claimed', actor: user.staffId, action: 'claimed', note: null,
    set: sql`, assignee_id = ${user.staffId}, claimed_at = now()`,
  });
}

/** Gives the request to a staff member whose scope holds it; claims it for them if still collected. */
export async function dispatch(database: Database, row: RequestRow, user: StaffUser, assigneeId: string, note: string | null) {
  const assignee = await userOfStaff(database, assigneeId);
  if (!assignee) throw new ApiError('unknown_assignee', `no staff member with id ${assigneeId}`, { field: 'assigneeId' });
  if (!inScope(assignee, row)) {
    throw new ApiError('assignee_out_of_scope', `${assignee.name} does not work in this request's area; dispatch to someone whose area holds it`,
      { field: 'assigneeId', assigneeName: assignee.name });
  }
  const detail = { assigneeName: assignee.name };
  if (row.status === 'collected') {
    await transition(database, {
      row, to: 'claimed', actor: user.staffId, action: 'dispatched', note, detail,
      set: sql`, assignee_id = ${assignee.staffId}, claimed_at = now()`,
    });
  } else if (isOpenStatus(row.status)) {
    await appendEvent(database, row, user.staffId, 'dispatched', note, sql`, assignee_id = ${assignee.staffId}`, detail);
  } else {
    throw closed(row.status, 'dispatch');
  }
  return { id: assignee.staffId, name: assignee.name };
}

/**
 * A step chosen by staff: resolve with the outcome the resident reads (反馈息事), reject with a
 * reason, mark a duplicate of another ticket (which counts one more "me too"), reopen a resolved
 * one, or any other move the state table allows.
 */
export async function changeStatus(database: Database, row: RequestRow, user: StaffUser, change: StatusChange) {
  const { to } = change;
  const need = (field: 'note' | 'outcome' | 'duplicateOf') => {
    const value = change[field];
    if (!value) throw new ApiError('required', `${field} is required: say it in a few words`, { field });
    return value;
  };
  if (to === 'claimed') return claim(database, row, user);
  assertTransition(row.status, to);
  if (to === 'resolved') {
    const outcome = outcomeRequired(row.status, to) ? need('outcome') : null;
    // a new outcome is rated anew: the resident's earlier rating (of the outcome it replaces) stays in the audit trail
    return transition(database, { row, to, actor: user.staffId, action: 'status', note: outcome, set: sql`, outcome = ${outcome}, resolved_at = now(), rating = NULL, rated_at = NULL, rating_note = NULL` });
  }
  if (to === 'rejected') {
    const reason = reasonRequired(row.status, to) ? need('note') : change.note ?? null;
    return transition(database, { row, to, actor: user.staffId, action: 'status', note: reason });
  }
  if (to === 'duplicate') return markDuplicate(database, row, user, originalRequired(row.status, to) ? need('duplicateOf') : null);
  const set = to === 'resolving' && row.status === 'resolved' ? sql`, resolved_at = NULL` : sql``;
  return transition(database, { row, to, actor: user.staffId, action: 'status', note: change.note ?? null, set });
}

/** Closes a request as a duplicate of `of`; the original gains a "me too", with its own audit event, in the same statement. */
async function markDuplicate(database: Database, row: RequestRow, user: StaffUser, of: string | null) {
  const original = of ? await findRequest(database, of) : null;
  if (of && (!original || original.id === row.id)) {
    throw new ApiError('invalid_duplicate_of', `duplicateOf must be the ticket of another request; ${of} is not`, { field: 'duplicateOf' });
  }
  const detail = of ? jsonOrNull({ ticket: of }) : null;
  const done = await database.rows<{ id: number }>(sql`
    WITH up AS (
      UPDATE requests r SET status = 'duplicate', updated_at = now(), duplicate_of = ${original?.id ?? null}
      WHERE r.id = ${row.id} AND r.status = ${row.status} RETURNING r.id
    ),
    ev AS (
      INSERT INTO request_events (request_id, actor, action, from_status, to_status, detail)
      SELECT id, ${user.staffId}, 'status', ${row.status}, 'duplicate', ${detail} FROM up
    ),
    orig AS (
      UPDATE requests o SET me_too = o.me_too + 1, updated_at = now()
      WHERE o.id = ${original?.id ?? null} AND EXISTS (SELECT 1 FROM up) RETURNING o.id, o.status
    ),
    orig_ev AS (
      INSERT INTO request_events (request_id, actor, action, from_status, to_status, detail)
      SELECT id, ${user.staffId}, 'me_too', status, status, ${jsonOrNull({ ticket: row.ticket })} FROM orig
    )
    SELECT id FROM up`);
  if (!done.length) await raced(database, row, 'duplicate');
}

/** 上报: one level up (grid worker → mediator → community → street), until the street (兜底). */
export async function escalate(database: Database, row: RequestRow, actor: Actor, note: string | null) {
  if (!isOpenStatus(row.status)) throw closed(row.status, 'escalate');
  if (row.escalationLevel >= topEscalation) {
    throw new ApiError('already_at_top', 'the request is already with the street, the last level (街道兜底)');
  }
  // the next level from the row as it is, not as we read it: the minute job may have raised it since
  const [done] = await database.rows<{ level: number }>(sql`
    WITH up AS (
      UPDATE requests r SET escalation_level = r.escalation_level + 1, updated_at = now()
      WHERE r.id = ${row.id} AND r.status = ${row.status} AND r.escalation_level < ${topEscalation}
      RETURNING r.id, r.escalation_level AS level
    ),
    ev AS (
      INSERT INTO request_events (request_id, actor, action, from_status, to_status, note, detail)
      SELECT id, ${actor}, 'escalated', ${row.status}, ${row.status}, ${note}, jsonb_build_object('fromLevel', level - 1, 'toLevel', level) FROM up
    )
    SELECT level FROM up`);
  if (done) return done.level;
  const now = await findRequest(database, row.ticket);
  if (now && now.status === row.status && now.escalationLevel >= topEscalation) {
    throw new ApiError('already_at_top', 'the request is already with the street, the last level (街道兜底)');
  }
  throw changed();
}

/** The resident's rating of a resolved request: above `reopenAtMost` closes the feedback step, else reopens it one level up. */
export async function rate(database: Database, row: RequestRow, rating: number, note: string | null) {
  if (row.status !== 'resolved') {
    throw new ApiError('not_resolved', `only a resolved request can be rated; this one is ${row.status}`, { status: row.status, from: row.status, allowed: [] });
  }
  const { resolveMinutes } = deadlinesOf(row.category);
  const detail = { rating };
  if (rating > ratingRange.reopenAtMost) {
    await transition(database, {
      row, to: 'revisited', actor: 'resident', action: 'rated', note, detail,
      set: sql`, rating = ${rating}, rated_at = now(), rating_note = ${note}`,
    });
  } else {
    await transition(database, {
      row, to: 'resolving', actor: 'resident', action: 'reopened', note, detail,
      set: sql`, rating = ${rating}, rated_at = now(), rating_note = ${note}, resolved_at = NULL,
        escalation_level = LEAST(${topEscalation}, r.escalation_level + 1),
        resolve_deadline = now() + make_interval(mins => ${resolveMinutes})`,
    });
  }
}

/** 同反映: another resident has the same problem. */
export async function meToo(database: Database, row: RequestRow): Promise<number> {
  if (!isOpenStatus(row.status)) throw closed(row.status, 'me_too');
  const [done] = await database.rows<{ me_too: number }>(sql`
    WITH up AS (UPDATE requests SET me_too = me_too + 1, updated_at = now() WHERE id = ${row.id} RETURNING id, me_too, status),
    ev AS (INSERT INTO request_events (request_id, actor, action, from_status, to_status) SELECT id, 'resident', 'me_too', status, status FROM up)
    SELECT me_too FROM up`);
  return done.me_too;
}

/** An event's detail as a jsonb parameter (NULL for none). */
const jsonOrNull = (detail: EventDetail) => (detail ? sql`${JSON.stringify(detail)}::jsonb` : sql`NULL`);

/** A staff member's note on the request's audit trail. */
export const addNote = (database: Database, row: RequestRow, user: StaffUser, note: string) =>
  appendEvent(database, row, user.staffId, 'note', note);
