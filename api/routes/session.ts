import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { signIn, signOut } from '../auth/accounts.ts';
import { currentUser, sessionCookie, sessionHours } from '../auth/session.ts';
import { ApiError, unauthorized } from '../errors.ts';
import { demoAccounts } from '../auth/demo-accounts.ts';

/** POST /api/session signs in, GET tells who is signed in, DELETE signs out. */
export function sessionRoutes(database: Database) {
  const app = new Hono();

  app.post('/', async (c) => {
    let body: any;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, 'the body must be JSON: { username, password }');
    }
    const { username, password } = body ?? {};
    if (typeof username !== 'string' || !username.trim() || username.length > 100) {
      throw new ApiError(400, 'username must be text (at most 100 characters)', { field: 'username' });
    }
    if (typeof password !== 'string' || !password || password.length > 1000) {
      throw new ApiError(400, 'password must be text (at most 1000 characters)', { field: 'password' });
    }
    const { token, user } = await signIn(database, username.trim(), password);
    setCookie(c, sessionCookie, token, {
      httpOnly: true, sameSite: 'Lax', path: '/', maxAge: sessionHours * 3600,
      secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
    });
    return c.json({ user });
  });

  app.get('/', async (c) => {
    const user = await currentUser(c, database);
    if (!user) throw unauthorized();
    return c.json({ user });
  });

  app.delete('/', async (c) => {
    await signOut(database, getCookie(c, sessionCookie));
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.body(null, 204);
  });

  /** The fictional demo accounts, only when the demo data is loaded (no passwords: see README). */
  app.get('/demo-accounts', async (c) => {
    const [demo] = await database.rows(sql`SELECT 1 FROM meta WHERE key = 'demo'`);
    if (!demo) throw new ApiError(404, 'no demo data is loaded, so there are no demo accounts');
    const rows = await database.rows<{ username: string; name: string; role: string; area_name: string }>(sql`
      SELECT a.username, s.name, s.role, ar.name AS area_name
      FROM accounts a JOIN staff s ON s.id = a.staff_id LEFT JOIN areas ar ON ar.id = s.area_id
      WHERE a.username IN (${sql.join(demoAccounts.map((d) => sql`${d.username}`), sql`, `)})
      ORDER BY a.username`);
    return c.json({ accounts: rows.map((r) => ({ username: r.username, name: r.name, role: r.role, areaName: r.area_name })) });
  });

  return app;
}
