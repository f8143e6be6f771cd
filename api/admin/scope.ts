import { areaAndBelow } from '../geo/area-tree.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { adminRoles, areaLevels, secretaryAssignableRoles, staffRoles, type StaffRole } from '../contract/vocabulary.ts';
import type { StaffUser } from '../contract/wire.ts';
import { installationAdmin } from '../auth/session.ts';
import { ApiError, unauthorized } from '../errors.ts';

// Who administers what in the console (/admin): the street administrator everything in their area
// (an installation administrator, with no area, everything there is); a community secretary their
// community and the grids and micro-grids inside it. Every other role may not administer at all.


/** The signed-in administrator, or 401 (nobody) / 403 not_admin (a role that does not administer). */
export function administrator(user: StaffUser | null): StaffUser {
  if (!user) throw unauthorized();
  if (!(adminRoles as readonly string[]).includes(user.role) || (user.role === 'secretary' && !user.areaId)) {
    throw new ApiError('not_admin', 'only the street administrator and community secretaries administer people and links');
  }
  return user;
}

/** Only a street administrator (API keys speak for the whole street). */
export function streetAdministrator(user: StaffUser): StaffUser {
  if (user.role !== 'street_admin') throw new ApiError('not_admin', 'only the street administrator manages Open311 API keys');
  return user;
}

/**
 * The ids of the areas an administrator manages, as a subquery (their area and everything below
 * it); `null` means every area and people of no area too (the installation administrator).
 */
export function managedAreas(user: StaffUser): SQL | null {
  if (installationAdmin(user)) return null;
  return areaAndBelow(user.areaId!);
}

/** A WHERE fragment: `column` (an area id) lies in what the user manages. */
export function inManagedAreas(user: StaffUser, column: SQL): SQL {
  const areas = managedAreas(user);
  return areas ? sql`${column} IN ${areas}` : sql`TRUE`;
}

/** 404 for an unknown area, 403 for one outside what the user manages. */
export async function checkManagedArea(database: Database, user: StaffUser, areaId: string | null, field = 'areaId'): Promise<void> {
  if (areaId === null) {
    if (installationAdmin(user)) return;
    throw new ApiError('required', 'say which area they work in', field);
  }
  const [row] = await database.rows<{ managed: boolean }>(sql`
    SELECT ${inManagedAreas(user, sql`id`)} AS managed FROM areas WHERE id = ${areaId}`);
  if (!row) throw new ApiError('area_not_found', `no area '${areaId}'`, field);
  if (!row.managed) throw new ApiError('out_of_scope', `the area ${areaId} is outside your area`, field);
}

/** 403 role_not_allowed when the administrator may not give this role. */
export function checkAssignableRole(user: StaffUser, role: StaffRole): void {
  if (user.role === 'street_admin') return;
  if (!(secretaryAssignableRoles as readonly StaffRole[]).includes(role)) {
    throw new ApiError('role_not_allowed', `a secretary gives these roles only: ${secretaryAssignableRoles.join(', ')}`, { field: 'role', allowed: [...secretaryAssignableRoles] });
  }
}

/** The roles an administrator may give (the console's choice list). */
export const assignableRoles = (user: StaffUser): readonly StaffRole[] =>
  user.role === 'street_admin' ? staffRoles : secretaryAssignableRoles;

/** The areas an administrator manages, top down: the console's choice of area. */
export async function managedAreaList(database: Database, user: StaffUser) {
  return database.rows<{ id: string; name: string; level: string; parentId: string | null }>(sql`
    SELECT id, name, level, parent_id AS "parentId" FROM areas WHERE ${inManagedAreas(user, sql`id`)}
    ORDER BY array_position(ARRAY[${sql.join(areaLevels.map((l) => sql`${l}`), sql`, `)}]::text[], level), id`);
}
