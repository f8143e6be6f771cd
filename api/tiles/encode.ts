import type { GeoJSONVTTile } from '@maplibre/geojson-vt';
import { PbfWriter } from 'pbf';

/**
 * geojson-vt's tiles as one Mapbox Vector Tile (spec 2.1), byte for byte as @maplibre/vt-pbf's
 * fromGeojsonVt writes them: the same fields in the same order, keys and values numbered as first
 * met. Written here because vt-pbf keys its value table by `typeof + ':' + value` in a plain
 * object, which every building's own id turns into a slow dictionary (a third of a cold z14
 * tile's time on the county), and wraps every vertex in a Point first.
 */
export function encodeLayers(layers: Map<string, TileCut>, extent: number): Uint8Array {
  const pbf = new PbfWriter();
  for (const [name, tile] of layers) pbf.writeMessage(3, writeLayer, { name, tile, extent });
  return pbf.finish();
}

/** A feature cut without geojson-vt (cut-inside.ts): its rings flat, x and y after each other, in tile units. */
export type FlatFeature = { id: number; type: 1 | 2 | 3; tags: Record<string, unknown> | null; rings: number[][] };
/** A feature of a tile, as geojson-vt cuts it or flat */
export type TileFeature = GeoJSONVTTile['features'][number] | FlatFeature;
/** A layer's features in one tile (geojson-vt's tiles are, typed a little apart) */
export type TileCut = { features: TileFeature[] };
export const asCut = (tile: GeoJSONVTTile | null) => tile as unknown as TileCut | null;
type Layer = { name: string; tile: TileCut; extent: number };
type Feature = TileFeature;
type Tables = { keys: Map<string, number>; values: Map<string | number | boolean, number>[]; valueList: (string | number | boolean)[] };

function writeLayer({ name, tile, extent }: Layer, pbf: PbfWriter) {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, name);
  pbf.writeVarintField(5, extent);
  // values by type (a string '1' and a number 1 are two values, as vt-pbf keys them)
  const tables: Tables = { keys: new Map(), values: [new Map(), new Map(), new Map()], valueList: [] };
  for (const feature of tile.features) pbf.writeMessage(2, writeFeature, { feature, tables });
  for (const key of tables.keys.keys()) pbf.writeStringField(3, key);
  for (const value of tables.valueList) pbf.writeMessage(4, writeValue, value);
}

function writeFeature({ feature, tables }: { feature: Feature; tables: Tables }, pbf: PbfWriter) {
  const id = typeof feature.id === 'string' ? parseInt(feature.id, 10) : feature.id;
  if (typeof id === 'number' && !isNaN(id)) pbf.writeVarintField(1, id);
  pbf.writeMessage(2, writeProperties, { tags: feature.tags ?? {}, tables });
  pbf.writeVarintField(3, feature.type);
  pbf.writeMessage(4, writeGeometry, feature);
}

const typeSlot = { string: 0, number: 1, boolean: 2 } as Record<string, number>;

function writeProperties({ tags, tables }: { tags: Record<string, unknown>; tables: Tables }, pbf: PbfWriter) {
  for (const key in tags) {
    let value = tags[key];
    if (value == null) continue;
    let keyIndex = tables.keys.get(key);
    if (keyIndex === undefined) tables.keys.set(key, (keyIndex = tables.keys.size));
    pbf.writeVarint(keyIndex);
    const slot = typeSlot[typeof value] ?? 0;
    if (!(typeof value in typeSlot)) value = JSON.stringify(value);
    const values = tables.values[slot];
    let valueIndex = values.get(value as string | number | boolean);
    if (valueIndex === undefined) {
      valueIndex = tables.valueList.push(value as string | number | boolean) - 1;
      values.set(value as string | number | boolean, valueIndex);
    }
    pbf.writeVarint(valueIndex);
  }
}

const command = (id: number, count: number) => (count << 3) + (id & 7);
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

function writeGeometry(feature: Feature, pbf: PbfWriter) {
  const cursor = { x: 0, y: 0 };
  if ('rings' in feature) {
    for (const ring of feature.rings) writeRing(ring, feature.type, cursor, pbf);
    return;
  }
  const rings = (feature.type === 1 ? [feature.geometry] : feature.geometry) as [number, number][][];
  for (const ring of rings) writeRing(ring.flat(), feature.type, cursor, pbf);
}

/** One ring (x and y after each other), its moves relative to where the last one ended (`cursor`). */
function writeRing(ring: number[], type: number, cursor: { x: number; y: number }, pbf: PbfWriter) {
  const n = ring.length / 2;
  // a polygon's ring is written open: ClosePath closes it
  const count = type === 3 && n > 1 && ring[ring.length - 2] === ring[0] && ring[ring.length - 1] === ring[1] ? n - 1 : n;
  pbf.writeVarint(command(1, type === 1 ? n : 1));
  for (let i = 0; i < count; i++) {
    if (i === 1 && type !== 1) pbf.writeVarint(command(2, count - 1));
    const dx = ring[i * 2] - cursor.x;
    const dy = ring[i * 2 + 1] - cursor.y;
    pbf.writeVarint(zigzag(dx));
    pbf.writeVarint(zigzag(dy));
    cursor.x += dx;
    cursor.y += dy;
  }
  if (type === 3) pbf.writeVarint(command(7, 1));
}

function writeValue(value: string | number | boolean, pbf: PbfWriter) {
  if (typeof value === 'string') pbf.writeStringField(1, value);
  else if (typeof value === 'boolean') pbf.writeBooleanField(7, value);
  else if (value % 1 !== 0) pbf.writeDoubleField(3, value);
  else if (value < 0) pbf.writeSVarintField(6, value);
  else pbf.writeVarintField(5, value);
}
