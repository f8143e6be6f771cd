import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isWorkingRole, staffRoles, type StaffRole } from '../contract/vocabulary.ts';
import { ApiError } from '../errors.ts';
import { hashPassword } from './passwords.ts';
import { minPasswordLength, usernamePattern } from '../contract/accounts.ts';

// Accounts as a street office manages them (npm run user, the setup link; the console later):
// each change one statement with its admin_events row, so nothing is half-written and every
// change is on record. Who may do it is the caller's business (the CLI has the machine; the
// setup link its one-time token).

/** A password handed out once (printed by the CLI): 16 characters, easy to type, hard to guess. */
export const generatedPassword = () => randomBytes(12).toString('base64url');

export const newStaffId = () => `S-${randomBytes(4).toString('hex').toUpperCase()}`;

export type NewAccount = {
  username: string;
  role: StaffRole;
  /** the area they work in; none for a street administrator of the whole installation */
  areaId?: string | null;
  name?: string;
  phone?: string | null;
  phonePublic?: boolean;
  password?: string;
  /** who made the change: a username, 'setup' or 'cli' */
  actor: string;
};

function checkNew(account: NewAccount) {
  if (!usernamePattern.test(account.username)) {
    throw new ApiError('invalid_value', 'username must be 2–40 lower-case letters, digits, dots, dashes or underscores', { field: 'username' });
  }
  if (!(staffRoles as readonly string[]).includes(account.role)) {
    throw new ApiError('invalid_value', `role must be one of: ${staffRoles.join(', ')}`, { field: 'role', allowed: staffRoles });
  }
  if (!isWorkingRole(account.role)) throw new ApiError('invalid_value', `a ${account.role} does not sign in`, { field: 'role' });
  if (!account.areaId && account.role !== 'street_admin') {
    throw new ApiError('required', `a ${account.role} works in an area: give --area (a community's or grid's id)`, { field: 'area' });
  }
  if (account.password !== undefined && account.password.length < minPasswordLength) {
    throw new ApiError('too_short', `password must be at least ${minPasswordLength} characters`, { field: 'password', minimum: minPasswordLength });
  }
}

const uniqueViolation = (error: unknown) => (error as { code?: string; cause?: { code?: string } })?.code === '23505'
  || (error as { cause?: { code?: string } })?.cause?.code === '23505';

/** A staff member and their account, in one statement; answers the password (generated when not given). */
export async function createAccount(database: Database, account: NewAccount): Promise<{ username: string; staffId: string; password: string }> {
  checkNew(account);
  if (account.areaId) {
    const [area] = await database.rows(sql`SELECT 1 FROM areas WHERE id = ${account.areaId}`);
    if (!area) throw new ApiError('area_not_found', `no area '${account.areaId}'`, { field: 'area' });
  }
  const password = account.password ?? generatedPassword();
  const hash = await hashPassword(password);
  const staffId = newStaffId();
  try {
    const [made] = await database.rows<{ username: string }>(sql`
      WITH s AS (
        INSERT INTO staff (id, name, role, phone, phone_public, area_id)
        VALUES (${staffId}, ${account.name ?? account.username}, ${account.role}, ${account.phone ?? null}, ${account.phonePublic ?? false}, ${account.areaId ?? null})
        RETURNING id
      ),
      a AS (INSERT INTO accounts (username, staff_id, password_hash) SELECT ${account.username}, id, ${hash} FROM s RETURNING username),
      e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${account.actor}, 'account_created', username, ${account.role} FROM a)
      SELECT username FROM a`);
    return { username: made.username, staffId, password };
  } catch (error) {
    if (uniqueViolation(error)) throw new ApiError('username_taken', `the username ${account.username} is taken`, { field: 'username' });
    throw error;
  }
}

/** A new password for an account (printed once): wrong tries are forgotten and every session of theirs ends. */
export async function resetPassword(database: Database, username: string, actor: string): Promise<string> {
  const password = generatedPassword();
  const hash = await hashPassword(password);
  const [done] = await database.rows<{ username: string }>(sql`
    WITH a AS (
      UPDATE accounts SET password_hash = ${hash}
      WHERE username = ${username} RETURNING username
    ),
    f AS (DELETE FROM sign_in_failures WHERE username IN (SELECT username FROM a)),
    s AS (DELETE FROM sessions WHERE username IN (SELECT username FROM a)),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${actor}, 'password_reset', username FROM a)
    SELECT username FROM a`);
  if (!done) throw new ApiError('account_not_found', `no account ${username}`, { field: 'username' });
  return password;
}

/** Enables a disabled account again: it signs in with its password as before (reset it if that is in doubt). */
export async function enableAccount(database: Database, username: string, actor: string): Promise<void> {
  const [done] = await database.rows<{ username: string }>(sql`
    WITH a AS (UPDATE accounts SET disabled_at = NULL WHERE username = ${username} RETURNING username),
    f AS (DELETE FROM sign_in_failures WHERE username IN (SELECT username FROM a)),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${actor}, 'account_enabled', username FROM a)
    SELECT username FROM a`);
  if (!done) throw new ApiError('account_not_found', `no account ${username}`, { field: 'username' });
}

/** Disables an account: it signs in no more and its sessions end; the row stays for the audit trail. */
export async function disableAccount(database: Database, username: string, actor: string): Promise<void> {
  const [done] = await database.rows<{ username: string }>(sql`
    WITH a AS (UPDATE accounts SET disabled_at = coalesce(disabled_at, now()) WHERE username = ${username} RETURNING username),
    s AS (DELETE FROM sessions WHERE username IN (SELECT username FROM a)),
    e AS (INSERT INTO admin_events (actor, action, subject) SELECT ${actor}, 'account_disabled', username FROM a)
    SELECT username FROM a`);
  if (!done) throw new ApiError('account_not_found', `no account ${username}`, { field: 'username' });
}
