import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../db/client.ts';
import { rowsOf } from '../db/client.ts';
import { deadlinesOf, requestCategories, requestChannels } from '../domain.ts';
import { ApiError, badRequest, unprocessable } from '../errors.ts';
import { pointParams } from '../validate.ts';
import { checkReportToken, reportToken } from '../loop/report-token.ts';
import { meToo, publicFields, publicSteps, rate, requireRequest, similarRequests } from '../loop/requests.ts';
import { photoBodyLimit, photoFromForm, photosOf, storePhoto } from '../photos.ts';

const newRequest = z.strictObject({
  category: z.enum(requestCategories, { error: `category must be one of: ${requestCategories.join(', ')}` }),
  description: z.string({ error: 'description must be text' }).trim()
    .min(2, { error: 'description must say what the problem is (at least 2 characters)' })
    .max(2000, { error: 'description must be at most 2000 characters' }),
  lon: z.unknown(),
  lat: z.unknown(),
  contact: z.string({ error: 'contact must be text' }).trim()
    .regex(/^\+?[0-9][0-9 -]{4,19}$/, { error: 'contact must be a phone number (digits, spaces, dashes; 5–20 characters)' })
    .optional(),
  channel: z.enum(requestChannels, { error: `channel must be one of: ${requestChannels.join(', ')}` }).optional(),
});

type Ref = { id: string; name: string } | null;

export function requestRoutes(database: Database) {
  const app = new Hono();

  app.post('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw badRequest('the body must be JSON: { category, description, lon, lat, contact? }');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('the body must be a JSON object: { category, description, lon, lat, contact? }');
    }
    const parsed = newRequest.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || undefined;
      const message = issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}; allowed: category, description, lon, lat, contact, channel`
        : issue.message;
      throw badRequest(message, field);
    }
    const { lon, lat } = pointParams(parsed.data);
    const input = { ...parsed.data, lon, lat };

    // one statement, so one atomic write: the request, its assignment and its first audit event
    // beside it, open requests like this one nearby (to add "me too" to): read before the write
    // commits, so the new request is not among them, and on a pool the two run side by side
    const [filed, nearby] = await Promise.all([
      fileRequest(database.db, input),
      similarRequests(database, { lon, lat, category: input.category }),
    ]);
    const similar = nearby.filter((r) => r.ticket !== filed.ticket); // had the write won the race
    // the reporter's secret proof (photo, rating)
    const token = await reportToken(database, filed.ticket);
    return c.json({ ...filed, reportToken: token, similar }, 201, { location: `/api/collections/requests/items/${filed.ticket}` });
  });

  /** Before filing: open requests of the same category within 50 m. */
  app.get('/similar', async (c) => {
    const { lon, lat } = pointParams({ lon: c.req.query('lon'), lat: c.req.query('lat') });
    const category = c.req.query('category');
    if (!category || !(requestCategories as readonly string[]).includes(category)) {
      throw badRequest(`category must be one of: ${requestCategories.join(', ')}`, 'category');
    }
    return c.json({ similar: await similarRequests(database, { lon, lat, category }) });
  });

  /** The resident's view of a request: its steps, outcome and rating, no private data. */
  app.get('/:ticket', async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    const token = c.req.query('token');
    const own = token ? await checkReportToken(database, row.ticket, token) : false;
    const { ticket, category, description, status, createdAt, community, grid, outcome, rating, meToo: count, timeLeftMinutes, overdue } = publicFields(row);
    return c.json({
      ticket, category, description, status, createdAt, community, grid,
      steps: await publicSteps(database, row.id),
      outcome, rating, meToo: count, timeLeftMinutes, overdue,
      // the reporter (with the token) also sees the photos: theirs and the outcome's
      ...(own ? { photos: (await photosOf(database, row.id)).map((p) => ({ ...p, url: `${p.url}?token=${token}` })) } : {}),
    });
  });

  app.post('/:ticket/me-too', async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    return c.json({ meToo: await meToo(database, row) });
  });

  /** The reporter's photo of the problem, within an hour of filing (proof: ?token=). */
  app.post('/:ticket/photos', photoBodyLimit, async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    if (!(await checkReportToken(database, row.ticket, c.req.query('token')))) {
      throw new ApiError(403, '只有提交人可以补充照片 / only the reporter can add photos: pass ?token= from the filing answer');
    }
    if (Date.now() - new Date(row.created_at).getTime() > 60 * 60 * 1000) {
      throw new ApiError(409, '提交一小时后不能再补充照片 / photos can be added within an hour of filing');
    }
    const [{ n }] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM request_photos WHERE request_id = ${row.id} AND kind = 'report'`);
    if (n >= 3) throw new ApiError(409, '最多三张照片 / at most 3 photos per request');
    const { bytes } = await photoFromForm(c);
    const photo = await storePhoto(database, row.id, 'report', bytes);
    await database.rows(sql`INSERT INTO request_events (request_id, actor, action, from_status, to_status, note)
      VALUES (${row.id}, 'resident', 'photo', ${row.status}, ${row.status}, ${`居民照片 #${photo.id}`}) RETURNING id`);
    return c.json({ id: photo.id, url: `${photo.url}?token=${c.req.query('token')}` }, 201);
  });

  /** The reporter rates the result: 1–5; ≤ 2 reopens the request one level up. */
  app.post('/:ticket/rating', async (c) => {
    const row = await requireRequest(database, c.req.param('ticket'));
    if (!(await checkReportToken(database, row.ticket, c.req.query('token')))) {
      throw new ApiError(403, '只有提交人可以评价 / only the reporter can rate: pass ?token= from the filing answer');
    }
    let body: any;
    try {
      body = await c.req.json();
    } catch {
      throw badRequest('the body must be JSON: { rating: 1–5, note? }');
    }
    const rating = body?.rating;
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw badRequest('rating must be a whole number from 1 to 5', 'rating');
    const note = body.note == null || body.note === '' ? null : body.note;
    if (note !== null && (typeof note !== 'string' || note.length > 500)) throw badRequest('note must be text of at most 500 characters', 'note');
    await rate(database, row, rating, note?.trim() || null);
    const after = await requireRequest(database, row.ticket);
    return c.json({ ticket: after.ticket, status: after.status, rating: after.rating });
  });

  return app;
}

export async function fileRequest(db: Db, input: {
  category: string; description: string; lon: number; lat: number; contact?: string; channel?: string;
}) {
  const deadlines = deadlinesOf(input.category);
  const [row] = rowsOf<Record<string, any>>(await db.execute(sql`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${input.lon}, ${input.lat}), 4326) AS geom),
    a AS (SELECT * FROM pt, assign_point(pt.geom)),
    n AS (SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id),
    ins AS (
      INSERT INTO requests (id, ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id, contact, geom,
                            claim_deadline, resolve_deadline)
      SELECT n.id, 'GM' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(n.id::text, 4, '0'),
             ${input.category}, ${input.description}, ${input.channel ?? 'qr'}, 'collected',
             a.street_id, a.community_id, a.grid_id, a.microgrid_id, ${input.contact ?? null}, a.geom,
             now() + make_interval(mins => ${deadlines.claimMinutes}), now() + make_interval(mins => ${deadlines.resolveMinutes})
      FROM a, n
      RETURNING id, ticket, status, to_json(created_at) #>> '{}' AS created_at, street_id, community_id, grid_id, microgrid_id,
                to_json(claim_deadline) #>> '{}' AS claim_deadline, to_json(resolve_deadline) #>> '{}' AS resolve_deadline
    ),
    ev AS (
      INSERT INTO request_events (request_id, actor, action, to_status, note)
      SELECT id, 'resident', 'filed', 'collected', ${input.channel ?? 'qr'} FROM ins
    )
    SELECT ins.*, s.name AS street_name, cm.name AS community_name, g.name AS grid_name, m.name AS microgrid_name
    FROM ins LEFT JOIN areas s ON s.id = ins.street_id LEFT JOIN areas cm ON cm.id = ins.community_id
    LEFT JOIN areas g ON g.id = ins.grid_id LEFT JOIN areas m ON m.id = ins.microgrid_id`));
  if (!row) {
    throw unprocessable(`the point (${input.lon}, ${input.lat}) lies outside every street this map serves; put the pin inside the map's grids`, 'lon');
  }
  const ref = (id: string | null, name: string | null): Ref => (id ? { id, name: name ?? id } : null);
  return {
    id: row.ticket as string,
    ticket: row.ticket as string,
    status: row.status as string,
    createdAt: row.created_at as string,
    street: ref(row.street_id, row.street_name),
    community: ref(row.community_id, row.community_name),
    grid: ref(row.grid_id, row.grid_name),
    microgrid: ref(row.microgrid_id, row.microgrid_name),
    claimDeadline: new Date(row.claim_deadline).toISOString(),
    resolveDeadline: new Date(row.resolve_deadline).toISOString(),
  };
}
