import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { sql, type SQL } from 'drizzle-orm';
import type { Feature } from 'geojson';
import type { Database } from '../db/client.ts';
import { areaLabelMinZoom, areaMinZoom, tileLayerMinZoom } from '../contract/tiles.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';

/**
 * Vector tiles cut in JavaScript (geojson-vt → vt-pbf), so they work the same on PGlite, whose
 * PostGIS lacks ST_AsMVT (built without protobuf-c), and on native PostGIS. The layers are
 * public data only; requests are not in tiles (they change by the second and travel as GeoJSON).
 */
export const layerQueries: Record<string, SQL> = {
  landuse: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('class', class, 'name', name) AS p FROM landuse`,
  roads: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'class', class, 'name', name) AS p FROM roads`,
  areas: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'level', level, 'kind', kind,
    'name', name, 'parentId', parent_id, 'colorIndex', color_index) AS p FROM areas`,
  // placed when the boundary was written (api/geo/labels.ts); any area without one gets a point on its surface
  area_labels: sql`SELECT id, ST_AsGeoJSON(coalesce(label_point, ST_PointOnSurface(geom)), 7) AS g,
    jsonb_build_object('id', id, 'level', level, 'kind', kind, 'name', name) AS p FROM areas`,
  compounds: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'name', name) AS p FROM compounds`,
  buildings: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'number', number, 'floors', floors,
    'units', units, 'use', use, 'compoundId', compound_id) AS p FROM buildings`,
  entrances: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'name', name, 'buildingId', building_id) AS p FROM entrances`,
  gates: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'name', name, 'compoundId', compound_id) AS p FROM gates`,
  pois: sql`SELECT id, ST_AsGeoJSON(geom, 7) AS g, jsonb_build_object('id', id, 'category', category, 'name', name) AS p FROM pois`,
};

export const maxZoom = 16; // deeper zooms overzoom z16 in the browser
const cacheSize = 4096; // tiles
const empty = new Uint8Array(0);

export class TileIndex {
  private layers = new Map<string, GeoJSONVT>();
  private cache = new Map<string, Uint8Array>();
  bounds: [number, number, number, number] = [-180, -85, 180, 85];
  /** The name of the one area at the top (a county, or a street office's own street), or null: the map's title */
  place: string | null = null;

  static async build(database: Database): Promise<TileIndex> {
    const index = new TileIndex();
    await index.reload(database);
    return index;
  }

  /** Re-reads every layer: call after the data behind the tiles changed. */
  async reload(database: Database): Promise<void> {
    const layers = new Map<string, GeoJSONVT>();
    for (const [name, query] of Object.entries(layerQueries)) {
      const rows = await database.rows<{ id: string; g: string; p: unknown }>(query);
      const features: Feature[] = rows.map((r) => ({
        type: 'Feature',
        geometry: JSON.parse(r.g),
        properties: typeof r.p === 'string' ? JSON.parse(r.p) : (r.p as object),
      }));
      layers.set(name, new GeoJSONVT({ type: 'FeatureCollection', features } as any, {
        maxZoom, indexMaxZoom: 5, tolerance: 2, extent: 4096, buffer: 64,
        // numeric feature ids let MapLibre use feature-state; the string id stays a property
        generateId: true,
      }));
    }
    const [b] = await database.rows<{ w: number; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n
      FROM (SELECT ST_Extent(geom)::geometry AS e FROM areas) x`);
    if (b?.w != null) this.bounds = [b.w, b.s, b.e, b.n].map(Number) as [number, number, number, number];
    const tops = await database.rows<{ name: string }>(sql`SELECT name FROM areas WHERE parent_id IS NULL LIMIT 2`);
    this.place = tops.length === 1 ? tops[0].name : null;
    this.layers = layers;
    this.cache.clear();
  }

  /** The encoded tile, or an empty array when no layer has anything there. */
  getTile(z: number, x: number, y: number): Uint8Array {
    const key = `${z}/${x}/${y}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const tiles: Record<string, any> = {};
    for (const [name, layer] of this.layers) {
      if (z < (tileLayerMinZoom[name] ?? 0)) continue; // no style draws it this far out
      const tile = layer.getTile(z, x, y);
      if (!tile) continue;
      const byLevel = name === 'areas' ? areaMinZoom : name === 'area_labels' ? areaLabelMinZoom : null;
      const features = byLevel ? tile.features.filter((f) => z >= (byLevel[f.tags?.level as AreaLevel] ?? 0)) : tile.features;
      if (features.length) tiles[name] = features === tile.features ? tile : { ...tile, features };
    }
    const encoded = Object.keys(tiles).length ? fromGeojsonVt(tiles, { version: 2, extent: 4096 }) : empty;
    if (this.cache.size >= cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, encoded);
    return encoded;
  }
}
