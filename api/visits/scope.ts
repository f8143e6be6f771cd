import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { installationAdmin, type StaffUser } from '../auth/session.ts';
import { visitsTimeZone } from '../contract/visits.ts';
import { ApiError } from '../errors.ts';
import { rowsInAreaSql } from '../auth/rows-in-area.ts';

// Who sees which visits, patrols and 零上报: the care ledger's rule (api/care/ledger.ts careKeeper)
// — street, community, grid and micro-grid staff, each their own area — on any table that carries
// the area columns, and the month a coverage question is about, in Beijing time.

/** Rows of `alias` (with street_id … microgrid_id) in the keeper's area. */
export function areaScopeSql(user: StaffUser, alias: string): SQL {
  if (installationAdmin(user)) return sql`TRUE`;
  return rowsInAreaSql(alias, { level: user.areaLevel ?? null, id: user.areaId ?? null });
}

/** The grids (areas of level grid) the keeper's area holds, as a WHERE fragment on `areas g`. */
export function gridScopeSql(user: StaffUser): SQL {
  if (installationAdmin(user)) return sql`g.level = 'grid'`;
  const area = user.areaId;
  switch (user.areaLevel) {
    case 'district': return sql`g.level = 'grid' AND g.parent_id IN (SELECT c.id FROM areas c JOIN areas s ON s.id = c.parent_id WHERE s.parent_id = ${area})`;
    case 'street': return sql`g.level = 'grid' AND g.parent_id IN (SELECT id FROM areas WHERE parent_id = ${area})`;
    case 'community': return sql`g.level = 'grid' AND g.parent_id = ${area}`;
    case 'grid': return sql`g.level = 'grid' AND g.id = ${area}`;
    default: return sql`g.level = 'grid' AND g.id = (SELECT parent_id FROM areas WHERE id = ${area})`; // a micro-grid's grid
  }
}

export type Place = { street_id: string | null; community_id: string | null; grid_id: string | null; microgrid_id: string | null };

/** Does the keeper's area hold this place? A district's administrator reads its streets' visits but logs none. */
export const holds = (user: StaffUser, place: Place) =>
  installationAdmin(user) || ({ district: null, street: place.street_id, community: place.community_id, grid: place.grid_id, microgrid: place.microgrid_id }[user.areaLevel!] === user.areaId);

/** The street, community and grid above (or at) the keeper's own area. */
export async function areasAbove(database: Database, areaId: string | null): Promise<Place> {
  if (!areaId) return { street_id: null, community_id: null, grid_id: null, microgrid_id: null };
  const [row] = await database.rows<Place>(sql`
    WITH RECURSIVE up AS (
      SELECT id, parent_id, level FROM areas WHERE id = ${areaId}
      UNION ALL SELECT a.id, a.parent_id, a.level FROM areas a JOIN up ON a.id = up.parent_id)
    SELECT max(id) FILTER (WHERE level = 'street') AS street_id, max(id) FILTER (WHERE level = 'community') AS community_id,
      max(id) FILTER (WHERE level = 'grid') AS grid_id, max(id) FILTER (WHERE level = 'microgrid') AS microgrid_id FROM up`);
  return row;
}

/** The month asked (YYYY-MM), or this month in Beijing time. */
export const monthOrNow = (month: string | undefined) => month
  ?? new Intl.DateTimeFormat('en-CA', { timeZone: visitsTimeZone, year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

/** `column` within the month (Beijing time), as a WHERE fragment. */
export const inMonthSql = (column: SQL, month: string) => sql`${column} >= (${`${month}-01`}::timestamp AT TIME ZONE ${visitsTimeZone})
  AND ${column} < ((${`${month}-01`}::timestamp + interval '1 month') AT TIME ZONE ${visitsTimeZone})`;

/** Today's date in Beijing time, as SQL. */
export const todaySql = sql`(now() AT TIME ZONE ${visitsTimeZone})::date`;

/** A numeric id from the path, or the not-found error (never a 500 for `/visits/abc`). */
export function pathId(value: string, code: 'visit_not_found' | 'patrol_not_found' | 'photo_not_found'): number {
  if (!/^\d{1,9}$/.test(value)) throw new ApiError(code, `no such ${code.split('_')[0]} ${value.slice(0, 20)}`, { id: value.slice(0, 20) });
  return Number(value);
}
