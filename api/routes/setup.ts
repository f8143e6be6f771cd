import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { signIn } from '../auth/accounts.ts';
import { setSessionCookie } from '../auth/session.ts';
import { completeSetup, setupNeeded } from '../auth/setup.ts';
import { FirstAdminInput } from '../contract/wire.ts';
import { json } from '../validate.ts';
import { clientAddress, servedOverHttps } from '../guard/client.ts';
import type { Limits } from '../guard/limits.ts';

/** GET /api/setup: does the installation still wait for its first administrator; POST makes them (once) and signs them in. */
export const setupRoutes = (database: Database, limits: Limits) => new Hono()
  .get('/', async (c) => c.json({ needed: await setupNeeded(database) }, 200, { 'cache-control': 'no-store' }))
  .post('/', json(FirstAdminInput), async (c) => {
    const admin = c.req.valid('json');
    await completeSetup(database, admin);
    const client = clientAddress(c, limits.trustProxy);
    const { token, user } = await signIn(database, admin.username, admin.password, client, { tries: limits.signInTries, minutes: limits.signInMinutes });
    setSessionCookie(c, token, servedOverHttps(c, limits.trustProxy));
    return c.json({ user }, 201);
  });
