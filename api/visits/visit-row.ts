import { sql, type SQL } from 'drizzle-orm';
import type { VisitRow } from '../contract/visits.ts';

// One visit as read: its columns on `care_visits v` with the names around it (worker, building,
// grid, the request its finding became, how many photos) — the one column list every query of
// visits uses (./log.ts, ./patrol.ts).

export type VisitRowRow = {
  id: number; at: string; worker_id: string | null; worker_name: string | null; household_id: number | null;
  building_id: string | null; building_name: string | null; grid_id: string | null; grid_name: string | null;
  patrol_id: number | null; ticket: string | null; photos: number;
  finding_sealed: string; colour_before: string | null; colour_after: string | null; lon: number | null; lat: number | null;
  street_id: string | null; community_id: string | null; microgrid_id: string | null; request_id: number | null;
};

/** The columns of a visit on `care_visits v`, with its names, request and photo count. */
export const visitRowsSql = (where: SQL, limit = 500) => sql`
  SELECT v.id, to_json(v.at) #>> '{}' AS at, v.worker_id, s.name AS worker_name, v.household_id,
    v.building_id, coalesce(b.name, b.number) AS building_name, v.grid_id, g.name AS grid_name, v.patrol_id, r.ticket,
    (SELECT count(*)::int FROM visit_photos p WHERE p.visit_id = v.id) AS photos,
    v.finding_sealed, v.colour_before, v.colour_after, v.street_id, v.community_id, v.microgrid_id, v.request_id,
    ST_X(coalesce(ST_PointOnSurface(b.geom), h.geom)) AS lon, ST_Y(coalesce(ST_PointOnSurface(b.geom), h.geom)) AS lat
  FROM care_visits v
  LEFT JOIN staff s ON s.id = v.worker_id LEFT JOIN buildings b ON b.id = v.building_id
  LEFT JOIN areas g ON g.id = v.grid_id LEFT JOIN requests r ON r.id = v.request_id
  LEFT JOIN care_households h ON h.id = v.household_id
  WHERE ${where} ORDER BY v.at DESC, v.id DESC LIMIT ${limit}`;

export const toVisitRow = (r: VisitRowRow): VisitRow => ({
  id: Number(r.id), at: new Date(r.at).toISOString(), workerId: r.worker_id, workerName: r.worker_name,
  householdId: r.household_id === null ? null : Number(r.household_id),
  buildingId: r.building_id, buildingName: r.building_name, gridId: r.grid_id, gridName: r.grid_name,
  patrolId: r.patrol_id === null ? null : Number(r.patrol_id), ticket: r.ticket, photos: Number(r.photos),
});
