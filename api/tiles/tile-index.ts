import { GeoJSONVT, type GeoJSONVTOptions } from '@maplibre/geojson-vt';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { tileLayerMinZoom } from '../contract/tiles.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';
import { cutInside } from './cut-inside.ts';
import { asCut, encodeLayers, type TileCut, type TileFeature } from './encode.ts';
import type { LayerFeatures } from './features.ts';
import { featuresAt, featuresIn, layerNeeded, wideLayers, levelMinZoom, readLayer, tileLayers, type Box, type TileLayer } from './layers.ts';
import { Lru } from './lru.ts';

/**
 * Vector tiles cut in JavaScript (geojson-vt's arithmetic, encode.ts), so they work the same on PGlite, whose
 * PostGIS lacks ST_AsMVT (built without protobuf-c), and on native PostGIS.
 *
 * Nothing holds the whole installation. A tile is cut from its *block*, a larger tile around it
 * read from the database with one bbox query per layer when first asked for:
 *   - z14–16 (buildings, service points, micro-grids: nearly all the data) from the z12 tile around it;
 *   - z8–13 (areas, their labels, roads, landuse only: the rest starts at z14) from the z8 tile;
 *   - below z8 from the tile itself.
 * A block reads every feature touching it plus the tile buffer of its largest tile, whole (not
 * clipped in SQL), parses it once and keeps each feature packed in typed arrays: its bounding box,
 * its vertices projected and ranked for simplification as geojson-vt's first step would
 * (features.ts). A tile takes only the features whose box touches it (plus its buffer) and cuts
 * them along the path geojson-vt's index would (cutTile says how), so a tile is the same as one
 * index of every row gives, and a feature across a block edge is in each tile it touches, once,
 * without a seam. geojson-vt's index keeps every tile it has cut, and the tiles above them, for as
 * long as it lives: here an index lives for one tile, or for the 21 tiles of one z14 tile (wide
 * layers, those of 16 z14 tiles kept).
 * Blocks are kept in an LRU bounded by the bytes they hold; encoded tiles in another; a reload
 * starts a new generation of both.
 */

export const maxZoom = 16; // deeper zooms overzoom z16 in the browser
/** from this zoom the fine layers are drawn (api/contract/tiles.ts): buildings, compounds, service points */
const fineZoom = Math.min(...Object.values(tileLayerMinZoom).map(Number));
const coarseBlockZoom = 8;
const megabytes = (env: string | undefined, fallback: number) => (Number(env) > 0 ? Number(env) : fallback) * 1024 * 1024;

/** How much an index holds, in bytes, and how large its blocks of z14–16 tiles are. */
export type TileIndexOptions = {
  /** the blocks held (their GeoJSON text, properties and boxes): TILE_BLOCKS_MB, default 48 */
  blocks: number;
  /** encoded tiles held: TILE_CACHE_MB, default 64 (a county's z10–16 are 34 MB) */
  tiles: number;
  /** z14–16 tiles are cut from the tile of this zoom around them: 12 (16 × 16 z16 tiles, ≈ 8 km at 35° N) */
  fineBlockZoom: number;
};
const defaults = (): TileIndexOptions => ({ blocks: megabytes(process.env.TILE_BLOCKS_MB, 48), tiles: megabytes(process.env.TILE_CACHE_MB, 64), fineBlockZoom: 12 });
const empty = new Uint8Array(0);

/**
 * How geojson-vt cuts (the options of the one index of every row these tiles were cut from before);
 * the blocks hold their vertices projected already (layers.ts), as geojson-vt would project them.
 */
export const cutOptions = { maxZoom, indexMaxZoom: 5, tolerance: 2, extent: 4096, buffer: 64, coordinates: 'unitSquare' } as GeoJSONVTOptions;

/** The features of every layer over a box; `bytes`: what they hold. */
export type Block = { layers: Map<TileLayer, LayerFeatures>; bytes: number };

/** Reads every layer a tile up to zoom `zmax` draws, over `box` (all at once: a pool runs them side by side). */
export async function readBlock(database: Database, box: Box, zmax: number): Promise<Block> {
  const needed = tileLayers.filter((layer) => layerNeeded(layer, zmax));
  const read = await Promise.all(needed.map((layer) => readLayer(database, layer, box, zmax)));
  const block: Block = { layers: new Map(), bytes: 0 };
  needed.forEach((layer, i) => {
    block.bytes += read[i].bytes;
    if (read[i].ids.length) block.layers.set(layer, read[i]);
  });
  return block;
}

/** The block a tile is cut from, and the zooms cut from that block. */
export function blockOf(z: number, x: number, y: number, fineBlockZoom = defaults().fineBlockZoom) {
  const [zb, zmin, zmax] = z >= fineZoom ? [fineBlockZoom, fineZoom, maxZoom]
    : z >= coarseBlockZoom ? [coarseBlockZoom, coarseBlockZoom, fineZoom - 1] : [z, z, z];
  const shift = z - zb;
  return { z: zb, x: x >> shift, y: y >> shift, zmin, zmax };
}

/** A tile's box in degrees, with the tile buffer of a tile at zoom `zmin` (≥ z) and 1 % to spare (`spare` 1.01). */
export function tileBox({ z, x, y, zmin = z }: { z: number; x: number; y: number; zmin?: number }, spare = 1.01): Box {
  const margin = spare * (cutOptions.buffer! / cutOptions.extent!) * 2 ** (z - zmin);
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)];
}

/** What one reload serves: blocks and tiles read after it began. A reload starts a new one. */
class Generation {
  readonly blocks: Lru<Block>;
  readonly tiles: Lru<Uint8Array>;
  /**
   * geojson-vt indexes of a wide layer around one z14 tile, those of the last 16 z14 tiles used
   * (four layers each): ≈ 1 MB an index on the county (every area touching the tile, whole, and
   * the tiles cut above and below it). A screen at z16, 1920 × 1080, spans up to 3 × 2 z14 tiles;
   * with 16 kept, a pan or the next row of a sweep finds its neighbours' indexes still there
   * (with 4 z14 tiles kept, a sweep of the county built each one 2.2 times over: 30 % of its time)
   */
  private wide = new Lru<GeoJSONVT>(16 * wideLayers.size);
  private loading = new Map<string, Promise<Block>>();

  constructor(private database: Database, budgets: TileIndexOptions) {
    this.blocks = new Lru(budgets.blocks);
    this.tiles = new Lru(budgets.tiles);
  }

  /**
   * The index of a wide layer's features touching the z14 tile above (z, x, y), z ≥ 14: its 21
   * tiles z14–16 are cut from it, each from the one above it, as one index of every row cuts them.
   */
  wideIndex(block: Block, layer: TileLayer, z: number, x: number, y: number): GeoJSONVT {
    const shift = z - fineZoom;
    const above = { z: fineZoom, x: x >> shift, y: y >> shift };
    const key = `${above.x}/${above.y}/${layer}`;
    let index = this.wide.get(key);
    if (!index) {
      index = new GeoJSONVT({ type: 'FeatureCollection', features: featuresIn(block.layers.get(layer)!, tileBox(above)) }, cutOptions);
      this.wide.set(key, index, 1);
    }
    return index;
  }

  /** The block's indexes; requests for a block being read wait for that one read. */
  block(b: ReturnType<typeof blockOf>): Promise<Block> {
    const key = `${b.z}/${b.x}/${b.y}`;
    const held = this.blocks.get(key);
    if (held) return Promise.resolve(held);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = readBlock(this.database, tileBox(b), b.zmax).then(
        (block) => { this.blocks.set(key, block, block.bytes); this.loading.delete(key); return block; },
        (error) => { this.loading.delete(key); throw error; },
      );
      this.loading.set(key, pending);
    }
    return pending;
  }
}

export class TileIndex {
  private generation!: Generation;
  bounds: [number, number, number, number] = [-180, -85, 180, 85];
  /** The name of the one area at the top (a county, or a street office's own street), or null: the map's title */
  place: string | null = null;

  private constructor(private options: TileIndexOptions) {}

  static async build(database: Database, options: Partial<TileIndexOptions> = {}): Promise<TileIndex> {
    const index = new TileIndex({ ...defaults(), ...options });
    await index.reload(database);
    return index;
  }

  /**
   * Call after the data behind the tiles changed: every tile asked for after it resolves is cut
   * from what `database` holds then. Requests meanwhile are answered as before it; a block still
   * being read for them stays with the generation they asked.
   */
  async reload(database: Database): Promise<void> {
    const [b] = await database.rows<{ w: number; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n
      FROM (SELECT ST_Extent(geom)::geometry AS e FROM areas) x`);
    const tops = await database.rows<{ name: string }>(sql`SELECT name FROM areas WHERE parent_id IS NULL LIMIT 2`);
    if (b?.w != null) this.bounds = [b.w, b.s, b.e, b.n].map(Number) as [number, number, number, number];
    this.place = tops.length === 1 ? tops[0].name : null;
    this.generation = new Generation(database, this.options);
  }

  /** What is held now: blocks and encoded tiles, each with its weight (the blocks' packed bytes, the tiles' bytes). */
  get held() {
    const { blocks, tiles } = this.generation;
    return { blocks: blocks.size, blockBytes: blocks.weight, tiles: tiles.size, tileBytes: tiles.weight };
  }

  /** The encoded tile, or an empty array when no layer has anything there. */
  async getTile(z: number, x: number, y: number): Promise<Uint8Array> {
    const generation = this.generation;
    const key = `${z}/${x}/${y}`;
    const hit = generation.tiles.get(key);
    if (hit) return hit;
    // geojson-vt cuts nothing past its maxZoom: the browser overzooms z16
    const block = z > maxZoom ? null : await generation.block(blockOf(z, x, y, this.options.fineBlockZoom));
    const encoded = block ? cutTile(block, z, x, y, z >= fineZoom ? (layer) => generation.wideIndex(block, layer, z, x, y) : undefined) : empty;
    generation.tiles.set(key, encoded, encoded.byteLength + 64);
    return encoded;
  }
}

/**
 * The tile (z, x, y) cut from a block that holds it. geojson-vt's index clips a feature on the way
 * down from z0 at each zoom's buffered tile; one inside the tile's buffer passes every clip as it
 * is, so it is cut for this tile alone (cut-inside.ts: what geoJSONToTile gives, no clip). Those across
 * the buffer's edge go the index's way: the wide layers' (areas, roads, landuse, compounds: most
 * cross it) through `wide`'s index shared by neighbouring tiles when given, the rest through an
 * index of only them. The same clips, the same vertices, as one index of every row would give.
 */
export function cutTile(block: Block, z: number, x: number, y: number, wide?: (layer: TileLayer) => GeoJSONVT): Uint8Array {
  const [box, inner] = [tileBox({ z, x, y }), tileBox({ z, x, y }, 0.99)];
  const tiles = new Map<string, TileCut | null>();
  for (const [name, layer] of block.layers) {
    if (z < (tileLayerMinZoom[name] ?? 0)) continue;
    if (wide && wideLayers.has(name)) {
      tiles.set(name, asCut(wide(name).getTile(z, x, y)));
      continue;
    }
    const { inside, across } = featuresAt(layer, box, inner);
    const features: TileFeature[] = cutInside(layer, inside, z, x, y, cutOptions.extent!, maxZoom);
    if (across.length) features.push(...(asCut(new GeoJSONVT({ type: 'FeatureCollection', features: across }, cutOptions).getTile(z, x, y))?.features ?? []));
    if (features.length) tiles.set(name, { features });
  }
  return encodeTile(z, tiles);
}

/** The layers' tiles encoded as one, without what no style draws at z; empty when nothing is left. */
export function encodeTile(z: number, layers: Map<string, TileCut | null>): Uint8Array {
  const drawn = drawnAt(z, layers);
  // copied: the encoder's buffer is up to twice the tile, and a cached tile would hold all of it
  return drawn.size ? encodeLayers(drawn, cutOptions.extent!).slice() : empty;
}

/** The layers' tiles without what no style draws at z (a layer, or areas of a level, further in); the empty ones left out. */
export function drawnAt<T extends TileCut>(z: number, layers: Map<string, T | null>): Map<string, T> {
  const drawn = new Map<string, T>();
  for (const [name, tile] of layers) {
    if (!tile || z < (tileLayerMinZoom[name] ?? 0)) continue; // no style draws it this far out
    const byLevel = levelMinZoom(name as TileLayer);
    const features = byLevel ? tile.features.filter((f) => z >= (byLevel[f.tags?.level as AreaLevel] ?? 0)) : tile.features;
    if (features.length) drawn.set(name, features === tile.features ? tile : { ...tile, features });
  }
  return drawn;
}
