import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { hashToken, newToken, sessionHours, userByUsername, type StaffUser } from './session.ts';

export const maxFailures = 5;
export const lockMinutes = 15;
const wrong = () => new ApiError('wrong_credentials', 'wrong username or password');

/**
 * Checks a username and password and opens a session: answers the cookie's token (only its
 * sha256 is stored) and the user. Five failures in a row lock the account for 15 minutes (423).
 */
export async function signIn(database: Database, username: string, password: string): Promise<{ token: string; user: StaffUser; expiresAt: Date }> {
  const [account] = await database.rows<{ password_hash: string; locked_until: string | null; locked: boolean }>(sql`
    SELECT password_hash, to_json(locked_until) #>> '{}' AS locked_until, coalesce(locked_until > now(), false) AS locked
    FROM accounts WHERE username = ${username} AND disabled_at IS NULL`);
  if (!account) {
    // unknown and disabled accounts answer alike: a stranger learns nothing of which usernames exist
    await verifyPassword(password, await decoyHash()); // as slow as a real check: no username probing by timing
    throw wrong();
  }
  if (account.locked) throw locked(account.locked_until!);
  if (!(await verifyPassword(password, account.password_hash))) {
    // an expired lock starts a fresh count; the fifth failure in a row locks
    const [after] = await database.rows<{ failed_logins: number; locked_until: string | null }>(sql`
      UPDATE accounts SET
        failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
        locked_until = CASE
          WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= ${maxFailures}
          THEN now() + make_interval(mins => ${lockMinutes}) ELSE NULL END
      WHERE username = ${username}
      RETURNING failed_logins, to_json(locked_until) #>> '{}' AS locked_until`);
    if (after?.locked_until) throw locked(after.locked_until);
    throw wrong();
  }
  const token = newToken();
  const [row] = await database.rows<{ expires_at: string }>(sql`
    WITH reset AS (UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE username = ${username}),
    gone AS (DELETE FROM sessions WHERE expires_at < now())
    INSERT INTO sessions (token_hash, username, expires_at)
    VALUES (${hashToken(token)}, ${username}, now() + make_interval(hours => ${sessionHours}))
    RETURNING to_json(expires_at) #>> '{}' AS expires_at`);
  const user = await userByUsername(database, username);
  if (!user) throw wrong();
  return { token, user, expiresAt: new Date(row.expires_at) };
}

export async function signOut(database: Database, token: string | undefined): Promise<void> {
  if (token) await database.rows(sql`DELETE FROM sessions WHERE token_hash = ${hashToken(token)} RETURNING username`);
}

/** Creates or replaces the account of a staff member (seed, admin scripts). */
export async function upsertAccount(database: Pick<Database, 'rows'>, username: string, staffId: string, password: string) {
  const hash = await hashPassword(password);
  await database.rows(sql`
    INSERT INTO accounts (username, staff_id, password_hash) VALUES (${username}, ${staffId}, ${hash})
    ON CONFLICT (username) DO UPDATE SET staff_id = excluded.staff_id, password_hash = excluded.password_hash,
      failed_logins = 0, locked_until = NULL
    RETURNING username`);
}

function locked(until: string) {
  const at = new Date(until);
  return new ApiError('account_locked', `account locked until ${at.toISOString()} after ${maxFailures} wrong passwords`,
    { lockedUntil: at.toISOString(), failures: maxFailures });
}
