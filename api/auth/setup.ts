import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { hashPassword } from './passwords.ts';
import { newStaffId } from './admin.ts';
import { minPasswordLength } from '../contract/accounts.ts';

// The first account of an installation that has none: the server prints a one-time setup link
// (/setup?token=…) at start; whoever opens it chooses the first street administrator's username
// and password. Only the token's sha256 is kept (meta 'setup_token'); a newer start replaces it.

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** No account exists at all: the installation waits for its first administrator. */
export async function setupNeeded(database: Database): Promise<boolean> {
  const [row] = await database.rows<{ needed: boolean }>(sql`SELECT NOT EXISTS (SELECT 1 FROM accounts) AS needed`);
  return row.needed === true || (row.needed as unknown) === 't';
}

/** A fresh setup token when setup is needed (the previous link stops working), else null. */
export async function issueSetupToken(database: Database): Promise<string | null> {
  if (!(await setupNeeded(database))) return null;
  const token = randomBytes(24).toString('base64url');
  await database.rows(sql`
    INSERT INTO meta (key, value) VALUES ('setup_token', ${JSON.stringify(digest(token))}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING key`);
  return token;
}

export type FirstAdmin = { token: string; username: string; name: string; password: string };

/**
 * Uses the token once: in one statement the token is spent and the first street administrator
 * (staff member, account, audit row) made, only while no account exists. Of two at once, one wins.
 * The administrator's area is the street when exactly one is loaded, else none: the whole installation.
 */
export async function completeSetup(database: Database, admin: FirstAdmin): Promise<{ username: string }> {
  if (admin.password.length < minPasswordLength) {
    throw new ApiError('too_short', `password must be at least ${minPasswordLength} characters`, { field: 'password', minimum: minPasswordLength });
  }
  const hash = await hashPassword(admin.password);
  const staffId = newStaffId();
  const [made] = await database.rows<{ username: string }>(sql`
    WITH t AS (
      DELETE FROM meta WHERE key = 'setup_token' AND value #>> '{}' = ${digest(admin.token)}
        AND NOT EXISTS (SELECT 1 FROM accounts) RETURNING key
    ),
    s AS (
      INSERT INTO staff (id, name, role, area_id)
      SELECT ${staffId}, ${admin.name}, 'street_admin', (SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM areas WHERE level = 'street')
      FROM t RETURNING id
    ),
    a AS (INSERT INTO accounts (username, staff_id, password_hash) SELECT ${admin.username}, id, ${hash} FROM s RETURNING username),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT 'setup', 'account_created', username, 'street_admin (setup link)' FROM a)
    SELECT username FROM a`);
  if (made) return made;
  if (!(await setupNeeded(database))) throw new ApiError('setup_done', 'this installation has an administrator already: sign in instead');
  throw new ApiError('setup_token_invalid', 'this setup link is not valid (used, or replaced by a newer one): use the newest link in the server log');
}
