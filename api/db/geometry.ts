import { customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Geometry } from 'geojson';

/**
 * PostGIS geometry columns with their type and SRID, written from GeoJSON.
 * Drizzle's built-in `geometry()` is points only and drops the SRID, so we declare our own.
 * The casing `geometry(MultiPolygon,4326)` matches what PostgreSQL reports, which keeps
 * `drizzle-kit generate` idempotent.
 * Reads go through `ST_AsGeoJSON` in the query (see api/db/queries); a plain select would
 * hand back hex EWKB, which we refuse loudly rather than mis-type.
 */
function geometryColumn<T extends Geometry>(type: T['type']) {
  return customType<{ data: T; driverData: string }>({
    dataType: () => `geometry(${type},4326)`,
    toDriver: (value) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(value)}), 4326)`,
    fromDriver: (value) => {
      if (typeof value === 'string' && value.startsWith('{')) return JSON.parse(value) as T;
      throw new Error('geometry columns must be selected with ST_AsGeoJSON(...)');
    },
  });
}

export const point = geometryColumn<GeoJSON.Point>('Point');
export const multiPolygon = geometryColumn<GeoJSON.MultiPolygon>('MultiPolygon');
export const lineString = geometryColumn<GeoJSON.LineString>('LineString');
