import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { signIn, signOut } from '../auth/accounts.ts';
import { currentUser, sessionCookie, setSessionCookie } from '../auth/session.ts';
import { SignIn } from '../contract/wire.ts';
import { demoAccounts } from '../demo/accounts.ts';
import { countyDemoAccounts } from '../demo/county.ts';
import { sqlList } from '../db/sql-list.ts';
import { ApiError, unauthorized } from '../errors.ts';
import { json } from '../validate.ts';
import { clientAddress, servedOverHttps } from '../guard/client.ts';
import type { Limits } from '../guard/limits.ts';

/** POST /api/session signs in, GET tells who is signed in, DELETE signs out. */
export const sessionRoutes = (database: Database, limits: Limits) => new Hono()
  .post('/', json(SignIn), async (c) => {
    const { username, password } = c.req.valid('json');
    const client = clientAddress(c, limits.trustProxy);
    const { token, user } = await signIn(database, username, password, client, { tries: limits.signInTries, minutes: limits.signInMinutes });
    setSessionCookie(c, token, servedOverHttps(c, limits.trustProxy));
    return c.json({ user });
  })

  .get('/', async (c) => {
    const user = await currentUser(c, database);
    if (!user) throw unauthorized();
    return c.json({ user });
  })

  .delete('/', async (c) => {
    await signOut(database, getCookie(c, sessionCookie));
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.body(null, 204);
  })

  /** The fictional demo accounts, only when the demo data is loaded (no passwords: see README). */
  .get('/demo-accounts', async (c) => {
    const [demo] = await database.rows(sql`SELECT 1 FROM meta WHERE key = 'demo'`);
    if (!demo) throw new ApiError('not_found', 'no demo data is loaded, so there are no demo accounts');
    const rows = await database.rows<{ username: string; name: string; role: string; area_name: string }>(sql`
      SELECT a.username, s.name, s.role, ar.name AS area_name
      FROM accounts a JOIN staff s ON s.id = a.staff_id LEFT JOIN areas ar ON ar.id = s.area_id
      WHERE a.username IN ${sqlList([...demoAccounts, ...countyDemoAccounts].map((d) => d.username))}
      ORDER BY a.username`);
    return c.json({ accounts: rows.map((r) => ({ username: r.username, name: r.name, role: r.role, areaName: r.area_name })) });
  });
