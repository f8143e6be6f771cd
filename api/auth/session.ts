import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isWorkingRole } from '../contract/vocabulary.ts';
import type { StaffUser } from '../contract/wire.ts';

/** The cookie that carries a staff session; its value is a random token, the table keeps only its sha256. */
export const sessionCookie = 'gm_session';
export const sessionHours = 12;

/** Who is signed in: what `/api/session` answers, and what every staff route checks scope against (wire: StaffUser). */
export type { StaffUser };

/** The area columns of a request that scope is decided on. */
export type ScopedRequest = {
  districtId: string | null;
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  microgridId: string | null;
  escalationLevel: number;
};

/** Hands the browser its session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS (api/guard/client.ts `servedOverHttps`). */
export function setSessionCookie(c: Context, token: string, secure: boolean) {
  setCookie(c, sessionCookie, token, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: sessionHours * 3600, secure });
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/** The signed-in staff member of this request, or null (no cookie, unknown or expired session). */
export async function currentUser(c: Context, database: Database): Promise<StaffUser | null> {
  const token = getCookie(c, sessionCookie);
  if (!token || token.length > 200) return null;
  const [row] = await database.rows<StaffUser>(sql`
    SELECT ${userColumns} FROM sessions se JOIN accounts a ON a.username = se.username ${userJoins}
    WHERE se.token_hash = ${hashToken(token)} AND se.expires_at > now() AND a.disabled_at IS NULL`);
  return row ? readUser(row) : null;
}

/** The columns of a StaffUser, on `accounts a` (may be absent: a.username is then null) joined by `userJoins`. */
export const userColumns = sql`a.username, s.id AS "staffId", s.name, s.role, s.area_id AS "areaId", coalesce(ar.name, s.area_id) AS "areaName", ar.level AS "areaLevel"`;
export const userJoins = sql`JOIN staff s ON s.id = a.staff_id LEFT JOIN areas ar ON ar.id = s.area_id`;
const readUser = (row: StaffUser): StaffUser => ({ ...row, username: row.username ?? '' });

/** The account of a username, or null. */
export async function userByUsername(database: Database, username: string): Promise<StaffUser | null> {
  const [row] = await database.rows<StaffUser>(sql`SELECT ${userColumns} FROM accounts a ${userJoins} WHERE a.username = ${username}`);
  return row ? readUser(row) : null;
}

/** A staff member as a user, whether or not they have an account (whom a request is dispatched to). */
export async function userOfStaff(database: Database, staffId: string): Promise<StaffUser | null> {
  const [row] = await database.rows<StaffUser>(sql`
    SELECT ${userColumns} FROM staff s LEFT JOIN accounts a ON a.staff_id = s.id LEFT JOIN areas ar ON ar.id = s.area_id WHERE s.id = ${staffId} LIMIT 1`);
  return row ? readUser(row) : null;
}


/**
 * May this staff member see and act on this request? Their area at its level must contain it
 * (street admin: the street; secretary: the community; grid leader/worker: the grid); a mediator
 * sees only requests escalated to level ≥ 1 in their street or community.
 */
export function inScope(user: StaffUser, request: ScopedRequest): boolean {
  if (installationAdmin(user)) return true;
  if (!isWorkingRole(user.role) || !user.areaId) return false;
  if (user.role === 'mediator' && !(request.escalationLevel >= 1)) return false;
  switch (user.areaLevel) {
    case 'district': return request.districtId === user.areaId;
    case 'street': return request.streetId === user.areaId;
    case 'community': return request.communityId === user.areaId;
    case 'grid': return request.gridId === user.areaId;
    case 'microgrid': return request.microgridId === user.areaId;
    default: return false;
  }
}

/**
 * A street administrator with no area administers the whole installation: the first account,
 * made by the setup link before any boundary was imported (docs/setup.md).
 */
export const installationAdmin = (user: StaffUser) => user.role === 'street_admin' && !user.areaId;

/** Staff may act on requests in their scope and on the ones assigned to them. */
export const mayAct = (user: StaffUser, request: ScopedRequest & { assigneeId: string | null }) =>
  inScope(user, request) || request.assigneeId === user.staffId;

/** The same rule as `inScope`, as a WHERE fragment on `requests r`. */
export function scopeSql(user: StaffUser): SQL {
  if (installationAdmin(user)) return sql`TRUE`;
  if (!isWorkingRole(user.role) || !user.areaId) return sql`FALSE`;
  if (!user.areaLevel) return sql`FALSE`;
  const column = {
    district: sql`r.district_id`, street: sql`r.street_id`, community: sql`r.community_id`, grid: sql`r.grid_id`, microgrid: sql`r.microgrid_id`,
  }[user.areaLevel];
  if (!column) return sql`FALSE`;
  const area = sql`${column} = ${user.areaId}`;
  return user.role === 'mediator' ? sql`(r.escalation_level >= 1 AND ${area})` : sql`(${area})`;
}
