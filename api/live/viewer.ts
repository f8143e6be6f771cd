import type { Context } from 'hono';
import { sql, type SQL } from 'drizzle-orm';
import { currentUser, hashToken, inScope, scopeSql, type StaffUser } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';
import { publicEvent, staffEvent, type EventRow } from './event-rows.ts';

/**
 * Who watches a stream, and so which events they get and in what shape. Decided once, when the
 * stream opens: a kiosk token (a wall screen's read-only link), a staff session, or nobody.
 * `accepts` (for live events) and `where` (for replay from the table) state the same rule twice.
 */
export interface Viewer {
  kind: 'public' | 'kiosk' | 'staff';
  /** the area a kiosk shows; the staff member's area */
  areaId: string | null;
  user: StaffUser | null;
  accepts(row: EventRow): boolean;
  /** the same rule as `accepts`, on `r` = requests */
  where: SQL;
  /** the JSON that leaves the server for this viewer */
  render(row: EventRow): object;
}

const areaColumn: Record<AreaLevel, { sql: SQL; key: 'districtId' | 'streetId' | 'communityId' | 'gridId' | 'microgridId' }> = {
  district: { sql: sql`r.district_id`, key: 'districtId' },
  street: { sql: sql`r.street_id`, key: 'streetId' },
  community: { sql: sql`r.community_id`, key: 'communityId' },
  grid: { sql: sql`r.grid_id`, key: 'gridId' },
  microgrid: { sql: sql`r.microgrid_id`, key: 'microgridId' },
};

export const publicViewer: Viewer = {
  kind: 'public', areaId: null, user: null, accepts: () => true, where: sql`TRUE`, render: publicEvent,
};

/** The area a kiosk token opens, or null for an unknown token. */
export async function kioskArea(database: Database, token: string): Promise<{ id: string; level: AreaLevel; name: string } | null> {
  if (token.length > 200) return null;
  const [row] = await database.rows<{ id: string; level: AreaLevel; name: string }>(sql`
    SELECT a.id, a.level, a.name FROM kiosk_tokens k JOIN areas a ON a.id = k.area_id
    WHERE k.token_hash = ${hashToken(token)} AND k.revoked_at IS NULL`); // only the sha256 is kept (api/admin/links.ts)
  return row ?? null;
}

/** The area of a kiosk token, or 403: an unknown or revoked link. */
export async function kioskAreaOr403(database: Database, token: string) {
  const area = await kioskArea(database, token);
  if (!area) throw new ApiError('kiosk_invalid', 'this kiosk link is not valid (unknown or revoked token); ask the community for a new wall-screen link');
  return area;
}

/** Requests inside one area (any level): for kiosks and `/api/stats?areaId=`. */
export function areaFilter(area: { id: string; level: AreaLevel }) {
  const column = areaColumn[area.level];
  return {
    where: sql`${column.sql} = ${area.id}`,
    accepts: (row: EventRow) => row.request[column.key] === area.id,
  };
}

/** `?kiosk=TOKEN` → that area, public fields; a staff cookie → their scope with contacts; else public. */
export async function viewerOf(c: Context, database: Database): Promise<Viewer> {
  const token = c.req.query('kiosk');
  if (token !== undefined) {
    const area = await kioskAreaOr403(database, token);
    return { kind: 'kiosk', areaId: area.id, user: null, ...areaFilter(area), render: publicEvent };
  }
  const user = await currentUser(c, database);
  if (user) {
    return {
      kind: 'staff',
      areaId: user.areaId,
      user,
      accepts: (row) => inScope(user, row.request),
      where: scopeSql(user),
      render: staffEvent,
    };
  }
  return publicViewer;
}
