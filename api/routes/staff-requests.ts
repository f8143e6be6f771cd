import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { currentUser, mayAct, scopeSql, type StaffUser } from '../auth/session.ts';
import { mayDispatch, openStatuses } from '../contract/vocabulary.ts';
import { DispatchInput, NoteInput, QueueQuery, StaffFiling, StaffRequestDetail, StatusChange, type BuildingRef } from '../contract/wire.ts';
import { navigationLinks } from '../geo/navigation.ts';
import { nearBuilding } from '../places/near-building.ts';
import { fileWithSimilar } from '../loop/file.ts';
import { sqlList } from '../db/sql-list.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import { json, query } from '../validate.ts';
import { assigneesOf } from '../loop/assignees.ts';
import { escalateOverdue } from '../loop/escalation.ts';
import { dueSql } from '../loop/deadlines.ts';
import { addNote, changeStatus, claim, dispatch, escalate } from '../loop/moves.ts';
import { addStaffPhoto, photoBodyLimit, photoFromForm, photosOf } from '../loop/photos.ts';
import { loadRequests, requireRequest, toStaffRequest, type RequestRow } from '../loop/request-row.ts';
import { eventsOf } from '../loop/timeline.ts';
import { publish, unpublish } from '../loop/privacy.ts';

/** Overdue requests escalate on read as well as by the minute job, at most every 15 s per database. */
const lastEscalation = new WeakMap<Database, number>();
async function escalateOnRead(database: Database) {
  const last = lastEscalation.get(database) ?? 0;
  if (Date.now() - last < 15_000) return;
  lastEscalation.set(database, Date.now());
  await escalateOverdue(database);
}

type Staff = { Variables: { user: StaffUser } };

/** Every staff route: the signed-in staff member, or 401 before anything else is read. */
const signedIn = (database: Database) => createMiddleware<Staff>(async (c, next) => {
  const user = await currentUser(c, database);
  if (!user) throw unauthorized();
  c.set('user', user);
  await next();
});

const dispatcherOnly = createMiddleware<Staff>(async (c, next) => {
  if (!mayDispatch(c.var.user.role)) throw new ApiError('not_dispatcher', 'only grid leaders, secretaries and the street administrator dispatch');
  await next();
});

/** The request a staff member asks for: 404 if there is none, 403 if it lies outside their scope. */
async function scopedRequest(database: Database, user: StaffUser, ticket: string): Promise<RequestRow> {
  const row = await requireRequest(database, ticket);
  if (!mayAct(user, row)) throw forbidden(`request ${row.ticket}`);
  return row;
}

async function detail(database: Database, ticket: string): Promise<StaffRequestDetail> {
  const row = await requireRequest(database, ticket);
  const near = await nearBuilding(database, row.lon, row.lat);
  return StaffRequestDetail.parse({
    ...toStaffRequest(row), events: await eventsOf(database, row.id), photos: await photosOf(database, row.id),
    nearBuilding: near,
    navigation: navigationLinks(row.lon, row.lat, placeName(row, near) ?? row.ticket),
  });
}

/** What the map app's marker says: the building picked when filing, else the nearest one, with its compound. */
function placeName(row: RequestRow, near: BuildingRef | null): string | null {
  const b = row.buildingId ? { compound: row.buildingCompound, number: row.buildingNumber, name: row.buildingName } : near;
  if (!b) return null;
  return [b.compound, b.number ?? b.name].filter(Boolean).join(' ') || null;
}

const PhotoKind = (kind: unknown): 'progress' | 'outcome' => {
  if (kind === undefined || kind === 'progress' || kind === 'outcome') return (kind ?? 'progress') as 'progress' | 'outcome';
  throw new ApiError('invalid_value', 'kind must be progress or outcome', { field: 'kind', allowed: ['progress', 'outcome'] });
};

/** /api/staff/requests: the staff side of the closed loop (cookie required, scope checked). */
export const staffRequestRoutes = (database: Database) => new Hono<Staff>()
  .use('*', signedIn(database))
  .get('/', query(QueueQuery), async (c) => {
    const { user } = c.var;
    const { scope, status } = c.req.valid('query');
    await escalateOnRead(database);
    const who = scope === 'mine' ? sql`r.assignee_id = ${user.staffId}` : sql`(${scopeSql(user)} OR r.assignee_id = ${user.staffId})`;
    const open = status === 'open' ? sql`r.status IN ${sqlList(openStatuses)}` : sql`TRUE`;
    const rows = await loadRequests(database, sql`${who} AND ${open}`, { orderBy: sql`(${dueSql}) IS NULL, ${dueSql} ASC, r.created_at DESC`, limit: 500 });
    return c.json({ requests: rows.map(toStaffRequest) });
  })

  /** Staff intake (issue 10): a request recorded for a resident — hotline, chat group, call or field visit — by the staff member signed in. */
  .post('/', json(StaffFiling), async (c) => {
    const filed = await fileWithSimilar(database, { ...c.req.valid('json'), staffId: c.var.user.staffId });
    return c.json(filed, 201, { location: `/api/staff/requests/${filed.ticket}` });
  })

  .get('/:ticket', async (c) => {
    await escalateOnRead(database);
    const row = await scopedRequest(database, c.var.user, c.req.param('ticket'));
    return c.json(await detail(database, row.ticket));
  })

  /** Who this request can be dispatched to: working staff whose area holds it. */
  .get('/:ticket/assignees', async (c) => {
    const row = await scopedRequest(database, c.var.user, c.req.param('ticket'));
    return c.json({ assignees: await assigneesOf(database, row) });
  })

  .post('/:ticket/claim', async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await claim(database, row, user);
    return c.json(await detail(database, row.ticket));
  })

  .post('/:ticket/dispatch', dispatcherOnly, json(DispatchInput), async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const { assigneeId, note } = c.req.valid('json');
    await dispatch(database, row, user, assigneeId, note ?? null);
    return c.json(await detail(database, row.ticket));
  })

  .post('/:ticket/status', json(StatusChange), async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await changeStatus(database, row, user, c.req.valid('json'));
    return c.json(await detail(database, row.ticket));
  })

  .post('/:ticket/escalate', json(NoteInput), async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await escalate(database, row, user.staffId, c.req.valid('json').note);
    return c.json(await detail(database, row.ticket));
  })

  .post('/:ticket/notes', json(NoteInput), async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await addNote(database, row, user, c.req.valid('json').note);
    return c.json(await detail(database, row.ticket), 201);
  })

  /** Publishes a description for the public view (the resident's words redacted, or staff's own); DELETE takes it back. */
  .post('/:ticket/publish', json(NoteInput), async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await publish(database, row, user, c.req.valid('json').note);
    return c.json(await detail(database, row.ticket));
  })

  .delete('/:ticket/publish', async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await unpublish(database, row, user);
    return c.json(await detail(database, row.ticket));
  })

  .post('/:ticket/photos', photoBodyLimit, async (c) => {
    const { user } = c.var;
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const { bytes, fields } = await photoFromForm(c);
    const kind = PhotoKind(fields.kind);
    const photo = await addStaffPhoto(database, row, user, kind, bytes);
    return c.json({ id: photo.id, url: photo.url, kind }, 201);
  });
