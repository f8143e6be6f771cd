import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { StaffUser } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import { visitsTimeZone, type Coverage, type ZeroReport } from '../contract/visits.ts';
import { areaScopeSql, areasAbove, gridScopeSql, inMonthSql, todaySql } from './scope.ts';

// Coverage (走访覆盖; docs/visits.md): for each grid in the keeper's area, which buildings and care
// households were visited this month and which not yet, and the days it reported nothing (零上报).
// A building counts as visited by any visit there — to the building or to a household in it;
// a household only by a visit to it (the same rows its visits owed are counted from).

type ZeroRow = { id: number; worker_id: string; worker_name: string | null; day: string; grid_id: string | null; at: string };
const toZero = (r: ZeroRow): ZeroReport => ({
  id: Number(r.id), workerId: r.worker_id, workerName: r.worker_name, day: String(r.day).slice(0, 10), gridId: r.grid_id, at: new Date(r.at).toISOString(),
});
const zeroColumns = sql`z.id, z.worker_id, s.name AS worker_name, to_char(z.day, 'YYYY-MM-DD') AS day, z.grid_id, to_json(z.at) #>> '{}' AS at`;

/** The buildings of some grids, each with its visits of the month (`inGrids`: `IN (…)` of grid ids). */
export const buildingsCoverageSql = (inGrids: SQL, month: string): SQL => sql`
  WITH placed AS (SELECT b.id, coalesce(b.name, b.number) AS name, b.grid_id, ST_PointOnSurface(b.geom) AS p FROM buildings b WHERE b.grid_id ${inGrids}),
  seen AS (SELECT v.building_id, count(*)::int AS n, max(v.at) AS last FROM care_visits v
    WHERE v.building_id IN (SELECT id FROM placed) AND ${inMonthSql(sql`v.at`, month)} GROUP BY v.building_id)
  SELECT placed.id, placed.name, placed.grid_id, ST_X(placed.p) AS lon, ST_Y(placed.p) AS lat,
    coalesce(seen.n, 0) AS visits, to_json(seen.last) #>> '{}' AS last
  FROM placed LEFT JOIN seen ON seen.building_id = placed.id ORDER BY placed.id`;

/** The month's coverage in the keeper's area (or one grid of it). */
export async function coverage(database: Database, user: StaffUser, month: string, grid?: string): Promise<Coverage> {
  const gridFilter = grid ? sql`AND g.id = ${grid}` : sql``;
  const grids = await database.rows<{ id: string; name: string }>(sql`SELECT g.id, g.name FROM areas g WHERE ${gridScopeSql(user)} ${gridFilter} ORDER BY g.id`);
  const ids = grids.map((g) => g.id);
  const inGrids = ids.length ? sql`IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql`IN (NULL)`;
  const [buildings, households, visits, patrols, zeros] = await Promise.all([
    // the buildings of these grids: each one's grid is stored (buildings.grid_id, kept by the database
    // and by area imports: docs/visits.md); its visits of the month are counted wherever they were
    // logged from, so a building moved to another grid by a reshape takes its coverage along
    database.rows<{ id: string; name: string | null; grid_id: string; lon: number; lat: number; visits: number; last: string | null }>(buildingsCoverageSql(inGrids, month)),
    database.rows<{ id: number; grid_id: string | null; building_id: string | null; colour: string; lon: number; lat: number; visits: number }>(sql`
      SELECT h.id, h.grid_id, h.building_id, h.colour, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
        (SELECT count(*)::int FROM care_visits v WHERE v.household_id = h.id AND ${inMonthSql(sql`v.at`, month)}) AS visits
      FROM care_households h WHERE h.grid_id ${inGrids} ORDER BY h.id`),
    database.rows<{ grid_id: string; n: number }>(sql`
      SELECT v.grid_id, count(*)::int AS n FROM care_visits v WHERE v.grid_id ${inGrids} AND ${inMonthSql(sql`v.at`, month)} GROUP BY v.grid_id`),
    database.rows<{ grid_id: string; n: number }>(sql`
      SELECT p.grid_id, count(*)::int AS n FROM patrols p WHERE p.grid_id ${inGrids} AND ${inMonthSql(sql`p.started_at`, month)} GROUP BY p.grid_id`),
    database.rows<ZeroRow>(sql`
      SELECT ${zeroColumns} FROM zero_reports z LEFT JOIN staff s ON s.id = z.worker_id
      WHERE z.grid_id ${inGrids} AND z.day >= ${`${month}-01`}::date AND z.day < (${`${month}-01`}::date + interval '1 month') ORDER BY z.day DESC, z.id DESC`),
  ]);
  // by grid once (a county's street holds thousands of grids and buildings: no filter per grid)
  const byGrid = <T extends { grid_id: string | null }>(rows: T[]) => {
    const of = new Map<string | null, T[]>();
    for (const r of rows) {
      const list = of.get(r.grid_id);
      if (list) list.push(r);
      else of.set(r.grid_id, [r]);
    }
    return of;
  };
  const [buildingsOf, householdsOf, zerosOf] = [byGrid(buildings), byGrid(households), byGrid(zeros)];
  const counts = (rows: { grid_id: string; n: number }[]) => new Map(rows.map((r) => [r.grid_id, Number(r.n)]));
  const [visitsOf, patrolsOf] = [counts(visits), counts(patrols)];
  return {
    month,
    grids: grids.map((g) => {
      const bs = buildingsOf.get(g.id) ?? [];
      const hs = householdsOf.get(g.id) ?? [];
      return {
        gridId: g.id, gridName: g.name,
        buildings: bs.length, visitedBuildings: bs.filter((b) => Number(b.visits) > 0).length,
        households: hs.length, visitedHouseholds: hs.filter((h) => Number(h.visits) > 0).length,
        visits: visitsOf.get(g.id) ?? 0, patrols: patrolsOf.get(g.id) ?? 0,
        zeroDays: new Set((zerosOf.get(g.id) ?? []).map((z) => String(z.day))).size,
      };
    }),
    buildings: {
      type: 'FeatureCollection',
      features: buildings.map((b) => ({
        type: 'Feature', id: b.id,
        geometry: { type: 'Point', coordinates: [Number(b.lon), Number(b.lat)] },
        properties: { id: b.id, name: b.name, gridId: b.grid_id, visits: Number(b.visits), lastVisitAt: b.last ? new Date(b.last).toISOString() : null },
      })),
    },
    households: {
      type: 'FeatureCollection',
      features: households.map((h) => ({
        type: 'Feature', id: Number(h.id),
        geometry: { type: 'Point', coordinates: [Number(h.lon), Number(h.lat)] },
        properties: { id: Number(h.id), gridId: h.grid_id, buildingId: h.building_id, colour: h.colour as Coverage['households']['features'][number]['properties']['colour'], visits: Number(h.visits) },
      })),
    },
    zeroReports: zeros.map(toZero),
  };
}

/**
 * 零上报: the worker's "nothing to report today" for their grid, one per worker and Beijing day.
 * A second call the same day answers the first report (`created: false`) — a phone that retries
 * on a weak connection records one day, not two. Refused (409) when a finding of today already
 * became a request: that day had something to report.
 */
export async function reportZero(database: Database, user: StaffUser, note: string | undefined): Promise<ZeroReport & { created: boolean }> {
  if (user.areaLevel !== 'grid' && user.areaLevel !== 'microgrid') {
    throw new ApiError('zero_report_grid_only', 'nothing-to-report days are recorded by grid and micro-grid staff for their grid');
  }
  const filed = await database.rows<{ ticket: string }>(sql`
    SELECT r.ticket FROM care_visits v JOIN requests r ON r.id = v.request_id
    WHERE v.worker_id = ${user.staffId} AND (r.created_at AT TIME ZONE ${visitsTimeZone})::date = ${todaySql} ORDER BY r.id`);
  if (filed.length) throw new ApiError('zero_report_conflict', 'findings of today already became requests', { tickets: filed.map((f) => f.ticket) });
  const place = await areasAbove(database, user.areaId);
  const [row] = await database.rows<ZeroRow & { created: boolean }>(sql`
    WITH ins AS (
      INSERT INTO zero_reports (worker_id, day, street_id, community_id, grid_id)
      VALUES (${user.staffId}, ${todaySql}, ${place.street_id}, ${place.community_id}, ${place.grid_id})
      ON CONFLICT (worker_id, day) DO NOTHING RETURNING *),
    e AS (INSERT INTO admin_events (actor, action, subject, note) SELECT ${user.username || user.staffId}, 'zero_report', 'zero:' || id, ${note ?? null} FROM ins),
    z AS (SELECT *, true AS created FROM ins UNION ALL SELECT *, false FROM zero_reports WHERE worker_id = ${user.staffId} AND day = ${todaySql} AND NOT EXISTS (SELECT 1 FROM ins))
    SELECT ${zeroColumns}, z.created FROM z LEFT JOIN staff s ON s.id = z.worker_id`);
  if (!row) return reportZero(database, user, note); // a second phone's report won the race between our insert and our read
  const created = row.created === true || (row.created as unknown) === 't';
  return { ...toZero(row), created };
}

/** The month's 零上报 of the keeper's area. */
export async function zeroReports(database: Database, user: StaffUser, month: string): Promise<ZeroReport[]> {
  const rows = await database.rows<ZeroRow>(sql`
    SELECT ${zeroColumns} FROM zero_reports z LEFT JOIN staff s ON s.id = z.worker_id
    WHERE (z.worker_id = ${user.staffId} OR ${user.areaLevel === 'microgrid' ? sql`FALSE` : areaScopeSql(user, 'z')}) AND z.day >= ${`${month}-01`}::date AND z.day < (${`${month}-01`}::date + interval '1 month')
    ORDER BY z.day DESC, z.id DESC`);
  return rows.map(toZero);
}
