import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { currentUser, mayAct } from '../auth/session.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import { readPhoto } from '../loop/photos.ts';
import { checkReportToken } from '../loop/report-token.ts';
import { requireRequest } from '../loop/request-row.ts';

/** /api/photos/{id}: staff in scope, or the reporter with the ticket's token. */
export const photoRoutes = (database: Database) => new Hono()
  .get('/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const missing = () => new ApiError('photo_not_found', `no photo ${c.req.param('id')}`);
    if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31) throw missing();
    const photo = await readPhoto(database, id);
    if (!photo) throw missing();
    const [req] = await database.rows<{ ticket: string }>(sql`SELECT ticket FROM requests WHERE id = ${photo.requestId}`);
    const token = c.req.query('token');
    let allowed = token ? await checkReportToken(database, req.ticket, token) : false;
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
