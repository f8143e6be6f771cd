import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { walkGraph, walkingSpeed, type Snap, type WalkGraph } from './walk-graph.ts';
import { circleCategories } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';

/**
 * The 15-minute circle (15分钟便民圈): for every residential building, which everyday services
 * are within a 15-minute walk along the network. One multi-source search per category, from all
 * of that category's service points at once, bounded at 15 minutes; each building is reached
 * through its unit entrances (or, without any, the point of its footprint nearest a path).
 */

export const circleMinutes = 15;
const maxMeters = circleMinutes * walkingSpeed; // 1,125 m

/** The everyday needs of the 一刻钟便民生活圈: what a resident should find within 15 minutes. */
export { circleCategories };

export interface CircleBuilding {
  id: string;
  number: string | null;
  compoundName: string | null;
  /** categories with nothing within 15 minutes */
  missing: string[];
  /** minutes on foot to the nearest point of each reachable category */
  reachable: Record<string, number>;
}

export interface Circle {
  categories: string[];
  buildings: CircleBuilding[];
  /** footprints with their gaps, for the secretaries' map layer */
  footprints: { type: 'FeatureCollection'; features: unknown[] };
  computedAt: string;
  computeMs: number;
  /** what the pois table looked like: a change means recompute */
  fingerprint: string;
}

export async function computeCircle(database: Database, graph: WalkGraph): Promise<Circle> {
  const t0 = performance.now();
  const fingerprint = await poiFingerprint(database);
  const [pois, buildings, entrances] = await Promise.all([
    database.rows<{ category: string; lon: number; lat: number }>(sql`
      SELECT category, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM pois
      WHERE category IN ${sqlList(circleCategories)}`),
    database.rows<{ id: string; number: string | null; compoundName: string | null; lon: number; lat: number; geometry: string }>(sql`
      SELECT b.id, b.number, c.name AS "compoundName", ST_X(p) AS lon, ST_Y(p) AS lat, ST_AsGeoJSON(b.geom, 7) AS geometry
      FROM buildings b LEFT JOIN compounds c ON c.id = b.compound_id, ST_PointOnSurface(b.geom) p
      WHERE b.use = 'residential' ORDER BY b.id`),
    database.rows<{ buildingId: string; lon: number; lat: number }>(sql`
      SELECT e.building_id AS "buildingId", ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat
      FROM entrances e JOIN buildings b ON b.id = e.building_id WHERE b.use = 'residential'`),
  ]);

  // each building's doors on the network
  const doors = new Map<string, Snap[]>();
  for (const e of entrances) {
    const s = graph.snap(e.lon, e.lat);
    if (s) doors.set(e.buildingId, [...(doors.get(e.buildingId) ?? []), s]);
  }
  for (const b of buildings) {
    if (doors.has(b.id)) continue;
    const s = graph.snap(b.lon, b.lat);
    if (s) doors.set(b.id, [s]);
  }

  const reachable = new Map<string, Record<string, number>>(buildings.map((b) => [b.id, {}]));
  for (const category of circleCategories) {
    const sources = pois.filter((p) => p.category === category).map((p) => graph.snap(p.lon, p.lat)).filter((s): s is Snap => !!s);
    if (!sources.length) continue;
    const onSegment = new Map<number, Snap[]>();
    for (const s of sources) onSegment.set(s.segment, [...(onSegment.get(s.segment) ?? []), s]);
    const reach = graph.search(sources.flatMap((s) => graph.ends(s)), maxMeters);
    for (const b of buildings) {
      let best = Infinity;
      for (const door of doors.get(b.id) ?? []) {
        best = Math.min(best, reach.snap(door));
        for (const s of onSegment.get(door.segment) ?? []) { // a service on the door's own path piece
          best = Math.min(best, s.meters + Math.abs(s.t - door.t) * graph.segLen[door.segment] + door.meters);
        }
      }
      if (best <= maxMeters) reachable.get(b.id)![category] = Math.max(1, Math.round(best / walkingSpeed));
    }
  }

  const rows: CircleBuilding[] = buildings.map((b) => {
    const r = reachable.get(b.id)!;
    return { id: b.id, number: b.number, compoundName: b.compoundName, missing: circleCategories.filter((c) => !(c in r)), reachable: r };
  });
  const footprints = {
    type: 'FeatureCollection' as const,
    features: buildings.map((b, i) => ({
      type: 'Feature', id: b.id, geometry: JSON.parse(b.geometry),
      properties: { id: b.id, number: b.number, compoundName: b.compoundName, missingCount: rows[i].missing.length, missing: rows[i].missing },
    })),
  };
  return {
    categories: [...circleCategories], buildings: rows, footprints,
    computedAt: new Date().toISOString(), computeMs: Math.round(performance.now() - t0), fingerprint,
  };
}

/** A digest of every service point's id, category and position: cheap to ask on each request. */
async function poiFingerprint(database: Database): Promise<string> {
  const [row] = await database.rows<{ f: string | null; n: number }>(sql`
    SELECT count(*)::int AS n, md5(string_agg(id || ':' || category || ':' || ST_AsText(geom), ',' ORDER BY id)) AS f FROM pois`);
  return `${row.n}:${row.f ?? ''}`;
}

// one circle per database, computed on first request and kept while the pois and roads stay the same
const circles = new WeakMap<Database, { graph: WalkGraph; circle: Promise<Circle> }>();

/** The circle, recomputed first when the service points (or the network) changed since last time. */
export async function circleFor(database: Database): Promise<Circle> {
  const graph = await walkGraph(database);
  const held = circles.get(database);
  if (held && held.graph === graph) {
    const circle = await held.circle;
    if (circle.fingerprint === (await poiFingerprint(database))) return circle;
    if (circles.get(database) !== held) return circleFor(database); // someone else is recomputing
  }
  return recompute(database);
}

/** Compute again now (after service points change); later requests get the new answer. */
export async function recompute(database: Database): Promise<Circle> {
  const graph = await walkGraph(database);
  const circle = computeCircle(database, graph);
  circles.set(database, { graph, circle });
  circle.catch(() => { if (circles.get(database)?.circle === circle) circles.delete(database); });
  return circle;
}
