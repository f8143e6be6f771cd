import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/** The cookie that carries a staff session; its value is a random token, the table keeps only its sha256. */
export const sessionCookie = 'gm_session';
export const sessionHours = 12;

export type StaffRole = 'street_admin' | 'secretary' | 'grid_leader' | 'grid_worker' | 'microgrid_leader' | 'party_household' | 'mediator';
export type AreaLevel = 'street' | 'community' | 'grid' | 'microgrid';

/** Who is signed in: what `/api/session` answers, and what every staff route checks scope against. */
export type StaffUser = {
  username: string;
  staffId: string;
  name: string;
  role: StaffRole;
  areaId: string;
  areaName: string;
  areaLevel: AreaLevel;
};

/** The area columns of a request that scope is decided on. */
export type ScopedRequest = {
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  microgridId: string | null;
  escalationLevel: number;
};

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/** The signed-in staff member of this request, or null (no cookie, unknown or expired session). */
export async function currentUser(c: Context, database: Database): Promise<StaffUser | null> {
  const token = getCookie(c, sessionCookie);
  if (!token || token.length > 200) return null;
  const [row] = await database.rows<Record<string, string>>(sql`
    SELECT a.username, s.id AS staff_id, s.name, s.role, s.area_id, ar.name AS area_name, ar.level AS area_level
    FROM sessions se JOIN accounts a ON a.username = se.username JOIN staff s ON s.id = a.staff_id
    LEFT JOIN areas ar ON ar.id = s.area_id
    WHERE se.token_hash = ${hashToken(token)} AND se.expires_at > now()`);
  if (!row) return null;
  return {
    username: row.username,
    staffId: row.staff_id,
    name: row.name,
    role: row.role as StaffRole,
    areaId: row.area_id,
    areaName: row.area_name ?? row.area_id,
    areaLevel: row.area_level as AreaLevel,
  };
}

/** Roles that work requests; party households and others without a role here see none. */
const workingRoles: ReadonlySet<StaffRole> = new Set(['street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader', 'mediator']);

/**
 * May this staff member see and act on this request? Their area at its level must contain it
 * (street admin: the street; secretary: the community; grid leader/worker: the grid); a mediator
 * sees only requests escalated to level ≥ 1 in their street or community.
 */
export function inScope(user: StaffUser, request: ScopedRequest): boolean {
  if (!workingRoles.has(user.role) || !user.areaId) return false;
  if (user.role === 'mediator' && !(request.escalationLevel >= 1)) return false;
  switch (user.areaLevel) {
    case 'street': return request.streetId === user.areaId;
    case 'community': return request.communityId === user.areaId;
    case 'grid': return request.gridId === user.areaId;
    case 'microgrid': return request.microgridId === user.areaId;
    default: return false;
  }
}

/** The same rule as `inScope`, as a WHERE fragment on `requests r`. */
export function scopeSql(user: StaffUser): SQL {
  if (!workingRoles.has(user.role) || !user.areaId) return sql`FALSE`;
  const column = {
    street: sql`r.street_id`, community: sql`r.community_id`, grid: sql`r.grid_id`, microgrid: sql`r.microgrid_id`,
  }[user.areaLevel];
  if (!column) return sql`FALSE`;
  const area = sql`${column} = ${user.areaId}`;
  return user.role === 'mediator' ? sql`(r.escalation_level >= 1 AND ${area})` : sql`(${area})`;
}
