import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { sqlList } from '../db/sql-list.ts';
import { ApiError } from '../errors.ts';
import { openingState } from '../geo/opening.ts';
import { metres, walkGraph, walkingSpeed, type Snap, type WalkGraph } from '../geo/walk-graph.ts';

export const maxSnapMeters = 500; // farther than this from every path, we cannot say how to walk

export interface PoiRow {
  id: string; category: string; name: string; address: string | null; phone: string | null;
  openingHours: string | null; activities: { name: string; schedule: string }[]; lon: number; lat: number;
}

/** A service point's public columns; every endpoint that shows one selects exactly these. */
export const poiColumns = sql`p.id, p.category, p.name, p.address, p.phone, p.opening_hours AS "openingHours",
  p.activities, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat`;

export const walkMinutes = (meters: number) => Math.max(1, Math.round(meters / walkingSpeed));

/**
 * Service points nearest on foot from a snapped origin. POIs are fetched by straight distance
 * in growing circles: walking is never shorter than the straight line, so once `limit` of them
 * are within a circle's radius on foot, nothing outside it can come before them.
 */
export async function nearestOnFoot(database: Database, graph: WalkGraph, origin: { lon: number; lat: number; snap: Snap },
  options: { categories?: string[]; limit: number; maxWalkMeters?: number }) {
  const { categories, limit, maxWalkMeters = Infinity } = options;
  const filter = categories?.length ? sql`AND p.category IN ${sqlList(categories)}` : sql``;
  const point = sql`ST_SetSRID(ST_MakePoint(${origin.lon}, ${origin.lat}), 4326)`;
  for (const radius of [1000, 4000, 16000, Infinity]) {
    const within = Math.min(radius, maxWalkMeters);
    const rows = await database.rows<PoiRow>(Number.isFinite(within)
      // the box (on the GiST index) first, then the exact distance on the ellipsoid
      ? sql`SELECT ${poiColumns} FROM pois p WHERE p.geom && ST_Expand(${point}, ${degreesFor(within, origin.lat)})
          AND ST_DWithin(p.geom::geography, ${point}::geography, ${within}) ${filter}`
      : sql`SELECT ${poiColumns} FROM pois p WHERE true ${filter} ORDER BY p.geom <-> ${point} LIMIT 2000`);
    const walks = walkTo(graph, origin, rows);
    const found = rows.map((row, i) => ({ row, walk: walks[i] }))
      .filter((r) => r.walk <= within)
      .sort((x, y) => x.walk - y.walk || x.row.id.localeCompare(y.row.id));
    if (found.length >= limit || !Number.isFinite(radius) || within >= maxWalkMeters) return found.slice(0, limit);
  }
  return [];
}

/** Degrees that cover `meters` in every direction at a latitude (longitude degrees are the shorter). */
const degreesFor = (meters: number, lat: number) => (meters / (111_000 * Math.cos((Math.min(Math.abs(lat), 89) * Math.PI) / 180))) * 1.01;

/** Walking metres from the origin to each point (Infinity when unreachable), one bounded search. */
export function walkTo(graph: WalkGraph, origin: { snap: Snap }, points: { lon: number; lat: number }[]): number[] {
  const snaps = points.map((p) => graph.snap(p.lon, p.lat));
  const walks = snaps.map((s) => (s && s.segment === origin.snap.segment
    ? origin.snap.meters + Math.abs(origin.snap.t - s.t) * graph.segLen[s.segment] + s.meters
    : Infinity));
  // stop once every point's nearer segment end is settled
  const wanted = new Map<number, number>();
  for (const s of snaps) if (s) for (const n of [graph.segA[s.segment], graph.segB[s.segment]]) wanted.set(n, 1);
  let left = wanted.size;
  const reach = graph.search(graph.ends(origin.snap), Infinity, (n) => wanted.has(n) && --left === 0);
  return snaps.map((s, i) => (s ? Math.min(walks[i], reach.snap(s)) : Infinity));
}

/** A POI as residents see it: public fields, distances, and whether it is open now. */
export function describePoi(row: PoiRow, from: { lon: number; lat: number }, walk: number, now = new Date()) {
  const open = openingState(row.openingHours, now);
  return {
    id: row.id, category: row.category, name: row.name, address: row.address, phone: row.phone,
    openingHours: row.openingHours, activities: row.activities ?? [], lon: Number(row.lon), lat: Number(row.lat),
    walkMeters: Math.round(walk),
    straightMeters: Math.round(metres(from.lon, from.lat, Number(row.lon), Number(row.lat))),
    walkMinutes: walkMinutes(walk),
    ...open,
  };
}

/** Snap a resident's point to the paths, or 422 when no path is near enough to walk from. */
export function snapOrRefuse(graph: WalkGraph, point: { lon: number; lat: number }, field = 'lon') {
  const snap = graph.snap(point.lon, point.lat, maxSnapMeters);
  if (!snap) {
    throw new ApiError('no_path_nearby', `no path within ${maxSnapMeters} m of ${point.lon},${point.lat}: choose a point inside the map's streets`,
      { field, meters: maxSnapMeters });
  }
  return snap;
}
