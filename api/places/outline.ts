import { sql } from 'drizzle-orm';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Database } from '../db/client.ts';
import { checkManagedArea } from '../admin/scope.ts';
import { reshapableLevels } from '../contract/place-edits.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';
import type { StaffUser } from '../contract/wire.ts';
import { formatIssue, validateGeoJSON } from '../geo/geojson.ts';
import { importAreas, type ImportProblem } from '../import/areas.ts';
import { ApiError } from '../errors.ts';
import { within } from './edit.ts';

// Reshaping an area's outline on the map (issue 8 §2, docs/editing.md). A shared border moves on both
// sides: the new outline wins, so each sibling
//   - loses what the new outline now covers of it (sibling − new), and
//   - gains each piece the area gave up (old − new) that lies along its border — a piece touching
//     several siblings goes to the one with the longest border with it.
// A piece given up along the parent's own edge has no taker: it stays a gap and is refused. The area
// and the siblings that changed then go through the import itself (api/import/areas.ts: valid
// polygons, children tile the parent, no overlap, requests and care households re-assigned), inside
// this transaction: a refusal writes nothing.

const refused = (problems: ImportProblem[], warnings: ImportProblem[] = []) =>
  new ApiError('outline_problems', `${problems.length} problem(s) with the new outline; nothing was written`, { problems, warnings });

export async function reshapeArea(database: Database, user: StaffUser, id: string, geometry: unknown) {
  const checked = validateGeoJSON({ type: 'Feature', properties: {}, geometry });
  if (!checked.ok) throw refused(checked.errors.map((e) => ({ kind: 'geojson', areaIds: [id], path: e.path, message: formatIssue(e) })));
  const shape = geometry as Polygon | MultiPolygon;
  if (shape?.type !== 'Polygon' && shape?.type !== 'MultiPolygon') {
    throw new ApiError('layer_bad_geometry', `an outline is a Polygon or MultiPolygon, found ${(shape as { type?: string } | null)?.type ?? 'none'}`, { field: 'geometry' });
  }
  const [area] = await database.rows<{ name: string; level: AreaLevel; parentId: string | null; kind: string }>(sql`
    SELECT name, level, parent_id AS "parentId", kind FROM areas WHERE id = ${id}`);
  if (!area) throw new ApiError('place_not_found', `no area with id ${id.slice(0, 60)}`, { layer: 'areas', id: id.slice(0, 60) });
  if (!(reshapableLevels as readonly string[]).includes(area.level) || !area.parentId) {
    throw new ApiError('outline_not_editable', `${id} is a ${area.level}: only ${reshapableLevels.join(', ')} outlines are reshaped on the map`, { allowed: [...reshapableLevels] });
  }
  // its siblings change with it: the editor must manage the parent (a secretary reshapes the grids of
  // their community, not the community itself, whose neighbours are other secretaries')
  await checkManagedArea(database, user, area.parentId, 'id');
  const json = JSON.stringify(shape);

  return database.db.transaction(async (tx) => {
    const t = within(database, tx);
    // the family, locked: a reshape of a neighbour at the same moment waits for this one
    await t.rows(sql`SELECT id FROM areas WHERE parent_id = ${area.parentId} AND level = ${area.level} ORDER BY id FOR UPDATE`);
    const [valid] = await t.rows<{ reason: string | null; lon: number | null; lat: number | null }>(sql`
      SELECT (d).reason, ST_X((d).location) AS lon, ST_Y((d).location) AS lat
      FROM (SELECT ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON(${json}), 4326)) AS d) x WHERE NOT (d).valid`);
    // the overlay below would stumble on an invalid ring (GEOS topology error): said as the import says it
    if (valid) {
      throw refused([{ kind: 'invalid', areaIds: [id], at: valid.lon === null ? undefined : [valid.lon, valid.lat!],
        message: `${id}: the boundary is not a valid polygon: ${valid.reason} — redraw it there` }]);
    }
    const neighbours = await t.rows<{ id: string; name: string; kind: string; before: string; after: string }>(sql`
      WITH new AS (SELECT ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${json}), 4326))) AS g),
      freed AS (
        SELECT row_number() OVER () AS n, d.geom AS piece
        FROM areas a CROSS JOIN new CROSS JOIN LATERAL ST_Dump(ST_Difference(a.geom, new.g)) d
        WHERE a.id = ${id} AND ST_Dimension(d.geom) = 2),
      sibling AS (SELECT s.id, s.name, s.kind, s.geom FROM areas s WHERE s.parent_id = ${area.parentId} AND s.level = ${area.level} AND s.id <> ${id}),
      -- the border each sibling shares with a piece, measured within ~1 mm (1e-8°) so that a border
      -- drawn with other vertices, or left a hair off by an earlier overlay, still counts; a corner does not
      claimed AS (
        SELECT DISTINCT ON (f.n) f.n, f.piece, s.id
        FROM freed f JOIN sibling s ON s.geom && ST_Expand(f.piece, 1e-8)
        CROSS JOIN LATERAL (SELECT ST_Length(ST_Intersection(ST_Boundary(s.geom), ST_Buffer(ST_Boundary(f.piece), 1e-8))) AS shared) b
        WHERE b.shared > 1e-6
        ORDER BY f.n, b.shared DESC, s.id)
      SELECT s.id, s.name, s.kind, ST_AsGeoJSON(s.geom, 15) AS before,
        ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Union(
          ARRAY[ST_Difference(s.geom, new.g)] || ARRAY(SELECT c.piece FROM claimed c WHERE c.id = s.id)), 3)), 15) AS after
      FROM sibling s CROSS JOIN new
      WHERE (s.geom && new.g AND ST_Relate(s.geom, new.g, '2********')) OR s.id IN (SELECT c.id FROM claimed c)
      ORDER BY s.id`);
    const [before] = await t.rows<{ geometry: string }>(sql`SELECT ST_AsGeoJSON(geom, 15) AS geometry FROM areas WHERE id = ${id}`);

    const feature = (fid: string, name: string, kind: string, g: unknown): Feature =>
      ({ type: 'Feature', geometry: g as Polygon, properties: { id: fid, level: area.level, name, parentId: area.parentId, kind } });
    const report = await importAreas(t, {
      type: 'FeatureCollection',
      features: [feature(id, area.name, area.kind, shape), ...neighbours.map((n) => feature(n.id, n.name, n.kind, JSON.parse(n.after)))],
    }, { crs: 'wgs84' });
    if (!report.ok) throw refused(report.errors, report.warnings);

    await t.db.execute(sql`INSERT INTO admin_events (actor, action, subject, note, detail)
      VALUES (${user.username || user.staffId}, 'area_reshaped', ${id},
        ${`${neighbours.length ? `with ${neighbours.map((n) => n.id).join(', ')}; ` : ''}${report.requestsMoved} request(s), ${report.householdsMoved ?? 0} household(s) re-assigned`},
        ${JSON.stringify({
          before: JSON.parse(before.geometry), after: shape,
          neighbours: neighbours.map((n) => ({ id: n.id, before: JSON.parse(n.before), after: JSON.parse(n.after) })),
        })}::jsonb)`);
    return {
      id, changed: [id, ...neighbours.map((n) => n.id)],
      requestsMoved: report.requestsMoved, householdsMoved: report.householdsMoved ?? 0,
      moves: report.moves.slice(0, 200), warnings: report.warnings,
    };
  });
}
