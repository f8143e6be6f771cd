import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { installationAdmin, type StaffUser } from '../auth/session.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import { listManagerRoles, listRoles } from '../contract/vocabulary.ts';
import { rowsInAreaSql } from '../auth/rows-in-area.ts';

// Who keeps which part of the 三项清单 (docs/lists.md). Needs and wishes belong to a grid: the street
// administrator sees the street's, a secretary the community's, grid staff their own grid's (a
// micro-grid leader the grid around it). Resources and projects belong to a community (or the whole
// street): everyone of the community reads them, only the secretary and the street administrator
// write them. Each write leaves a line in admin_events — which row and which fields, never a word
// a resident said.

/** The asker with the street, community and grid their own area lies in (null above their level). */
export type Keeper = StaffUser & { street: string | null; community: string | null; grid: string | null };

/** The asker as a keeper of the lists: signed in (else 401) and in a role and area that keep them (else 403). */
export async function listKeeper(database: Database, user: StaffUser | null): Promise<Keeper> {
  if (!user) throw unauthorized();
  if (installationAdmin(user)) return { ...user, street: null, community: null, grid: null };
  if (!(listRoles as readonly string[]).includes(user.role) || !user.areaId) {
    throw new ApiError('out_of_scope', 'the lists are kept by street, community and grid staff in their own area');
  }
  // the asker's area and every area above it
  const chain = await database.rows<{ id: string; level: string }>(sql`
    WITH RECURSIVE up AS (
      SELECT id, level, parent_id FROM areas WHERE id = ${user.areaId}
      UNION ALL SELECT a.id, a.level, a.parent_id FROM areas a JOIN up ON a.id = up.parent_id)
    SELECT id, level FROM up`);
  const at = (level: string) => chain.find((a) => a.level === level)?.id ?? null;
  return { ...user, street: at('street'), community: at('community'), grid: at('grid') };
}

/** Rows of a grid (needs, wishes; alias `x`) the keeper may see. */
export function gridScopeSql(k: Keeper): SQL {
  if (installationAdmin(k)) return sql`TRUE`;
  return rowsInAreaSql('x', { level: k.areaLevel ?? null, id: k.areaId ?? null }, 'grid');
}

/** Rows of a community or the street (resources, projects; alias `x`) the keeper may see. */
export function sharedScopeSql(k: Keeper): SQL {
  if (installationAdmin(k)) return sql`TRUE`;
  // a street's or a district's administrator: every row of their streets, the street-wide ones too
  if (k.areaLevel === 'street' || k.areaLevel === 'district') return rowsInAreaSql('x', { level: k.areaLevel, id: k.areaId ?? null });
  return sql`(x.community_id = ${k.community} OR (x.community_id IS NULL AND x.street_id = ${k.street}))`;
}

/** May the keeper write a row of a grid in these areas? */
export function mayKeepGrid(k: Keeper, place: { street_id: string | null; community_id: string | null; grid_id: string | null }): boolean {
  if (installationAdmin(k)) return true;
  if (k.areaLevel === 'street') return place.street_id === k.street;
  if (k.areaLevel === 'community') return place.community_id === k.community;
  return place.grid_id === k.grid;
}

/** The keeper as a writer of resources and projects (secretary, street administrator), else 403. */
export function listManager(k: Keeper): Keeper {
  if (installationAdmin(k) || (listManagerRoles as readonly string[]).includes(k.role)) return k;
  throw new ApiError('out_of_scope', 'resources and projects are written by the community secretary and the street administrator');
}

/**
 * The community (or, null, the whole street) a resource or project is written for: the one asked,
 * if the manager keeps it; by default the secretary's own community. Answers its street too.
 */
export async function sharedPlace(database: Database, k: Keeper, asked: string | null | undefined): Promise<{ street: string | null; community: string | null }> {
  if (asked === undefined) {
    if (k.community) return { street: k.street, community: k.community };
    if (k.street) return { street: k.street, community: null };
    throw new ApiError('required', 'communityId is required: the installation administrator names the community', 'communityId');
  }
  if (asked === null) {
    if (k.areaLevel === 'street' || installationAdmin(k)) return { street: k.street, community: null };
    throw forbidden('the whole street');
  }
  const [area] = await database.rows<{ id: string; parent_id: string | null }>(sql`SELECT id, parent_id FROM areas WHERE id = ${asked} AND level = 'community'`);
  if (!area) throw new ApiError('area_not_found', `no community ${asked.slice(0, 40)}`, { field: 'communityId' });
  if (!installationAdmin(k) && !(k.areaLevel === 'street' ? area.parent_id === k.street : area.id === k.community)) throw forbidden(`community ${asked}`);
  return { street: area.parent_id, community: area.id };
}

/** Where a need or wish is: a building's point and areas, else a grid's label point; 404 for neither, 403 outside the keeper's area. */
export async function gridPlace(database: Database, k: Keeper, where: { gridId?: string; buildingId?: string }) {
  type Place = { street_id: string | null; community_id: string | null; grid_id: string | null; lon: number; lat: number };
  let place: Place | undefined;
  if (where.buildingId) {
    [place] = await database.rows<Place>(sql`
      SELECT a.street_id, a.community_id, a.grid_id, ST_X(b.p) AS lon, ST_Y(b.p) AS lat
      FROM (SELECT ST_PointOnSurface(geom) AS p FROM buildings WHERE id = ${where.buildingId}) b CROSS JOIN LATERAL assign_point(b.p) a`);
    if (!place?.grid_id) throw new ApiError('building_not_found', `no building ${where.buildingId.slice(0, 40)} in a grid`, { field: 'buildingId', buildingId: where.buildingId.slice(0, 40) });
  } else if (where.gridId) {
    [place] = await database.rows<Place>(sql`
      SELECT c.parent_id AS street_id, c.id AS community_id, g.id AS grid_id,
        ST_X(coalesce(g.label_point, ST_PointOnSurface(g.geom))) AS lon, ST_Y(coalesce(g.label_point, ST_PointOnSurface(g.geom))) AS lat
      FROM areas g LEFT JOIN areas c ON c.id = g.parent_id WHERE g.id = ${where.gridId} AND g.level = 'grid'`);
    if (!place) throw new ApiError('area_not_found', `no grid ${where.gridId.slice(0, 40)}`, { field: 'gridId' });
  } else {
    throw new ApiError('required', 'gridId or buildingId is required: where the need was heard', 'gridId');
  }
  if (!mayKeepGrid(k, place)) throw forbidden(`grid ${place.grid_id}`);
  return { ...place, lon: Number(place.lon), lat: Number(place.lat) };
}

/** A line of the audit trail (admin_events): who, what, which row (`need:12`), and field names or a state — never a resident's words. */
export const auditSql = (k: Keeper, action: string, subject: SQL, note: string | null = null) =>
  sql`INSERT INTO admin_events (actor, action, subject, note) VALUES (${k.username || k.staffId}, ${action}, ${subject}, ${note})`;

/** A path's `:id`, or the not-found error of its kind. */
export function rowIdOf(value: string, code: 'need_not_found' | 'resource_not_found' | 'project_not_found' | 'wish_not_found'): number {
  if (!/^\d{1,9}$/.test(value)) throw new ApiError(code, `no such row ${value.slice(0, 20)}`, { id: value.slice(0, 20) });
  return Number(value);
}

/** The names of the fields an edit gives: the audit line's note. */
export const fieldsOf = (input: Record<string, unknown>) => Object.keys(input).filter((key) => input[key] !== undefined).join(',');

export const yes = (v: unknown) => v === true || v === 't';
