import { sql, type SQL } from 'drizzle-orm';
import type { Feature, Geometry } from 'geojson';
import type { Database } from '../db/client.ts';
import { areaLabelMinZoom, areaMinZoom, tileLayerMinZoom } from '../contract/tiles.ts';
import { areaLevels, type AreaLevel } from '../contract/vocabulary.ts';
import { featureOf, packFeatures, type FeatureRow, type LayerFeatures } from './features.ts';

/**
 * What each tile layer reads: public data only (requests are not in tiles: they change by the
 * second and travel as GeoJSON), each property from its column. `geometry` defaults to the
 * table's `geom`.
 */
const layerColumns = {
  landuse: { table: 'landuse', properties: { class: 'class', name: 'name' } },
  roads: { table: 'roads', properties: { id: 'id', class: 'class', name: 'name' } },
  areas: { table: 'areas', properties: { id: 'id', level: 'level', kind: 'kind', name: 'name', parentId: 'parent_id', colorIndex: 'color_index' } },
  // placed inside the area when its boundary was written (api/geo/labels.ts); any area without one
  // gets a point on its surface. Inside the area, so the area's `geom && box` never misses a label.
  area_labels: {
    table: 'areas', geometry: sql`coalesce(label_point, ST_PointOnSurface(geom))`,
    properties: { id: 'id', level: 'level', kind: 'kind', name: 'name' },
  },
  compounds: { table: 'compounds', properties: { id: 'id', name: 'name' } },
  buildings: { table: 'buildings', properties: { id: 'id', number: 'number', floors: 'floors', units: 'units', use: 'use', compoundId: 'compound_id' } },
  entrances: { table: 'entrances', properties: { id: 'id', name: 'name', buildingId: 'building_id' } },
  gates: { table: 'gates', properties: { id: 'id', name: 'name', compoundId: 'compound_id' } },
  pois: { table: 'pois', properties: { id: 'id', category: 'category', name: 'name' } },
} satisfies Record<string, { table: string; geometry?: SQL; properties: Record<string, string> }>;

/**
 * A layer's property names in the order jsonb keeps keys (shorter first, then byte order), the
 * order the tiles were written in when the properties came as one jsonb_build_object: read
 * from their columns (half the time of the block's largest query), they are set in that order.
 */
const propertyOrder = (layer: TileLayer) => propertyOrders[layer];
const propertyOrders = Object.fromEntries(Object.entries(layerColumns).map(([layer, { properties }]) => [layer,
  Object.keys(properties).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))])) as Record<TileLayer, string[]>;

export type TileLayer = keyof typeof layerColumns;
/** Layers of large features, most of which cross a tile's edge (the others' are mostly inside a tile). */
export const wideLayers: ReadonlySet<string> = new Set(['areas', 'roads', 'landuse', 'compounds']);
/** The tile layers, in the order a tile carries them. */
export const tileLayers = Object.keys(layerColumns) as TileLayer[];

/** The levels of areas (or of their labels) a layer draws at a zoom; null: the layer has no levels. */
export function levelMinZoom(layer: TileLayer): Partial<Record<AreaLevel, number>> | null {
  return layer === 'areas' ? areaMinZoom : layer === 'area_labels' ? areaLabelMinZoom : null;
}

/** A box of the map in degrees: west, south, east, north. */
export type Box = [number, number, number, number];

/**
 * The SQL of one layer's features touching `box`: GeoJSON text (`g`), bounding box, and each
 * property in a column of its own (p0, p1, … in propertyOrder), or `json`: all of them as one jsonb
 * (`p`, the way they were read before, kept for the tiles test's reference).
 */
export function layerQuery(layer: TileLayer, box: Box, zmax: number, { json = false } = {}): SQL {
  const { table, properties, geometry = sql`geom` } = layerColumns[layer] as { table: string; properties: Record<string, string>; geometry?: SQL };
  const envelope = sql`ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)`;
  const byLevel = levelMinZoom(layer);
  const levels = byLevel && areaLevels.filter((level) => (byLevel[level] ?? 0) <= zmax);
  const keys = propertyOrder(layer);
  const columns = json
    ? sql`jsonb_build_object(${sql.join(keys.map((key) => sql`${key}::text, ${sql.identifier(properties[key])}`), sql`, `)}) AS p`
    : sql.join(keys.map((key, i) => sql`${sql.identifier(properties[key])} AS ${sql.identifier(`p${i}`)}`), sql`, `);
  const selected = json ? sql`p` : sql.join(keys.map((_, i) => sql.identifier(`p${i}`)), sql`, `);
  return sql`
    SELECT id, ST_AsGeoJSON(g, 7) AS g, ${selected}, ST_XMin(g) AS w, ST_YMin(g) AS s, ST_XMax(g) AS e, ST_YMax(g) AS n
    FROM (SELECT id, ${geometry} AS g, ${columns} FROM ${sql.identifier(table)}
      WHERE geom && ${envelope}${levels ? sql` AND level IN (${sql.join(levels.map((l) => sql`${l}`), sql`, `)})` : sql``}) f
    WHERE g && ${envelope}`;
}

export type LayerRow = { id: string; g: string; p?: unknown; w: number; s: number; e: number; n: number } & Record<string, unknown>;

/** A row of layerQuery as a feature: its GeoJSON parsed, its properties in jsonb's order, its numeric id. */
export function featureRow(layer: TileLayer, r: LayerRow): FeatureRow {
  let properties: Record<string, unknown>;
  if ('p' in r) properties = typeof r.p === 'string' ? JSON.parse(r.p) : (r.p as Record<string, unknown>);
  else {
    properties = {};
    propertyOrder(layer).forEach((key, i) => { properties[key] = r[`p${i}`]; });
  }
  return { id: featureId(layer, r.id), geometry: JSON.parse(r.g), properties, box: [Number(r.w), Number(r.s), Number(r.e), Number(r.n)] };
}

/**
 * layerQuery's rows as one JSON text, in their order: `[[geometry, [id, w, s, e, n, p0, p1, …]], …]`.
 * One value, not a row per feature: the thread that runs the query (the API's) reads one text where
 * postgres.js parsed ten columns of 7,000 rows (half the main thread's time of a z12 block read), and
 * hands it whole to the worker that cuts the block (workers.ts), which parses it (parseLayer).
 */
export function layerTextQuery(layer: TileLayer, box: Box, zmax: number): SQL {
  const values = sql.join(['id', 'w', 's', 'e', 'n', ...propertyOrder(layer).map((_, i) => `p${i}`)].map((c) => sql.identifier(c)), sql`, `);
  return sql`SELECT coalesce('[' || string_agg('[' || g || ',' || json_build_array(${values})::text || ']', ',') || ']', '[]') AS features
    FROM (${layerQuery(layer, box, zmax)}) f`;
}

/**
 * The features of one layer touching `box` that some tile up to zoom `zmax` draws, as one JSON
 * text (layerTextQuery). `geom && box` keeps the query on the table's GiST index; it answers a few
 * features more than the box holds (their bounding box touches it), which the clipping drops.
 */
export async function readLayerText(database: Database, layer: TileLayer, box: Box, zmax: number): Promise<string> {
  const [row] = await database.rows<{ features: string }>(layerTextQuery(layer, box, zmax));
  return row.features;
}

/** A layer's features from readLayerText's JSON, packed (features.ts): what featureRow makes of the same rows. */
export function parseLayer(layer: TileLayer, text: string): LayerFeatures {
  const keys = propertyOrder(layer);
  const features = JSON.parse(text) as [Geometry, [string, number, number, number, number, ...unknown[]]][];
  return packFeatures(features.map(([geometry, [id, w, s, e, n, ...values]]) => {
    const properties: Record<string, unknown> = {};
    keys.forEach((key, i) => { properties[key] = values[i]; });
    return { id: featureId(layer, id), geometry, properties, box: [w, s, e, n] };
  }));
}

/** The features whose bounding box touches `box`, as GeoJSON (in geojson-vt's unit square). */
export function featuresIn(layer: LayerFeatures, box: Box): Feature[] {
  const { inside, across } = featuresAt(layer, box, box);
  return inside.map((i) => featureOf(layer, i)).concat(across);
}

/** The features whose bounding box touches `box`: the numbers of those inside `inner` (within `box`), and the others as GeoJSON. */
export function featuresAt(layer: LayerFeatures, [w, s, e, n]: Box, [iw, is, ie, inn]: Box) {
  const { boxes, ids } = layer;
  const inside: number[] = [];
  const across: Feature[] = [];
  for (let i = 0; i < ids.length; i++) {
    const fw = boxes[i * 4], fs = boxes[i * 4 + 1], fe = boxes[i * 4 + 2], fn = boxes[i * 4 + 3];
    if (fw > e || fe < w || fs > n || fn < s) continue;
    if (fw >= iw && fe <= ie && fs >= is && fn <= inn) inside.push(i);
    else across.push(featureOf(layer, i));
  }
  return { inside, across };
}

/** Whether any tile up to zoom `zmax` has the layer: entrances and gates from z17, past the tiles' z16. */
export const layerNeeded = (layer: TileLayer, zmax: number) => (tileLayerMinZoom[layer] ?? 0) <= zmax;

/**
 * A feature's numeric id in the tiles, the same in every block, process and reload: a 53-bit hash
 * (cyrb53) of its layer and row id. The map keys features by their `id` property (promoteId);
 * the numeric id only has to be stable (geojson-vt's generateId numbered features by their place
 * in one query's answer, which a block's query does not share).
 */
export function featureId(layer: string, id: string): number {
  const text = `${layer}:${id}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
