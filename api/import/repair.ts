import { sql, type SQL } from 'drizzle-orm';
import { areaLevels as levels, type AreaLevel as Level } from '../contract/vocabulary.ts';

/**
 * Repair of imported boundaries (npm run import:areas -- --repair): an explicit choice, run inside
 * the import's transaction after the upsert, level by level from the top (a parent is final before
 * its children are cut to it). Only areas named in the file change; areas already in the database
 * and not in the file are kept as they are, and an imported area gives way to them.
 *
 * 1. invalid polygons are made valid: ST_MakeValid, polygons kept (ST_CollectionExtract(…, 3));
 * 2. a child is cut to its parent (what reaches outside the parent is dropped);
 * 3. an overlap between siblings goes to exactly one of them: the one ranked first keeps it, the
 *    ranking being (a) areas not in the file, (b) the larger area on the ground (geography m², as
 *    computed after step 2), (c) on equal areas, the smaller id compared byte by byte (UTF-8).
 *    Every area loses what its higher-ranked siblings cover, all against the geometries before the
 *    step, so the result does not depend on the order of the file or of the database;
 * 4. a gap inside a parent smaller than the threshold goes to the imported child that shares the
 *    longest border with it (ties: the smaller id, byte by byte); larger gaps stay and are refused.
 */

export interface RepairOptions {
  /** gaps inside a parent smaller than this (m²) are closed; default 50 */
  gapThresholdM2?: number;
}

/** How much one area changed, against its boundary in the file (made valid if it was not). */
export interface AreaRepair {
  areaId: string;
  madeValid: boolean;
  beforeM2: number;
  afterM2: number;
  /** the ground that changed hands: area of the symmetric difference, m² (geography) */
  changedM2: number;
  /** changedM2 as a percentage of beforeM2 */
  changedPct: number;
}

/** One decision the repair took: which sliver went where. */
export interface RepairStep {
  kind: 'overlap' | 'gap' | 'outside';
  /** the areas around the sliver (for 'outside': the child and its parent) */
  areaIds: string[];
  /** who keeps the sliver; null for a piece cut off outside the parent */
  keptBy: string | null;
  m2: number;
  at: [number, number];
}

export interface RepairReport {
  gapThresholdM2: number;
  areas: AreaRepair[];
  steps: RepairStep[];
}

export const defaultGapThresholdM2 = 50;
const noiseM2 = 1e-4; // m²: floating-point residue, not reported

type Rows = <T>(query: SQL) => Promise<T[]>;
type Area = { id: string; level: Level; parentId: string | null };

/** byte order of UTF-8, the same on every database and locale */
export const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);
/**
 * Every repaired boundary lies on a grid of 1e-7° (≈1 cm) and every overlay below runs on it
 * (GEOS OverlayNG's gridSize): without it, the nearly-collinear vertices a quantised GCJ-02 file
 * leaves along shared edges made later predicates fail ("TopologyException: side location conflict").
 */
const grid = sql.raw('1e-7');
const polygons = (g: SQL) => sql`ST_Multi(ST_CollectionExtract(ST_ReducePrecision(ST_CollectionExtract(ST_MakeValid(${g}), 3), ${grid}), 3))`;

export async function repairAreas(rows: Rows, imported: Area[], options: RepairOptions): Promise<RepairReport> {
  const gapThresholdM2 = options.gapThresholdM2 ?? defaultGapThresholdM2;
  const report: RepairReport = { gapThresholdM2, areas: [], steps: [] };
  if (!imported.length) return report;
  const all = list(imported.map((a) => a.id));

  const madeValid = new Set((await rows<{ id: string }>(sql`
    SELECT id FROM areas WHERE id IN (${all}) AND NOT ST_IsValid(geom)`)).map((r) => r.id));
  await rows(sql`UPDATE areas SET geom = ${polygons(sql`geom`)} WHERE id IN (${all})`);
  // the file's boundaries (made valid), to measure what the repair changed
  await rows(sql`DROP TABLE IF EXISTS repair_before`);
  await rows(sql`CREATE TEMP TABLE repair_before ON COMMIT DROP AS SELECT id, geom FROM areas WHERE id IN (${all})`);

  for (const level of levels) {
    const here = imported.filter((a) => a.level === level);
    if (!here.length) continue;
    const ids = list(here.map((a) => a.id));

    // 2. cut to the parent
    for (const r of await rows<{ id: string; parent: string; m2: number; lon: number; lat: number }>(sql`
      WITH cut AS (
        SELECT c.id, p.id AS parent, ST_Difference(c.geom, p.geom, ${grid}) AS g
        FROM areas c JOIN areas p ON p.id = c.parent_id WHERE c.id IN (${ids}) AND NOT ST_CoveredBy(c.geom, p.geom)
      )
      SELECT id, parent, ST_Area(g::geography) AS m2, ST_X(ST_PointOnSurface(g)) AS lon, ST_Y(ST_PointOnSurface(g)) AS lat
      FROM cut WHERE ST_Area(g::geography) >= ${noiseM2}::float8 ORDER BY id`)) {
      report.steps.push({ kind: 'outside', areaIds: [r.id, r.parent], keptBy: null, m2: r.m2, at: [r.lon, r.lat] });
    }
    await rows(sql`
      UPDATE areas c SET geom = ${polygons(sql`ST_Intersection(c.geom, p.geom, ${grid})`)}
      FROM areas p WHERE p.id = c.parent_id AND c.id IN (${ids}) AND NOT ST_CoveredBy(c.geom, p.geom)`);

    // 3. overlaps between siblings: rank every sibling of an imported area, then cut
    const parentIds = [...new Set(here.map((a) => a.parentId))];
    const named = parentIds.filter((p): p is string => p !== null);
    const siblings = await rows<{ id: string; m2: number }>(sql`
      SELECT id, ST_Area(geom::geography) AS m2 FROM areas
      WHERE level = ${level} AND (${named.length ? sql`parent_id IN (${list(named)})` : sql`false`}
        ${parentIds.includes(null) ? sql`OR parent_id IS NULL` : sql``})`);
    const inFile = new Set(here.map((a) => a.id));
    siblings.sort((a, b) => Number(inFile.has(a.id)) - Number(inFile.has(b.id)) || b.m2 - a.m2 || bytewise(a.id, b.id));
    const rank = sql.join(siblings.map((s, i) => sql`(${s.id}::text, ${i}::int)`), sql`, `);
    const overlapping = sql`
      areas b JOIN (VALUES ${rank}) AS rb(id, r) ON rb.id = b.id
      WHERE rb.r < ra.r AND b.level = a.level AND b.parent_id IS NOT DISTINCT FROM a.parent_id
        AND b.geom && a.geom AND ST_Relate(a.geom, b.geom, '2********')`;
    for (const r of await rows<{ id: string; keeper: string; m2: number; lon: number; lat: number }>(sql`
      WITH piece AS (
        SELECT a.id, b.id AS keeper, ST_Intersection(a.geom, b.geom, ${grid}) AS g
        FROM areas a JOIN (VALUES ${rank}) AS ra(id, r) ON ra.id = a.id, ${overlapping} AND a.id IN (${ids})
      )
      SELECT id, keeper, ST_Area(g::geography) AS m2, ST_X(ST_PointOnSurface(g)) AS lon, ST_Y(ST_PointOnSurface(g)) AS lat
      FROM piece WHERE ST_Area(g::geography) >= ${noiseM2}::float8`)) {
      report.steps.push({ kind: 'overlap', areaIds: [r.keeper, r.id].sort(bytewise), keptBy: r.keeper, m2: r.m2, at: [r.lon, r.lat] });
    }
    // one statement: every area is cut against its siblings as they were before it
    await rows(sql`
      UPDATE areas a SET geom = ${polygons(sql`ST_Difference(a.geom, (SELECT ST_Union(b.geom, ${grid}) FROM ${overlapping}), ${grid})`)}
      FROM (VALUES ${rank}) AS ra(id, r)
      WHERE ra.id = a.id AND a.id IN (${ids}) AND EXISTS (SELECT 1 FROM ${overlapping})`);

    // 4. small gaps inside each parent go to the child with the longest shared border
    if (!named.length) continue;
    // numbered by their bytes, so both queries below see the same pieces under the same numbers
    const smallGaps = sql`gap AS (
        SELECT p.id AS parent, (ST_Dump(ST_Difference(p.geom, ST_Union(c.geom, ${grid}), ${grid}))).geom AS g
        FROM areas p JOIN areas c ON c.parent_id = p.id WHERE p.id IN (${list(named)}) GROUP BY p.id, p.geom
      ), small AS (
        SELECT row_number() OVER (ORDER BY parent, ST_AsBinary(g))::int AS piece, parent, g, ST_Area(g::geography) AS m2 FROM gap
        WHERE ST_Dimension(g) = 2 AND ST_Area(g::geography) BETWEEN ${noiseM2}::float8 AND ${gapThresholdM2}::float8
      )`;
    const borders = await rows<{ piece: number; parent: string; id: string | null; m2: number; border: number; lon: number; lat: number }>(sql`
      WITH ${smallGaps}
      SELECT s.piece, s.parent, c.id, s.m2, ST_X(ST_PointOnSurface(s.g)) AS lon, ST_Y(ST_PointOnSurface(s.g)) AS lat,
        coalesce(ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(s.g), ST_Boundary(c.geom), ${grid}), 2)::geography), 0) AS border
      FROM small s LEFT JOIN areas c ON c.parent_id = s.parent AND c.id IN (${ids}) AND ST_Intersects(c.geom, s.g)`);
    const best = new Map<number, (typeof borders)[number]>();
    for (const b of borders) {
      const was = best.get(b.piece);
      if (!was || (b.id !== null && (was.id === null || b.border > was.border || (b.border === was.border && bytewise(b.id, was.id) < 0)))) best.set(b.piece, b);
    }
    const given = [...best.values()].filter((b) => b.id !== null).sort((a, b) => a.piece - b.piece);
    for (const b of given) {
      const around = borders.filter((o) => o.piece === b.piece && o.id !== null).map((o) => o.id!).sort(bytewise);
      report.steps.push({ kind: 'gap', areaIds: [b.parent, ...around], keptBy: b.id, m2: b.m2, at: [b.lon, b.lat] });
    }
    if (given.length) {
      // the same pieces again (the tables have not changed since), unioned into their new owner
      const owners = sql.join(given.map((b) => sql`(${b.piece}::int, ${b.id}::text)`), sql`, `);
      await rows(sql`
        WITH ${smallGaps}, won AS (
          SELECT o.id, ST_Union(s.g, ${grid}) AS g FROM small s JOIN (VALUES ${owners}) AS o(piece, id) ON o.piece = s.piece GROUP BY o.id
        )
        UPDATE areas a SET geom = ${polygons(sql`ST_Union(a.geom, won.g, ${grid})`)} FROM won WHERE won.id = a.id`);
    }
  }

  for (const r of await rows<{ id: string; before: number; after: number; changed: number }>(sql`
    SELECT a.id, ST_Area(b.geom::geography) AS before, ST_Area(a.geom::geography) AS after,
      ST_Area(ST_SymDifference(a.geom, b.geom)::geography) AS changed
    FROM areas a JOIN repair_before b ON b.id = a.id`)) {
    if (r.changed < noiseM2 && !madeValid.has(r.id)) continue;
    report.areas.push({
      areaId: r.id, madeValid: madeValid.has(r.id), beforeM2: r.before, afterM2: r.after,
      changedM2: r.changed, changedPct: r.before > 0 ? (100 * r.changed) / r.before : 100,
    });
  }
  report.areas.sort((a, b) => bytewise(a.areaId, b.areaId));
  await rows(sql`DROP TABLE repair_before`);
  return report;
}
