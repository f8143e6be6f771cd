import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../db/client.ts';
import { rowsOf } from '../db/client.ts';
import { requestCategories, requestChannels } from '../domain.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { pointParams } from '../validate.ts';

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
    const filed = await fileRequest(database.db, input);
    return c.json(filed, 201, { location: `/api/collections/requests/items/${filed.ticket}` });
  });

  return app;
}

export async function fileRequest(db: Db, input: {
  category: string; description: string; lon: number; lat: number; contact?: string; channel?: string;
}) {
  const [row] = rowsOf<Record<string, any>>(await db.execute(sql`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${input.lon}, ${input.lat}), 4326) AS geom),
    a AS (SELECT * FROM pt, assign_point(pt.geom)),
    n AS (SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id),
    ins AS (
      INSERT INTO requests (id, ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id, contact, geom)
      SELECT n.id, 'GM' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(n.id::text, 4, '0'),
             ${input.category}, ${input.description}, ${input.channel ?? 'qr'}, 'collected',
             a.street_id, a.community_id, a.grid_id, a.microgrid_id, ${input.contact ?? null}, a.geom
      FROM a, n
      RETURNING id, ticket, status, to_json(created_at) #>> '{}' AS created_at, street_id, community_id, grid_id, microgrid_id
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
  };
}
