import { GeoJSONVT, type GeoJSONVTOptions } from '@maplibre/geojson-vt';
import type { Database } from '../db/client.ts';
import { tileLayerMinZoom } from '../contract/tiles.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';
import { cutInside } from './cut-inside.ts';
import { asCut, encodeLayers, type TileCut, type TileFeature } from './encode.ts';
import type { LayerFeatures } from './features.ts';
import { featuresAt, featuresIn, layerNeeded, levelMinZoom, parseLayer, readLayerText, tileLayers, wideLayers, type Box, type TileLayer } from './layers.ts';
import { Lru } from './lru.ts';

/**
 * Tiles cut from blocks (tile-index.ts says how they are shared out): what a block is, how it is
 * read and parsed, and how a tile is cut from it. Nothing here touches the database but
 * readBlockTexts, so a worker thread (cut-worker.ts) cuts with the same code as the API's thread.
 */

export const maxZoom = 16; // deeper zooms overzoom z16 in the browser
/** from this zoom the fine layers are drawn (api/contract/tiles.ts): buildings, compounds, service points */
export const fineZoom = Math.min(...Object.values(tileLayerMinZoom).map(Number));
const coarseBlockZoom = 8;
export const empty = new Uint8Array(0);

/**
 * How geojson-vt cuts (the options of the one index of every row these tiles were cut from before);
 * the blocks hold their vertices projected already (layers.ts), as geojson-vt would project them.
 */
export const cutOptions = { maxZoom, indexMaxZoom: 5, tolerance: 2, extent: 4096, buffer: 64, coordinates: 'unitSquare' } as GeoJSONVTOptions;

/** The features of every layer over a box; `bytes`: what they hold. */
export type Block = { layers: Map<TileLayer, LayerFeatures>; bytes: number };
/** A block as the database answers it: each layer's features as one JSON text (layers.ts layerTextQuery). */
export type BlockTexts = [TileLayer, string][];

/** Reads every layer a tile up to zoom `zmax` draws, over `box` (all at once: a pool runs them side by side). */
export async function readBlockTexts(database: Database, box: Box, zmax: number): Promise<BlockTexts> {
  const needed = tileLayers.filter((layer) => layerNeeded(layer, zmax));
  const texts = await Promise.all(needed.map((layer) => readLayerText(database, layer, box, zmax)));
  return needed.map((layer, i) => [layer, texts[i]]);
}

/** The block of readBlockTexts' answer, parsed and packed. */
export function parseBlock(texts: BlockTexts): Block {
  const block: Block = { layers: new Map(), bytes: 0 };
  for (const [layer, text] of texts) {
    const features = parseLayer(layer, text);
    block.bytes += features.bytes;
    if (features.ids.length) block.layers.set(layer, features);
  }
  return block;
}

export const readBlock = async (database: Database, box: Box, zmax: number) => parseBlock(await readBlockTexts(database, box, zmax));

/** The block a tile is cut from, and the zooms cut from that block. */
export function blockOf(z: number, x: number, y: number, fineBlockZoom: number) {
  const [zb, zmin, zmax] = z >= fineZoom ? [fineBlockZoom, fineZoom, maxZoom]
    : z >= coarseBlockZoom ? [coarseBlockZoom, coarseBlockZoom, fineZoom - 1] : [z, z, z];
  const shift = z - zb;
  return { z: zb, x: x >> shift, y: y >> shift, zmin, zmax };
}

const blockKey = (b: { z: number; x: number; y: number }) => `${b.z}/${b.x}/${b.y}`;

/** A tile's box in degrees, with the tile buffer of a tile at zoom `zmin` (≥ z) and 1 % to spare (`spare` 1.01). */
export function tileBox({ z, x, y, zmin = z }: { z: number; x: number; y: number; zmin?: number }, spare = 1.01): Box {
  const margin = spare * (cutOptions.buffer! / cutOptions.extent!) * 2 ** (z - zmin);
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)];
}

/**
 * Cuts tiles from blocks it reads through `read` when first needed, and keeps: the blocks, in an
 * LRU of `blocks` bytes; and the geojson-vt indexes of the wide layers around the last 16 z14
 * tiles. One lives for one generation of the tiles (a reload starts another).
 */
export class BlockCutter {
  private blocks: Lru<Block>;
  /**
   * geojson-vt indexes of a wide layer around one z14 tile, those of the last 16 z14 tiles used
   * (four layers each): ≈ 1 MB an index on the county (every area touching the tile, whole, and
   * the tiles cut above and below it). A screen at z16, 1920 × 1080, spans up to 3 × 2 z14 tiles;
   * with 16 kept, a pan or the next row of a sweep finds its neighbours' indexes still there
   * (with 4 z14 tiles kept, a sweep of the county built each one 2.2 times over: 30 % of its time)
   */
  private wide = new Lru<GeoJSONVT>(16 * wideLayers.size);
  private loading = new Map<string, Promise<Block>>();

  constructor(private read: (box: Box, zmax: number) => Promise<BlockTexts>, private budgets: { blocks: number; fineBlockZoom: number }) {
    this.blocks = new Lru(budgets.blocks);
  }

  /** The blocks held, and their packed bytes. */
  get held() {
    return { blocks: this.blocks.size, blockBytes: this.blocks.weight };
  }

  /** The encoded tile, or an empty array when no layer has anything there. */
  async cut(z: number, x: number, y: number): Promise<Uint8Array> {
    // geojson-vt cuts nothing past its maxZoom: the browser overzooms z16
    if (z > maxZoom) return empty;
    const block = await this.block(blockOf(z, x, y, this.budgets.fineBlockZoom));
    return cutTile(block, z, x, y, z >= fineZoom ? (layer) => this.wideIndex(block, layer, z, x, y) : undefined);
  }

  /**
   * The index of a wide layer's features touching the z14 tile above (z, x, y), z ≥ 14: its 21
   * tiles z14–16 are cut from it, each from the one above it, as one index of every row cuts them.
   */
  private wideIndex(block: Block, layer: TileLayer, z: number, x: number, y: number): GeoJSONVT {
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

  /** The block; requests for a block being read wait for that one read. */
  private block(b: ReturnType<typeof blockOf>): Promise<Block> {
    const key = blockKey(b);
    const held = this.blocks.get(key);
    if (held) return Promise.resolve(held);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.read(tileBox(b), b.zmax).then(
        (texts) => { const block = parseBlock(texts); this.blocks.set(key, block, block.bytes); this.loading.delete(key); return block; },
        (error) => { this.loading.delete(key); throw error; },
      );
      this.loading.set(key, pending);
    }
    return pending;
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
