import { sql, type SQL } from 'drizzle-orm';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { dataChangedChannel, rowsOf, seenThrough, type Database, type Db } from '../db/client.ts';
import { installationAdmin } from '../auth/session.ts';
import { inManagedAreas } from '../admin/scope.ts';
import { reshapableLevels, type BuildingChange, type MovableLayer } from '../contract/place-edits.ts';
import type { StaffUser } from '../contract/wire.ts';
import { checkPlaceGeometry, checkPlaceValue } from '../import/layers.ts';
import { ApiError, forbidden } from '../errors.ts';

// Editing places on the map in the console (issue 8 §2, docs/editing.md): move a service point, gate
// or entrance; change a building's number or units. Each change: checked by the import's own rules
// (api/import/layers.ts), inside the editor's area before and after, written with its audit line
// (who, what, before and after) in one transaction, then announced so servers re-cut their tiles.
// Outlines of areas are api/places/outline.ts.

/** A WHERE fragment: `geom` lies inside the user's own area (everything, for the installation administrator). */
export function inScope(user: StaffUser, geom: SQL): SQL {
  if (installationAdmin(user)) return sql`TRUE`;
  return sql`coalesce(ST_Covers((SELECT a.geom FROM areas a WHERE a.id = ${user.areaId}), ${geom}), false)`;
}

/** A transaction's database: the same helpers, on the transaction. */
export const within = (database: Database, tx: unknown): Database => {
  const db = tx as Db;
  return seenThrough(database, db, async (query) => rowsOf(await db.execute(query)));
};

const actor = (user: StaffUser) => user.username || user.staffId;
const geometryOf = (json: string) => sql`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${json}), 4326))`;

/** Moves a service point, gate or unit entrance to `geometry` (a WGS84 Point). */
export async function movePoint(database: Database, user: StaffUser, layer: MovableLayer, id: string, geometry: unknown) {
  const checked = checkPlaceGeometry(layer, geometry);
  if ('code' in checked) throw new ApiError(checked.code, checked.message, { field: 'geometry' });
  const after = JSON.stringify(checked.geometry);
  const table = sql.identifier(layer);
  return database.db.transaction(async (tx) => {
    const t = within(database, tx);
    const [place] = await t.rows<{ before: string; inside: boolean }>(sql`
      SELECT ST_AsGeoJSON(p.geom) AS before, ${inScope(user, sql`p.geom`)} AND ${inScope(user, geometryOf(after))} AS inside
      FROM ${table} p WHERE p.id = ${id} FOR UPDATE`);
    if (!place) throw new ApiError('place_not_found', `no ${layer} with id ${id.slice(0, 60)}`, { layer, id: id.slice(0, 60) });
    if (!place.inside) throw forbidden(`this ${layer.replace(/s$/, '')}, or where it was moved to,`);
    await t.db.execute(sql`UPDATE ${table} SET geom = ${geometryOf(after)} WHERE id = ${id}`);
    const [lon, lat] = (checked.geometry as GeoJSON.Point).coordinates;
    await t.db.execute(sql`INSERT INTO admin_events (actor, action, subject, note, detail)
      VALUES (${actor(user)}, 'place_moved', ${`${layer}:${id}`}, ${`to ${lon.toFixed(6)}, ${lat.toFixed(6)}`},
        ${JSON.stringify({ before: JSON.parse(place.before), after: checked.geometry })}::jsonb)`);
    // delivered on commit: running servers re-cut their tiles (api/server.ts)
    await t.db.execute(sql`SELECT pg_notify(${dataChangedChannel}, ${layer})`);
    return { layer, id, geometry: checked.geometry };
  });
}

/** Changes a building's number (free text) and/or its number of units, read as the import reads them. */
export async function changeBuilding(database: Database, user: StaffUser, id: string, change: BuildingChange) {
  const values: { number?: string | null; units?: number | null } = {};
  for (const field of ['number', 'units'] as const) {
    if (change[field] === undefined) continue;
    const read = checkPlaceValue(field, change[field]);
    if ('code' in read) throw new ApiError(read.code, read.message, { field });
    values[field] = read.value as never;
  }
  if (!Object.keys(values).length) throw new ApiError('required', 'give the building a number or a number of units', 'number');
  return database.db.transaction(async (tx) => {
    const t = within(database, tx);
    const [building] = await t.rows<{ number: string | null; name: string | null; units: number | null; inside: boolean }>(sql`
      SELECT number, name, units, ${inScope(user, sql`ST_PointOnSurface(b.geom)`)} AS inside FROM buildings b WHERE b.id = ${id} FOR UPDATE`);
    if (!building) throw new ApiError('place_not_found', `no building with id ${id.slice(0, 60)}`, { layer: 'buildings', id: id.slice(0, 60) });
    if (!building.inside) throw forbidden('this building');
    const after = { number: building.number, units: building.units, ...values };
    // the import's rule: a building has a number or a name (api/import/layers.ts layerSpecs)
    if (!after.number && !building.name) throw new ApiError('layer_missing_field', 'a building needs a number (or a name): the number cannot be emptied', { field: 'number' });
    await t.db.execute(sql`UPDATE buildings SET number = ${after.number}, units = ${after.units} WHERE id = ${id}`);
    await t.db.execute(sql`INSERT INTO admin_events (actor, action, subject, note, detail)
      VALUES (${actor(user)}, 'building_changed', ${`buildings:${id}`}, ${`number ${after.number ?? '—'}, ${after.units ?? '—'} units`},
        ${JSON.stringify({ before: { number: building.number, units: building.units }, after })}::jsonb)`);
    await t.db.execute(sql`SELECT pg_notify(${dataChangedChannel}, 'buildings')`);
    return { id, number: after.number, units: after.units };
  });
}

const maxFeatures = 5000; // per layer: a street has a few thousand buildings

/**
 * What the editor may change, for the console's map: the areas it may reshape (editable: the editor
 * manages their parent, since their siblings change with them) and the points and buildings inside
 * its own area. Staff only; no private field (no phones, no residents).
 */
export async function editableMap(database: Database, user: StaffUser) {
  const collection = (rows: { id: string; geometry: string; [key: string]: unknown }[]): FeatureCollection => ({
    type: 'FeatureCollection',
    features: rows.map(({ geometry, ...properties }): Feature => ({ type: 'Feature', id: properties.id, geometry: JSON.parse(geometry) as Geometry, properties })),
  });
  const levels = sql.join(reshapableLevels.map((l) => sql`${l}`), sql`, `);
  const [areas, points, buildings] = await Promise.all([
    database.rows<{ id: string; geometry: string }>(sql`
      SELECT a.id, a.name, a.level, a.parent_id AS "parentId", ${inManagedAreas(user, sql`a.parent_id`)} AS editable, ST_AsGeoJSON(a.geom, 15) AS geometry
      FROM areas a WHERE a.level IN (${levels}) AND ${inManagedAreas(user, sql`a.id`)} ORDER BY a.level, a.id LIMIT ${maxFeatures}`),
    database.rows<{ id: string; geometry: string }>(sql`
      SELECT * FROM (
        (SELECT 'pois' AS layer, p.id, p.name, ST_AsGeoJSON(p.geom) AS geometry FROM pois p WHERE ${inScope(user, sql`p.geom`)} LIMIT ${maxFeatures})
        UNION ALL (SELECT 'gates', g.id, g.name, ST_AsGeoJSON(g.geom) FROM gates g WHERE ${inScope(user, sql`g.geom`)} LIMIT ${maxFeatures})
        UNION ALL (SELECT 'entrances', e.id, e.name, ST_AsGeoJSON(e.geom) FROM entrances e WHERE ${inScope(user, sql`e.geom`)} LIMIT ${maxFeatures})
      ) x ORDER BY layer, id`),
    database.rows<{ id: string; geometry: string }>(sql`
      SELECT b.id, b.number, b.name, b.units, ST_AsGeoJSON(b.geom) AS geometry FROM buildings b
      WHERE ${inScope(user, sql`ST_PointOnSurface(b.geom)`)} ORDER BY b.id LIMIT ${maxFeatures}`),
  ]);
  return { areas: collection(areas), points: collection(points), buildings: collection(buildings) };
}
