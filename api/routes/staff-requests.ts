import { Hono, type Context } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { currentUser, scopeSql, type StaffUser } from '../auth/session.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import { escalateOverdue } from '../loop/escalation.ts';
import { checkReportToken } from '../loop/report-token.ts';
import {
  appendEvent, claim, dispatch, escalate, eventsOf, listForStaff, mayAct, requireRequest, staffFields, transition, findRequest,
  type RequestRow,
} from '../loop/requests.ts';
import { isStatus } from '../loop/states.ts';
import { photoBodyLimit, photoFromForm, photosOf, readPhoto, storePhoto } from '../photos.ts';
import { openStatuses } from '../db/schema.ts';

/** Overdue requests escalate on read as well as by the minute job, at most every 15 s per database. */
const lastEscalation = new WeakMap<Database, number>();
async function escalateOnRead(database: Database) {
  const last = lastEscalation.get(database) ?? 0;
  if (Date.now() - last < 15_000) return;
  lastEscalation.set(database, Date.now());
  await escalateOverdue(database);
}

async function requireUser(c: Context, database: Database): Promise<StaffUser> {
  const user = await currentUser(c, database);
  if (!user) throw unauthorized();
  return user;
}

async function jsonBody(c: Context, shape: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, `the body must be JSON: ${shape}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, `the body must be a JSON object: ${shape}`);
  return body as Record<string, unknown>;
}

function text(body: Record<string, unknown>, field: string, { required = false, max = 2000 } = {}): string | null {
  const value = body[field];
  if (value == null || (typeof value === 'string' && !value.trim())) {
    if (required) throw new ApiError(400, `${field} is required: say it in a few words`, { field });
    return null;
  }
  if (typeof value !== 'string') throw new ApiError(400, `${field} must be text`, { field });
  if (value.trim().length > max) throw new ApiError(400, `${field} must be at most ${max} characters`, { field });
  return value.trim();
}

/** The request a staff member asks for: 404 if there is none, 403 if it lies outside their scope. */
async function scopedRequest(database: Database, user: StaffUser, ticket: string): Promise<RequestRow> {
  const row = await requireRequest(database, ticket);
  if (!mayAct(user, row)) throw forbidden(`request ${ticket}`);
  return row;
}

async function detail(database: Database, ticket: string) {
  const row = await requireRequest(database, ticket);
  return { ...staffFields(row), events: await eventsOf(database, row.id), photos: await photosOf(database, row.id) };
}

const dispatchers = new Set(['grid_leader', 'secretary', 'street_admin']);

/** /api/staff/requests: the staff side of the closed loop (cookie required, scope checked). */
export function staffRequestRoutes(database: Database) {
  const app = new Hono();

  app.get('/', async (c) => {
    const user = await requireUser(c, database);
    const scope = c.req.query('scope') ?? 'area';
    const status = c.req.query('status') ?? 'open';
    if (!['mine', 'area'].includes(scope)) throw new ApiError(400, 'scope must be mine or area', { field: 'scope' });
    if (!['open', 'all'].includes(status)) throw new ApiError(400, 'status must be open or all', { field: 'status' });
    await escalateOnRead(database);
    const who = scope === 'mine' ? sql`r.assignee_id = ${user.staffId}` : sql`(${scopeSql(user)} OR r.assignee_id = ${user.staffId})`;
    const open = status === 'open' ? sql`r.status IN (${sql.join(openStatuses.map((s) => sql`${s}`), sql`, `)})` : sql`TRUE`;
    const rows = await listForStaff(database, sql`${who} AND ${open}`);
    return c.json({ requests: rows.map(staffFields) });
  });

  app.get('/:ticket', async (c) => {
    const user = await requireUser(c, database);
    await escalateOnRead(database);
    await scopedRequest(database, user, c.req.param('ticket'));
    return c.json(await detail(database, c.req.param('ticket')));
  });

  /** Who this request can be dispatched to: working staff whose area holds it. */
  app.get('/:ticket/assignees', async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const people = await database.rows<{ id: string; name: string; role: string; area_id: string; open: number }>(sql`
      SELECT s.id, s.name, s.role, s.area_id,
        (SELECT count(*)::int FROM requests q WHERE q.assignee_id = s.id AND q.status IN ('claimed', 'deliberating', 'resolving')) AS open
      FROM staff s
      WHERE (s.role IN ('grid_worker', 'grid_leader') AND s.area_id = ${row.grid_id})
         OR (s.role = 'microgrid_leader' AND s.area_id = ${row.microgrid_id})
         OR (s.role = 'secretary' AND s.area_id = ${row.community_id})
         OR (s.role = 'street_admin' AND s.area_id = ${row.street_id})
         OR (s.role = 'mediator' AND ${row.escalation_level} >= 1 AND s.area_id IN (${row.community_id}, ${row.street_id}))
      ORDER BY CASE s.role WHEN 'grid_worker' THEN 0 WHEN 'grid_leader' THEN 1 WHEN 'microgrid_leader' THEN 2
        WHEN 'mediator' THEN 3 WHEN 'secretary' THEN 4 ELSE 5 END, s.id`);
    return c.json({ assignees: people.map((p) => ({ id: p.id, name: p.name, role: p.role, areaId: p.area_id, openRequests: p.open })) });
  });

  app.post('/:ticket/claim', async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    await claim(database, row, user);
    return c.json(await detail(database, row.ticket));
  });

  app.post('/:ticket/dispatch', async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    if (!dispatchers.has(user.role)) throw new ApiError(403, '只有网格长、社区书记和街道可以派单 / only grid leaders, secretaries and the street administrator dispatch');
    const body = await jsonBody(c, '{ assigneeId, note? }');
    const assigneeId = text(body, 'assigneeId', { required: true, max: 40 })!;
    await dispatch(database, row, user, assigneeId, text(body, 'note'));
    return c.json(await detail(database, row.ticket));
  });

  app.post('/:ticket/status', async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const body = await jsonBody(c, '{ to, note?, outcome?, duplicateOf? }');
    const to = body.to;
    if (!isStatus(to)) throw new ApiError(400, 'to must be one of: collected, claimed, deliberating, resolving, resolved, revisited, archived, rejected, duplicate', { field: 'to' });
    const note = text(body, 'note');
    if (to === 'claimed') {
      await claim(database, row, user);
    } else if (to === 'resolved') {
      // the outcome is the feedback the resident reads (反馈息事)
      const outcome = row.status === 'resolving' ? text(body, 'outcome', { required: true }) : null;
      await transition(database, {
        row, to, actor: user.staffId, action: 'status', note: outcome,
        set: sql`, outcome = ${outcome}, resolved_at = now()`,
      });
    } else if (to === 'rejected') {
      const reason = text(body, 'note', { required: ['collected', 'claimed', 'deliberating'].includes(row.status) });
      await transition(database, { row, to, actor: user.staffId, action: 'status', note: reason });
    } else if (to === 'duplicate') {
      const of = ['collected', 'claimed'].includes(row.status) ? text(body, 'duplicateOf', { required: true, max: 40 })! : null;
      const original = of ? await findRequest(database, of) : null;
      if (of && (!original || original.id === row.id)) throw new ApiError(422, `duplicateOf must be the ticket of another request; ${of} is not`, { field: 'duplicateOf' });
      await transition(database, {
        row, to, actor: user.staffId, action: 'status', note: `与 ${of} 重复 / duplicate of ${of}`,
        set: sql`, duplicate_of = ${original?.id ?? null}`,
      });
      if (original) await database.rows(sql`UPDATE requests SET me_too = me_too + 1 WHERE id = ${original.id} RETURNING id`);
    } else if (to === 'resolving' && row.status === 'resolved') {
      await transition(database, { row, to, actor: user.staffId, action: 'status', note, set: sql`, resolved_at = NULL` });
    } else {
      await transition(database, { row, to, actor: user.staffId, action: 'status', note });
    }
    return c.json(await detail(database, row.ticket));
  });

  app.post('/:ticket/escalate', async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const body = await jsonBody(c, '{ note }');
    await escalate(database, row, user.staffId, text(body, 'note', { required: true }));
    return c.json(await detail(database, row.ticket));
  });

  app.post('/:ticket/notes', async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const body = await jsonBody(c, '{ note }');
    await appendEvent(database, row, user.staffId, 'note', text(body, 'note', { required: true }));
    return c.json(await detail(database, row.ticket), 201);
  });

  app.post('/:ticket/photos', photoBodyLimit, async (c) => {
    const user = await requireUser(c, database);
    const row = await scopedRequest(database, user, c.req.param('ticket'));
    const { bytes, fields } = await photoFromForm(c);
    const kind = (fields.kind ?? 'progress') as string;
    if (kind !== 'progress' && kind !== 'outcome') throw new ApiError(400, 'kind must be progress or outcome', { field: 'kind' });
    const photo = await storePhoto(database, row.id, kind, bytes);
    await appendEvent(database, row, user.staffId, 'photo', `${kind === 'outcome' ? '办结照片' : '进展照片'} #${photo.id}`);
    return c.json({ id: photo.id, url: photo.url, kind }, 201);
  });

  return app;
}

/** /api/photos/{id}: staff in scope, or the reporter with the ticket's token. */
export function photoRoutes(database: Database) {
  const app = new Hono();
  app.get('/:id', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31) throw new ApiError(404, `no photo ${c.req.param('id')}`);
    const photo = await readPhoto(database, id);
    if (!photo) throw new ApiError(404, `no photo ${id}`);
    const [req] = await database.rows<{ ticket: string }>(sql`SELECT ticket FROM requests WHERE id = ${photo.requestId}`);
    const token = c.req.query('token');
    let allowed = false;
    if (token) allowed = await checkReportToken(database, req.ticket, token);
    if (!allowed) {
      const user = await currentUser(c, database);
      if (!user && !token) throw unauthorized();
      allowed = !!user && mayAct(user, await requireRequest(database, req.ticket));
      if (!allowed) throw forbidden(`photo ${id}`);
    }
    return c.body(new Uint8Array(photo.bytes), 200, {
      'content-type': photo.mime,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
    });
  });
  return app;
}
