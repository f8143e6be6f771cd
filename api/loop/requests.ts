import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { inScope } from '../auth/session.ts';
import { deadlinesOf } from '../domain.ts';
import { dueSql, overdueSql, timeLeftSql } from './deadlines.ts';
import { ApiError } from '../errors.ts';
import { assertTransition, illegal, isOpen, stepOf, topLevel, type Status } from './states.ts';

/** Every column of a request a view needs, on `requests r`, with area and assignee names. */
const columns = sql`
  r.id, r.ticket, r.category, r.description, r.channel, r.status,
  to_json(r.created_at) #>> '{}' AS created_at, to_json(r.updated_at) #>> '{}' AS updated_at,
  r.street_id, r.community_id, cm.name AS community_name, r.grid_id, g.name AS grid_name,
  r.microgrid_id, m.name AS microgrid_name, r.contact, r.assignee_id, st.name AS assignee_name,
  to_json(r.claimed_at) #>> '{}' AS claimed_at, to_json(r.resolved_at) #>> '{}' AS resolved_at,
  to_json(r.claim_deadline) #>> '{}' AS claim_deadline, to_json(r.resolve_deadline) #>> '{}' AS resolve_deadline,
  r.escalation_level, r.outcome, r.rating, r.rating_note, r.me_too, r.duplicate_of, dup.ticket AS duplicate_of_ticket,
  ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
  ${timeLeftSql()} AS time_left_minutes, ${overdueSql()} AS overdue`;
const joins = sql`
  LEFT JOIN areas cm ON cm.id = r.community_id LEFT JOIN areas g ON g.id = r.grid_id
  LEFT JOIN areas m ON m.id = r.microgrid_id LEFT JOIN staff st ON st.id = r.assignee_id
  LEFT JOIN requests dup ON dup.id = r.duplicate_of`;

export type RequestRow = Record<string, any> & {
  id: number; ticket: string; status: Status; category: string; street_id: string | null; community_id: string | null;
  grid_id: string | null; microgrid_id: string | null; escalation_level: number; assignee_id: string | null;
};

export async function findRequest(database: Database, ticket: string): Promise<RequestRow | null> {
  if (!/^[A-Za-z0-9-]{1,40}$/.test(ticket)) return null;
  const [row] = await database.rows<RequestRow>(sql`SELECT ${columns} FROM requests r ${joins} WHERE r.ticket = ${ticket}`);
  return row ?? null;
}

export async function requireRequest(database: Database, ticket: string): Promise<RequestRow> {
  const row = await findRequest(database, ticket);
  if (!row) throw new ApiError(404, `no request with ticket ${ticket}`);
  return row;
}

const scoped = (row: RequestRow) => ({
  streetId: row.street_id, communityId: row.community_id, gridId: row.grid_id, microgridId: row.microgrid_id,
  escalationLevel: row.escalation_level,
});

/** Staff may act on requests in their scope and on the ones assigned to them. */
export const mayAct = (user: StaffUser, row: RequestRow) => inScope(user, scoped(row)) || row.assignee_id === user.staffId;

export async function listForStaff(database: Database, where: SQL, limit = 500): Promise<RequestRow[]> {
  return database.rows<RequestRow>(sql`
    SELECT ${columns} FROM requests r ${joins} WHERE ${where}
    ORDER BY (${dueSql}) IS NULL, ${dueSql} ASC, r.created_at DESC LIMIT ${limit}`);
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);

/** Fields anyone may see (the public collection's, plus the loop's). */
export function publicFields(row: RequestRow) {
  return {
    ticket: row.ticket,
    category: row.category,
    description: row.description,
    status: row.status,
    channel: row.channel,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    community: ref(row.community_id, row.community_name),
    grid: ref(row.grid_id, row.grid_name),
    microgrid: ref(row.microgrid_id, row.microgrid_name),
    outcome: row.outcome ?? null,
    rating: row.rating ?? null,
    meToo: row.me_too,
    timeLeftMinutes: row.time_left_minutes ?? null,
    overdue: !!row.overdue,
  };
}

/** What staff in scope see: the public fields plus the contact, assignee, deadlines and place. */
export function staffFields(row: RequestRow) {
  return {
    ...publicFields(row),
    streetId: row.street_id,
    communityId: row.community_id,
    gridId: row.grid_id,
    microgridId: row.microgrid_id,
    contact: row.contact ?? null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name } : null,
    claimedAt: iso(row.claimed_at),
    resolvedAt: iso(row.resolved_at),
    claimDeadline: iso(row.claim_deadline),
    resolveDeadline: iso(row.resolve_deadline),
    escalationLevel: row.escalation_level,
    ratingNote: row.rating_note ?? null,
    duplicateOf: row.duplicate_of_ticket ?? null,
    lon: Number(row.lon),
    lat: Number(row.lat),
  };
}

export async function eventsOf(database: Database, requestId: number) {
  const rows = await database.rows<Record<string, any>>(sql`
    SELECT e.id, to_json(e.at) #>> '{}' AS at, e.actor, s.name AS actor_name, e.action, e.from_status, e.to_status, e.note
    FROM request_events e LEFT JOIN staff s ON s.id = e.actor
    WHERE e.request_id = ${requestId} ORDER BY e.at, e.id`);
  return rows.map((e) => ({
    id: e.id, at: iso(e.at), actor: e.actor, actorName: e.actor_name ?? null, action: e.action,
    from: e.from_status ?? null, to: e.to_status ?? null, note: e.note ?? null,
  }));
}

/**
 * The resident's timeline: the steps the request went through, without who did them and
 * without staff notes — only the notes meant for the resident (outcome, reason for rejection,
 * the ticket it duplicates) are shown.
 */
export async function publicSteps(database: Database, requestId: number) {
  const rows = await database.rows<Record<string, any>>(sql`
    SELECT to_json(e.at) #>> '{}' AS at, e.action, e.from_status, e.to_status, e.note
    FROM request_events e WHERE e.request_id = ${requestId}
      AND e.action IN ('filed', 'claimed', 'dispatched', 'status', 'escalated', 'rated', 'reopened')
    ORDER BY e.at, e.id`);
  return rows.map((e) => {
    const status = (e.to_status ?? e.from_status) as Status;
    const step = e.action === 'escalated' ? 'escalate' : e.action === 'rated' ? 'rate' : e.action === 'reopened' ? 'reopen' : stepOf[status] ?? e.action;
    const shown = e.action === 'status' && ['resolved', 'rejected', 'duplicate'].includes(e.to_status) ? e.note : null;
    return { at: iso(e.at), step, status, note: shown ?? null };
  });
}

// ---------------------------------------------------------------- changes

type Change = {
  row: RequestRow;
  to: Status;
  actor: string;
  action: string;
  note?: string | null;
  /** more `SET` assignments, each starting with a comma */
  set?: SQL;
};

/**
 * Moves a request from its current state to `to`, writing the change and its audit event in one
 * statement that only succeeds if the state is still the one we read: of two concurrent changes,
 * exactly one wins and the other answers 409.
 */
export async function transition(database: Database, { row, to, actor, action, note = null, set = sql`` }: Change): Promise<void> {
  assertTransition(row.status, to);
  const done = await database.rows<{ id: number }>(sql`
    WITH up AS (
      UPDATE requests r SET status = ${to}, updated_at = now() ${set}
      WHERE r.id = ${row.id} AND r.status = ${row.status} RETURNING r.id
    )
    INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
    SELECT id, ${actor}, ${action}, ${row.status}, ${to}, ${note} FROM up RETURNING id`);
  if (!done.length) await raced(database, row, to);
}

async function raced(database: Database, row: RequestRow, to: Status): Promise<never> {
  const now = await findRequest(database, row.ticket);
  if (now && now.status !== row.status) {
    if (to === 'claimed' && now.status === 'claimed') {
      throw new ApiError(409, `已被${now.assignee_name ?? '他人'}认领 / already claimed by ${now.assignee_name ?? 'someone else'}`, { from: now.status, to, allowed: [] });
    }
    throw illegal(now.status, to);
  }
  throw new ApiError(409, 'the request changed while you were saving; reload it and try again');
}

/** An event that does not change the state (note, photo, escalation, dispatch to someone else). */
export async function appendEvent(database: Database, row: RequestRow, actor: string, action: string, note: string | null, set?: SQL) {
  if (set) {
    await database.rows(sql`
      WITH up AS (UPDATE requests r SET updated_at = now() ${set} WHERE r.id = ${row.id} AND r.status = ${row.status} RETURNING r.id)
      INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
      SELECT id, ${actor}, ${action}, ${row.status}, ${row.status}, ${note} FROM up RETURNING id`).then((done) => {
      if (!done.length) throw new ApiError(409, 'the request changed while you were saving; reload it and try again');
    });
    return;
  }
  await database.rows(sql`
    INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
    VALUES (${row.id}, ${actor}, ${action}, ${row.status}, ${row.status}, ${note}) RETURNING id`);
}

export async function claim(database: Database, row: RequestRow, user: StaffUser) {
  if (row.status === 'claimed') {
    throw new ApiError(409, `已被${row.assignee_name ?? '他人'}认领 / already claimed by ${row.assignee_name ?? 'someone else'}`, { from: row.status, to: 'claimed', allowed: [] });
  }
  await transition(database, {
    row, to: 'claimed', actor: user.staffId, action: 'claimed', note: null,
    set: sql`, assignee_id = ${user.staffId}, claimed_at = now()`,
  });
}

/** Gives the request to a staff member whose scope holds it; claims it for them if still collected. */
export async function dispatch(database: Database, row: RequestRow, user: StaffUser, assigneeId: string, note: string | null) {
  const [assignee] = await database.rows<Record<string, string>>(sql`
    SELECT s.id, s.name, s.role, s.area_id, a.name AS area_name, a.level AS area_level
    FROM staff s LEFT JOIN areas a ON a.id = s.area_id WHERE s.id = ${assigneeId}`);
  if (!assignee) throw new ApiError(422, `no staff member with id ${assigneeId}`, { field: 'assigneeId' });
  const asUser: StaffUser = {
    username: '', staffId: assignee.id, name: assignee.name, role: assignee.role as StaffUser['role'],
    areaId: assignee.area_id, areaName: assignee.area_name, areaLevel: assignee.area_level as StaffUser['areaLevel'],
  };
  if (!inScope(asUser, scoped(row))) {
    throw new ApiError(422, `${assignee.name} does not work in this request's area; dispatch to someone whose area holds it`, { field: 'assigneeId' });
  }
  const text = `派给 ${assignee.name}` + (note ? `：${note}` : '');
  if (row.status === 'collected') {
    await transition(database, {
      row, to: 'claimed', actor: user.staffId, action: 'dispatched', note: text,
      set: sql`, assignee_id = ${assignee.id}, claimed_at = now()`,
    });
  } else if (isOpen(row.status)) {
    await appendEvent(database, row, user.staffId, 'dispatched', text, sql`, assignee_id = ${assignee.id}`);
  } else {
    throw new ApiError(409, `a ${row.status} request is closed and cannot be dispatched`, { from: row.status, allowed: [] });
  }
  return { id: assignee.id, name: assignee.name };
}

export async function escalate(database: Database, row: RequestRow, actor: string, note: string | null) {
  if (!isOpen(row.status)) throw new ApiError(409, `a ${row.status} request is closed and cannot be escalated`, { from: row.status, allowed: [] });
  if (row.escalation_level >= topLevel) throw new ApiError(409, 'the request is already with the street, the last level (街道兜底)');
  const level = row.escalation_level + 1;
  await appendEvent(database, row, actor, 'escalated', note, sql`, escalation_level = ${level}`);
  return level;
}

/** The resident's rating of a resolved request: ≥ 3 closes the feedback step, ≤ 2 reopens it one level up. */
export async function rate(database: Database, row: RequestRow, rating: number, note: string | null) {
  if (row.status !== 'resolved') {
    throw new ApiError(409, `只有已办结（resolved）的诉求可以评价 / only a resolved request can be rated; this one is ${row.status}`, { from: row.status, allowed: [] });
  }
  const { resolveMinutes } = deadlinesOf(row.category);
  const text = `评价 ${rating} 星` + (note ? `：${note}` : '');
  if (rating >= 3) {
    await transition(database, {
      row, to: 'revisited', actor: 'resident', action: 'rated', note: text,
      set: sql`, rating = ${rating}, rating_note = ${note}`,
    });
  } else {
    await transition(database, {
      row, to: 'resolving', actor: 'resident', action: 'reopened', note: text,
      set: sql`, rating = ${rating}, rating_note = ${note}, resolved_at = NULL,
        escalation_level = LEAST(${topLevel}, r.escalation_level + 1),
        resolve_deadline = now() + make_interval(mins => ${resolveMinutes})`,
    });
  }
}

export async function meToo(database: Database, row: RequestRow): Promise<number> {
  if (!isOpen(row.status)) {
    throw new ApiError(409, `this request is ${row.status}; file a new one if the problem is back`, { from: row.status, allowed: [] });
  }
  const [done] = await database.rows<{ me_too: number }>(sql`
    WITH up AS (UPDATE requests SET me_too = me_too + 1, updated_at = now() WHERE id = ${row.id} RETURNING id, me_too, status),
    ev AS (INSERT INTO request_events (request_id, actor, action, from_status, to_status) SELECT id, 'resident', 'me_too', status, status FROM up)
    SELECT me_too FROM up`);
  return done.me_too;
}

/** Open requests of the same category within `meters` of a point, nearest first. */
export async function similarRequests(database: Database, p: { lon: number; lat: number; category: string; meters?: number; except?: string }) {
  const rows = await database.rows<{ ticket: string; description: string; me_too: number; distance: number }>(sql`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326) AS geom)
    SELECT r.ticket, r.description, r.me_too, ST_Distance(r.geom::geography, pt.geom::geography) AS distance
    FROM requests r, pt
    WHERE r.category = ${p.category} AND r.status IN ('collected', 'claimed', 'deliberating', 'resolving')
      -- a box on the GiST index first (a degree is ≥ 40 km everywhere in China), then metres on the ellipsoid
      AND r.geom && ST_Expand(pt.geom, ${(p.meters ?? 50) / 40_000})
      AND ST_DWithin(r.geom::geography, pt.geom::geography, ${p.meters ?? 50})
      AND r.ticket <> ${p.except ?? ''}
    ORDER BY distance LIMIT 5`);
  return rows.map((r) => ({ ticket: r.ticket, description: r.description, meToo: r.me_too, distanceMeters: Math.round(Number(r.distance)) }));
}
