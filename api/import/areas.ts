import { sql, type SQL } from 'drizzle-orm';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { dataChangedChannel, rowsOf, seenThrough, type Database, type Db } from '../db/client.ts';
import { AreaIndex, type AreaAssignment } from '../geo/area-index.ts';
import { areaLevels as levels, topLevels, type AreaLevel as Level } from '../contract/vocabulary.ts';
import { colourSiblings } from '../geo/colour.ts';
import { placeAreaLabels } from '../geo/labels.ts';
import { toWgs84, type InputCrs } from '../geo/crs.ts';
import { formatIssue, validateGeoJSON } from '../geo/geojson.ts';
import { repairAreas, type RepairReport } from './repair.ts';

const kinds = ['regular', 'school', 'hospital', 'market', 'enterprise'] as const;
const sliverM2 = 1; // m²: gaps and overlaps smaller than this are drawing noise: warned, not refused
const noiseM2 = 1e-4; // m²: floating-point residue where shared edges match exactly: not reported

export interface ImportOptions {
  crs: InputCrs;
  /** check everything, count the requests that would move, then roll back */
  dryRun?: boolean;
  /** make the boundaries valid and tile their parents before checking them (api/import/repair.ts) */
  repair?: boolean;
  /** with repair: gaps inside a parent smaller than this (m²) are closed; default 50 */
  gapThresholdM2?: number;
  /** which property feeds which field, for files without our names: { id: 'adcode', parentId: 'parent' };
   *  a dotted name reaches inside an object ('parent.adcode'); an object value gives its adcode or id */
  map?: Partial<Record<MappedField, string>>;
  /** the level of every feature that has none */
  level?: Level;
  /** the parent of every feature that has none */
  parentId?: string;
  /** a secretary's community (an area id): only areas below it, inside it, may be imported */
  scope?: string;
}

export const mappedFields = ['id', 'level', 'name', 'parentId', 'kind'] as const;
export type MappedField = (typeof mappedFields)[number];

/**
 * `id=adcode,name=name,parentId=parent` → { id: 'adcode', … }: which of the file's properties feeds
 * which field (the command line's --map, the console's 列对应). Throws a message naming the fields.
 */
export function parseAreaMap(text: string): Partial<Record<MappedField, string>> {
  const map: Partial<Record<MappedField, string>> = {};
  for (const pair of text.split(',').filter((p) => p.trim())) {
    const [field, column] = pair.split('=').map((x) => x.trim());
    if (!mappedFields.includes(field as MappedField) || !column) {
      throw new Error(`--map takes field=column pairs, fields ${mappedFields.join(', ')}; found "${pair.trim().slice(0, 60)}"`);
    }
    map[field as MappedField] = column;
  }
  return map;
}

/** Something wrong (error) or worth a look (warning), with where to find it. */
export interface ImportProblem {
  kind: 'geojson' | 'property' | 'invalid' | 'gap' | 'overlap' | 'outside' | 'scope';
  areaIds: string[];
  message: string;
  /** JSON path in the imported file, for file-level problems */
  path?: string;
  /** size on the ground, m² (geography) */
  areaM2?: number;
  /** a WGS84 [lon, lat] inside the problem, to zoom to */
  at?: [number, number];
}

export interface RequestMove {
  ticket: string;
  from: AreaAssignment;
  to: AreaAssignment;
}

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  crs: InputCrs;
  features: number;
  inserted: string[];
  updated: string[];
  errors: ImportProblem[];
  warnings: ImportProblem[];
  requestsMoved: number;
  moves: RequestMove[];
  /** care households whose areas changed with the boundaries (by their building's point, as when filed) */
  householdsMoved?: number;
  /** buildings whose grid changed with the boundaries (visit coverage, by their point on surface) */
  buildingsMoved?: number;
  /** with repair: what changed, per area and per sliver */
  repair?: RepairReport;
}

interface Incoming {
  index: number;
  id: string;
  level: Level;
  name: string;
  parentId: string | null;
  kind: (typeof kinds)[number] | null;
  geometry: Polygon | MultiPolygon;
}

/** Thrown inside the transaction to roll it back; carries the report out. */
class Refused extends Error {}

/**
 * Loads street, community, grid and micro-grid boundaries drawn in other tools:
 * validate the GeoJSON → convert to WGS84 → check the properties → in one transaction, upsert
 * and check the polygons and the tiling in PostGIS → re-colour → re-assign the requests.
 * Any error rolls everything back; the report lists every problem found.
 */
export async function importAreas(database: Database, collection: unknown, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    ok: false, dryRun: !!options.dryRun, crs: options.crs, features: 0,
    inserted: [], updated: [], errors: [], warnings: [], requestsMoved: 0, moves: [],
  };

  const checked = validateGeoJSON(collection);
  for (const w of checked.warnings) report.warnings.push({ kind: 'geojson', areaIds: [], path: w.path, message: formatIssue(w) });
  if (!checked.ok) {
    for (const e of checked.errors) report.errors.push({ kind: 'geojson', areaIds: [], path: e.path, message: formatIssue(e) });
    return report;
  }
  const value = checked.value;
  if (value.type !== 'FeatureCollection') {
    report.errors.push({ kind: 'geojson', areaIds: [], path: 'type', message: `expected a FeatureCollection of area boundaries, found a ${value.type}` });
    return report;
  }
  report.features = value.features.length;

  try {
    await database.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const rows = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));
      const existing = new Map((await rows<{ id: string; level: Level; parent_id: string | null }>(sql`
        SELECT id, level, parent_id FROM areas`)).map((r) => [r.id, r]));

      const incoming = readFeatures(value.features, options, existing, report.errors);
      if (options.scope) checkScope(incoming, existing, options.scope, report.errors);
      if (report.errors.length) throw new Refused();

      // parents first: parent_id is a foreign key, checked row by row
      incoming.sort((a, b) => levels.indexOf(a.level) - levels.indexOf(b.level));
      for (const area of incoming) (existing.has(area.id) ? report.updated : report.inserted).push(area.id);
      for (let i = 0; i < incoming.length; i += 500) await upsert(db, incoming.slice(i, i + 500));
      if (options.repair) report.repair = await repairAreas(rows, incoming, { gapThresholdM2: options.gapThresholdM2 });

      const ids = sql.join(incoming.map((a) => sql`${a.id}`), sql`, `);
      for (const r of await rows<{ id: string; reason: string; lon: number | null; lat: number | null }>(sql`
        SELECT id, (d).reason, ST_X((d).location) AS lon, ST_Y((d).location) AS lat
        FROM (SELECT id, ST_IsValidDetail(geom) AS d FROM areas WHERE id IN (${ids})) x WHERE NOT (d).valid ORDER BY id`)) {
        report.errors.push({
          kind: 'invalid', areaIds: [r.id], at: r.lon === null ? undefined : [r.lon, r.lat!],
          message: `${r.id}: the boundary is not a valid polygon: ${r.reason}${r.lon === null ? '' : ` at ${r.lon.toFixed(6)}, ${r.lat!.toFixed(6)}`} — redraw it there`,
        });
      }
      // the tiling checks below would stumble on invalid polygons (GEOS topology errors)
      if (report.errors.length) throw new Refused();

      const parents = new Set<string>();
      for (const a of incoming) {
        parents.add(a.id);
        if (a.parentId) parents.add(a.parentId);
        const before = existing.get(a.id)?.parent_id;
        if (before) parents.add(before);
      }
      await checkTiling(rows, [...parents], incoming.map((a) => a.id), report);
      if (report.errors.length) throw new Refused();

      await colourSiblings(db);
      await placeAreaLabels(db, incoming.map((a) => a.id));
      await reassignRequests(seenThrough(database, db, rows as Database['rows']), report);
      report.householdsMoved = await reassignHouseholds(rows);
      report.buildingsMoved = await reassignBuildings(rows, incoming.map((a) => a.id));
      report.ok = true;
      if (options.dryRun) throw new Refused();
      // delivered on commit: running servers re-cut their tiles (api/server.ts)
      await db.execute(sql`SELECT pg_notify(${dataChangedChannel}, 'areas')`);
    });
  } catch (error) {
    if (!(error instanceof Refused)) {
      if (report.errors.length || !isDatabaseError(error)) throw error;
      report.errors.push({ kind: 'invalid', areaIds: [], message: `PostGIS could not check the boundaries: ${databaseMessage(error)}` });
    }
  }
  if (!report.ok) { report.inserted = []; report.updated = []; report.requestsMoved = 0; report.moves = []; report.householdsMoved = 0; report.buildingsMoved = 0; }
  return report;
}

function readFeatures(features: Feature[], options: ImportOptions, existing: Map<string, { level: Level }>, errors: ImportProblem[]): Incoming[] {
  const out: Incoming[] = [];
  const seen = new Map<string, number>();
  features.forEach((f, index) => {
    const at = `features[${index}]`;
    const p = mapped((f.properties ?? {}) as Record<string, unknown>, options);
    const problem = (member: string, message: string, id?: string) =>
      errors.push({ kind: 'property', areaIds: id ? [id] : [], path: member ? `${at}.properties.${member}` : at, message: `${member ? `${at}.properties.${member}` : at}: ${message}` });
    const id = typeof p.id === 'string' ? p.id.trim() : typeof p.id === 'number' ? String(p.id) : '';
    if (!id) return problem('id', 'every area needs an "id" (its stable code, e.g. MS-XSL-G01)');
    if (seen.has(id)) return problem('id', `"${id}" is used twice in this file, also by features[${seen.get(id)}]`, id);
    seen.set(id, index);
    const level = p.level as Level;
    if (!levels.includes(level)) problem('level', `"level" must be one of ${levels.join(', ')}, found ${JSON.stringify(p.level ?? null)}`, id);
    const name = typeof p.name === 'string' ? p.name.trim() : '';
    if (!name) problem('name', `${id} needs a "name" (the name shown on the map)`, id);
    if (p.kind !== undefined && p.kind !== null && !kinds.includes(p.kind as any)) problem('kind', `"kind" must be one of ${kinds.join(', ')}, found ${JSON.stringify(p.kind)}`, id);
    const parentId = p.parentId === undefined || p.parentId === null || p.parentId === '' ? null : String(p.parentId);
    const before = existing.get(id);
    if (before && levels.includes(level) && before.level !== level) problem('level', `${id} is a ${before.level} already; an import cannot make it a ${level} (its children and requests would no longer nest)`, id);
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      problem('', `${id}: an area boundary must be a Polygon or MultiPolygon, found ${g ? g.type : 'no geometry (null)'}`, id);
      return;
    }
    if (g.coordinates.length === 0 || (g.type === 'MultiPolygon' && g.coordinates.some((poly) => poly.length === 0))) {
      problem('', `${id}: the ${g.type} is empty: draw the boundary`, id);
      return;
    }
    out.push({ index, id, level, name, parentId, kind: (p.kind as Incoming['kind']) ?? null, geometry: toWgs84(g, options.crs) });
  });

  // parents: in the file or in the database, one level up
  const byId = new Map(out.map((a) => [a.id, a]));
  for (const a of out) {
    if (!levels.includes(a.level)) continue;
    const at = `features[${a.index}].properties.parentId`;
    const depth = levels.indexOf(a.level);
    const problem = (message: string) => errors.push({ kind: 'property', areaIds: [a.id], path: at, message: `${at}: ${message}` });
    if (depth === 0) {
      if (a.parentId) problem(`${a.id} is a district, the top level: it has no parent (found "${a.parentId}")`);
      continue;
    }
    const wanted = levels[depth - 1];
    if (!a.parentId) {
      // a street may stand alone (an office's own installation) or sit in a district
      if (!(topLevels as readonly Level[]).includes(a.level)) problem(`${a.id} is a ${a.level} and needs a "parentId": the id of its ${wanted}`);
      continue;
    }
    const parentLevel = byId.get(a.parentId)?.level ?? existing.get(a.parentId)?.level;
    if (!parentLevel) problem(`${a.id}'s parent "${a.parentId}" is neither in this file nor in the database: import the ${wanted} first, or check the id`);
    else if (parentLevel !== wanted) problem(`${a.id} is a ${a.level}, so its parent must be a ${wanted}, but "${a.parentId}" is a ${parentLevel}`);
  }
  return out;
}

/**
 * A secretary's import: every area lies below their community — its parents, in the file or the
 * database, lead up to it — and so did every stored area it re-draws. That each lies inside its
 * parent on the ground is the tiling check's (outside).
 */
function checkScope(incoming: Incoming[], existing: Map<string, { level: Level; parent_id: string | null }>, scope: string, errors: ImportProblem[]) {
  const byId = new Map(incoming.map((a) => [a.id, a]));
  const below = (id: string | null, parentOf: (id: string) => string | null | undefined) => {
    for (let at = id, steps = 0; at && steps <= levels.length; at = parentOf(at) ?? null, steps++) if (at === scope) return true;
    return false;
  };
  for (const a of incoming) {
    const fromFile = below(a.parentId, (id) => byId.get(id)?.parentId ?? existing.get(id)?.parent_id);
    const stored = existing.get(a.id);
    const wasBelow = !stored || below(stored.parent_id, (id) => existing.get(id)?.parent_id);
    if (!fromFile || !wasBelow) {
      errors.push({
        kind: 'scope', areaIds: [a.id], path: `features[${a.index}]`,
        message: `features[${a.index}]: ${a.id} ${wasBelow ? 'is not' : 'is stored'} ${wasBelow ? 'below' : 'outside'} your community ${scope}: a secretary imports the grids and micro-grids of their own community`,
      });
    }
  }
}

/** our field names read from the file's own (--map), then --level and --parent where a feature has none */
function mapped(properties: Record<string, unknown>, options: ImportOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...properties };
  for (const field of mappedFields) {
    const column = options.map?.[field];
    if (!column) continue;
    let v: unknown = column.split('.').reduce<unknown>((o, key) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), properties);
    if (v !== null && typeof v === 'object') v = (v as Record<string, unknown>).adcode ?? (v as Record<string, unknown>).id; // DataV: parent: { adcode }
    out[field] = v;
  }
  if (options.level && (out.level === undefined || out.level === null || out.level === '')) out.level = options.level;
  if (options.parentId && (out.parentId === undefined || out.parentId === null || out.parentId === '')) out.parentId = options.parentId;
  return out;
}

async function upsert(db: Db, areas: Incoming[]) {
  // without a "kind", an existing area keeps its own and a new one is 'regular'
  const values = areas.map((a) => sql`(${a.id}, ${a.level}, ${a.kind}::text, ${a.name}, ${a.parentId}::text,
    ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(a.geometry)}), 4326))))`);
  await db.execute(sql`
    INSERT INTO areas (id, level, kind, name, parent_id, geom)
    SELECT v.id, v.level, coalesce(v.kind, (SELECT a.kind FROM areas a WHERE a.id = v.id), 'regular'), v.name, v.parent_id, v.geom
    FROM (VALUES ${sql.join(values, sql`, `)}) AS v(id, level, kind, name, parent_id, geom)
    ON CONFLICT (id) DO UPDATE SET level = EXCLUDED.level, kind = EXCLUDED.kind, name = EXCLUDED.name,
      parent_id = EXCLUDED.parent_id, geom = EXCLUDED.geom`);
}

type Rows = <T>(query: SQL) => Promise<T[]>;

/**
 * Children must tile their parent "without gaps or overlaps" (界限清晰、无缝覆盖), which the
 * assignment rule relies on. Checked for every parent whose tiling this import can have changed.
 */
async function checkTiling(rows: Rows, parentIds: string[], importedIds: string[], report: ImportReport) {
  if (!parentIds.length) return;
  const parents = sql.join(parentIds.map((id) => sql`${id}`), sql`, `);
  const imported = sql.join(importedIds.map((id) => sql`${id}`), sql`, `);
  type Piece = { kind: 'gap' | 'outside' | 'overlap'; ids: string[]; m2: number; lon: number; lat: number };
  // sized on the ground, located, and named by the areas around them; noise dropped. The last row,
  // 'checked', says the statement ran whole: on PGlite (PostGIS 3.6, GEOS 3.14 in WebAssembly) a
  // floating-point overlay that GEOS gives up on can end the statement with no rows and no error
  // (tests/api/county.test.ts met it on valid lattice polygons), which would read as "no gaps".
  const located = (pieces: SQL) => rows<Piece | { kind: 'checked' }>(sql`
    WITH piece AS (${pieces}), sized AS (
      SELECT kind, parent, pair, g, ST_Area(g::geography) AS m2 FROM piece WHERE ST_Dimension(g) = 2
    ), found AS (
      SELECT s.kind, s.m2, ST_X(pt) AS lon, ST_Y(pt) AS lat,
        CASE WHEN s.kind = 'overlap' THEN s.pair
             ELSE ARRAY[s.parent] || ARRAY(SELECT c.id FROM areas c WHERE c.parent_id = s.parent AND ST_Intersects(c.geom, s.g) ORDER BY c.id) END AS ids
      FROM sized s CROSS JOIN LATERAL ST_PointOnSurface(s.g) AS pt
      WHERE s.m2 >= ${noiseM2}::float8
    )
    SELECT * FROM (SELECT kind, m2, lon, lat, ids FROM found UNION ALL SELECT 'checked', 0, 0, 0, ARRAY[]::text[]) x
    ORDER BY kind = 'checked', kind, ids, m2 DESC`);
  /** The pieces, in floating point; where that fails, on the 1e-7° grid the repair uses (≈1 cm); else a refusal. */
  const overlay = async (pieces: (grid: SQL) => SQL) => {
    for (const grid of [sql``, sql`, 1e-7::float8`]) {
      const found = await located(pieces(grid));
      if (found.some((p) => p.kind === 'checked')) return found.filter((p): p is Piece => p.kind !== 'checked');
    }
    report.errors.push({ kind: 'invalid', areaIds: [], message: 'PostGIS could not check how the boundaries tile (a geometry overlay failed even on a 1 cm grid): import with --repair, or on PostgreSQL' });
    return [];
  };
  const pieces = [
    ...await overlay((grid) => sql`
      WITH u AS (
        SELECT p.id, p.geom, ST_Union(c.geom) AS children
        FROM areas p JOIN areas c ON c.parent_id = p.id WHERE p.id IN (${parents}) GROUP BY p.id, p.geom
      )
      SELECT 'gap' AS kind, u.id AS parent, NULL::text[] AS pair, (ST_Dump(ST_Difference(u.geom, u.children${grid}))).geom AS g FROM u
      UNION ALL
      SELECT 'outside', u.id, NULL, (ST_Dump(ST_Difference(u.children, u.geom${grid}))).geom FROM u`),
    ...await overlay((grid) => sql`
      SELECT 'overlap' AS kind, NULL::text AS parent, ARRAY[a.id, b.id] AS pair, (ST_Dump(ST_Intersection(a.geom, b.geom${grid}))).geom AS g
      FROM areas a JOIN areas b ON a.level = b.level AND a.parent_id IS NOT DISTINCT FROM b.parent_id AND a.id < b.id
        AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
      WHERE a.id IN (${imported}) OR b.id IN (${imported})`),
  ];
  for (const p of pieces) {
    const where = `${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}`;
    const size = p.m2 < 10 ? p.m2.toFixed(2) : Math.round(p.m2).toString();
    const [first, ...rest] = p.ids;
    const message = p.kind === 'gap'
      ? `gap of ${size} m² inside ${first} that none of its children covers${rest.length ? ` (between ${rest.join(', ')})` : ''}, at ${where}`
      : p.kind === 'outside'
        ? `${rest.join(', ') || 'a child'} reaches ${size} m² outside its parent ${first}, at ${where}`
        : `${first} and ${rest.join(', ')} overlap by ${size} m², at ${where}: a point there would belong to both`;
    const problem: ImportProblem = { kind: p.kind, areaIds: p.ids, areaM2: p.m2, at: [p.lon, p.lat], message };
    if (p.m2 < sliverM2) report.warnings.push({ ...problem, message: `${message} (a sliver under ${sliverM2} m²: accepted)` });
    else report.errors.push(problem);
  }
}

/** Every request goes through the in-memory assignment rule again; only those that moved are written. */
async function reassignRequests(database: Database, report: ImportReport) {
  const db = database.db;
  const index = await AreaIndex.load(database);
  // Filings wait from here to our commit (their INSERT needs ROW EXCLUSIVE, which this lock
  // excludes), then read the new boundaries: without it, one committed between our read of
  // the requests and our commit keeps the old grid. Filings before the lock are in our read.
  await database.rows(sql`LOCK TABLE requests IN SHARE ROW EXCLUSIVE MODE`);
  const requests = await database.rows<{ id: number; ticket: string; lon: number; lat: number } & Record<'street_id' | 'community_id' | 'grid_id' | 'microgrid_id', string | null>>(sql`
    SELECT id, ticket, ST_X(geom) AS lon, ST_Y(geom) AS lat, street_id, community_id, grid_id, microgrid_id FROM requests ORDER BY id`);
  const moved: { id: number; from: AreaAssignment; to: AreaAssignment }[] = [];
  for (const r of requests) {
    const to = index.assign(r.lon, r.lat);
    const from: AreaAssignment = { streetId: r.street_id, communityId: r.community_id, gridId: r.grid_id, microgridId: r.microgrid_id };
    if (to.streetId === from.streetId && to.communityId === from.communityId && to.gridId === from.gridId && to.microgridId === from.microgridId) continue;
    moved.push({ id: r.id, from, to });
    report.moves.push({ ticket: r.ticket, from, to });
  }
  report.requestsMoved = moved.length;
  const smallest = (a: AreaAssignment) => a.microgridId ?? a.gridId ?? a.communityId ?? a.streetId;
  for (let i = 0; i < moved.length; i += 500) {
    const batch = moved.slice(i, i + 500);
    const values = sql.join(batch.map((m) => sql`(${m.id}::int, ${m.to.streetId}::text, ${m.to.communityId}::text,
      ${m.to.gridId}::text, ${m.to.microgridId}::text, ${smallest(m.from)}::text)`), sql`, `);
    await db.execute(sql`
      UPDATE requests r SET street_id = v.s, community_id = v.c, grid_id = v.g, microgrid_id = v.m, updated_at = now()
      FROM (VALUES ${values}) AS v(id, s, c, g, m, was) WHERE r.id = v.id`);
    // the audit trail says why a request changed hands: the areas by name, as data the pages word
    await db.execute(sql`
      INSERT INTO request_events (request_id, actor, action, detail)
      SELECT v.id, 'system', 'reassigned', jsonb_strip_nulls(jsonb_build_object(
        'fromArea', coalesce(fa.name, v.was), 'toArea', coalesce(ta.name, coalesce(v.m, v.g, v.c, v.s))))
      FROM (VALUES ${values}) AS v(id, s, c, g, m, was)
      LEFT JOIN areas fa ON fa.id = v.was
      LEFT JOIN areas ta ON ta.id = coalesce(v.m, v.g, v.c, v.s)`);
  }
}

/** Care households follow their point through the same rule (assign_point) that placed them (api/care/ledger.ts). */
async function reassignHouseholds(rows: Rows): Promise<number> {
  const moved = await rows<{ id: number }>(sql`
    UPDATE care_households h SET street_id = a.street_id, community_id = a.community_id, grid_id = a.grid_id,
      microgrid_id = a.microgrid_id, updated_at = now()
    FROM care_households o CROSS JOIN LATERAL assign_point(o.geom) a
    WHERE h.id = o.id AND (h.street_id, h.community_id, h.grid_id, h.microgrid_id)
      IS DISTINCT FROM (a.street_id, a.community_id, a.grid_id, a.microgrid_id)
    RETURNING h.id`);
  return moved.length;
}

/**
 * Buildings follow their point on surface into the grid that now covers it (visit coverage:
 * api/visits/coverage.ts). Only a building an imported area now overlaps, or whose grid lay in one,
 * can change grid: those are looked at (the GiST index), not the county's every building.
 */
async function reassignBuildings(rows: Rows, imported: string[]): Promise<number> {
  const ids = sql.join(imported.map((id) => sql`${id}`), sql`, `);
  const moved = await rows<{ id: string }>(sql`
    WITH changed AS (SELECT geom FROM areas WHERE id IN (${ids})),
    grids AS (SELECT g.id FROM areas g LEFT JOIN areas c ON c.id = g.parent_id
      WHERE g.level = 'grid' AND (g.id IN (${ids}) OR g.parent_id IN (${ids}) OR c.parent_id IN (${ids}))),
    near AS (
      SELECT b.id, b.geom FROM buildings b JOIN changed ON b.geom && changed.geom
      UNION SELECT b.id, b.geom FROM buildings b WHERE b.grid_id IN (SELECT id FROM grids))
    UPDATE buildings b SET grid_id = a.grid_id
    FROM near CROSS JOIN LATERAL assign_point(ST_PointOnSurface(near.geom)) a
    WHERE b.id = near.id AND b.grid_id IS DISTINCT FROM a.grid_id
    RETURNING b.id`);
  return moved.length;
}

/** the database's own words: drizzle wraps them in a "Failed query: …" error, as its cause */
function databaseMessage(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
}

/** An error the database raised (its message is worth showing), not a bug of ours. */
function isDatabaseError(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown; cause?: { code?: unknown } };
  return typeof e?.code === 'string' || typeof e?.severity === 'string' || typeof e?.cause?.code === 'string';
}
