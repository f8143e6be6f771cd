import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { hashToken, newToken, sessionHours, userByUsername, type StaffUser } from './session.ts';

const wrong = (triesLeft: number) => new ApiError('wrong_credentials', `wrong username or password; ${triesLeft} tries left from this device`, { triesLeft });

/** How many wrong passwords one client may try on one account, and for how long they count. */
export interface SignInThrottle {
  tries: number;
  minutes: number;
}

/**
 * Checks a username and password and opens a session: answers the cookie's token (only its
 * sha256 is stored) and the user.
 *
 * Wrong passwords are counted per account *and* client (api/guard/client.ts): a stranger who
 * knows a worker's username can make only their own device wait, never lock the worker out.
 * Each try takes its place in the count *before* the password is checked, in one guarded
 * statement, so guesses sent in parallel are counted exactly: the `tries`-th is the last one
 * checked until the count expires (`minutes` after the last wrong one). A right password clears
 * the count. Unknown usernames are counted alike, and answer alike.
 */
export async function signIn(database: Database, username: string, password: string, client: string, throttle: SignInThrottle): Promise<{ token: string; user: StaffUser; expiresAt: Date }> {
  const [counted] = await database.rows<{ failures: number }>(sql`
    INSERT INTO sign_in_failures AS f (username, client, failures, until)
    VALUES (${username}, ${client}, 1, now() + make_interval(mins => ${throttle.minutes}))
    ON CONFLICT (username, client) DO UPDATE SET
      failures = CASE WHEN f.until <= now() THEN 1 ELSE f.failures + 1 END,
      until = now() + make_interval(mins => ${throttle.minutes})
    WHERE f.until <= now() OR f.failures < ${throttle.tries}
    RETURNING failures`);
  if (!counted) throw await throttled(database, username, client, throttle);
  const triesLeft = throttle.tries - counted.failures;

  const [account] = await database.rows<{ password_hash: string }>(sql`
    SELECT password_hash FROM accounts WHERE username = ${username} AND disabled_at IS NULL`);
  if (!account) {
    // unknown and disabled accounts answer alike: a stranger learns nothing of which usernames exist
    await verifyPassword(password, await decoyHash()); // as slow as a real check: no username probing by timing
    throw wrong(triesLeft);
  }
  if (!(await verifyPassword(password, account.password_hash))) throw wrong(triesLeft);

  const token = newToken();
  const [row] = await database.rows<{ expires_at: string }>(sql`
    WITH cleared AS (DELETE FROM sign_in_failures WHERE (username = ${username} AND client = ${client}) OR until < now()),
    gone AS (DELETE FROM sessions WHERE expires_at < now())
    INSERT INTO sessions (token_hash, username, expires_at)
    VALUES (${hashToken(token)}, ${username}, now() + make_interval(hours => ${sessionHours}))
    RETURNING to_json(expires_at) #>> '{}' AS expires_at`);
  const user = await userByUsername(database, username);
  if (!user) throw wrong(triesLeft);
  return { token, user, expiresAt: new Date(row.expires_at) };
}

/** The answer to a client that has used its tries on this account: `sign_in_throttled` and when to try again. */
async function throttled(database: Database, username: string, client: string, throttle: SignInThrottle) {
  const [row] = await database.rows<{ seconds: number }>(sql`
    SELECT ceil(extract(epoch FROM until - now()))::int AS seconds FROM sign_in_failures WHERE username = ${username} AND client = ${client}`);
  const retryAfter = Math.max(1, row?.seconds ?? throttle.minutes * 60);
  return new ApiError('sign_in_throttled', `${throttle.tries} wrong passwords from this device: try again in ${retryAfter} s (other devices are not affected)`,
    { retryAfter, tries: throttle.tries });
}

export async function signOut(database: Database, token: string | undefined): Promise<void> {
  if (token) await database.rows(sql`DELETE FROM sessions WHERE token_hash = ${hashToken(token)} RETURNING username`);
}

/** Creates or replaces the account of a staff member (seed, admin scripts). */
export async function upsertAccount(database: Pick<Database, 'rows'>, username: string, staffId: string, password: string) {
  const hash = await hashPassword(password);
  await database.rows(sql`
    INSERT INTO accounts (username, staff_id, password_hash) VALUES (${username}, ${staffId}, ${hash})
    ON CONFLICT (username) DO UPDATE SET staff_id = excluded.staff_id, password_hash = excluded.password_hash
    RETURNING username`);
}
