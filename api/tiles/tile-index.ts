import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { BlockCutter, maxZoom, readBlockTexts } from './cut.ts';
import type { Box } from './layers.ts';
import { Lru } from './lru.ts';
import { CutWorkers } from './workers.ts';

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
 * starts a new generation of both. The blocks are parsed, held and cut in worker threads
 * (workers.ts: the API's thread answers HTTP and runs the blocks' queries), or on the API's
 * thread (TILE_WORKERS=0, the default); cut.ts is what both run.
 */

const megabytes = (env: string | undefined, fallback: number) => (Number(env) > 0 ? Number(env) : fallback) * 1024 * 1024;

/** How much an index holds, in bytes, how large its blocks of z14–16 tiles are, and how many threads cut them. */
export type TileIndexOptions = {
  /** the blocks held (their packed features), by all the workers together: TILE_BLOCKS_MB, default 48 */
  blocks: number;
  /** encoded tiles held: TILE_CACHE_MB, default 64 (a county's z10–16 are 34 MB) */
  tiles: number;
  /** z14–16 tiles are cut from the tile of this zoom around them: 12 (16 × 16 z16 tiles, ≈ 8 km at 35° N) */
  fineBlockZoom: number;
  /**
   * worker threads that cut tiles (workers.ts): TILE_WORKERS, default 0: on the API's thread. On the
   * 2-core machine the benches ran on, with other work on it, one worker gained nothing measurable
   * and two cost 150 MB more per process (docs/scaling.md#tiles-at-county-scale).
   */
  workers: number;
};
const defaults = (): TileIndexOptions => ({
  blocks: megabytes(process.env.TILE_BLOCKS_MB, 48),
  tiles: megabytes(process.env.TILE_CACHE_MB, 64),
  fineBlockZoom: 12,
  workers: Number(process.env.TILE_WORKERS) > 0 ? Math.floor(Number(process.env.TILE_WORKERS)) : 0,
});

/** What one reload serves: tiles cut after it began, from blocks read after it began. A reload starts a new one. */
class Generation {
  readonly tiles: Lru<Uint8Array>;
  /** tiles being cut now: a second request for one waits for the same cut (the warm-up's, say) */
  readonly cutting = new Map<string, Promise<Uint8Array>>();
  /** the blocks of this generation, when tiles are cut on this thread (no workers) */
  readonly cutter: BlockCutter | null;

  constructor(readonly number: number, readonly database: Database, options: TileIndexOptions) {
    this.tiles = new Lru(options.tiles);
    this.cutter = options.workers ? null : new BlockCutter((box, zmax) => readBlockTexts(database, box, zmax), options);
  }
}

export class TileIndex {
  private generation!: Generation;
  bounds: [number, number, number, number] = [-180, -85, 180, 85];
  /** The name of the one area at the top (a county, or a street office's own street), or null: the map's title */
  place: string | null = null;

  /** the threads that cut tiles; null: they are cut on this thread */
  private workers: CutWorkers | null;

  private constructor(private options: TileIndexOptions) {
    // a worker asks for a block of the generation it cuts for; reading it from the current one's database is as new or newer
    this.workers = options.workers ? new CutWorkers(options.workers, options, (box: Box, zmax: number) => readBlockTexts(this.generation.database, box, zmax)) : null;
  }

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
    this.generation = new Generation((this.generation?.number ?? 0) + 1, database, this.options);
  }

  /** What is held now: blocks and encoded tiles, each with its weight (the blocks' packed bytes, the tiles' bytes). */
  get held() {
    const { cutter, tiles } = this.generation;
    return { ...(cutter ?? this.workers!).held, tiles: tiles.size, tileBytes: tiles.weight };
  }

  /** The worker threads running now (none without workers, or before the first tile). */
  get workerThreads() {
    return this.workers?.running ?? [];
  }

  /** Stops the worker threads (a tile asked for after it starts them again). */
  close(): Promise<void> {
    return this.workers?.close() ?? Promise.resolve();
  }

  /** The encoded tile, or an empty array when no layer has anything there. */
  async getTile(z: number, x: number, y: number): Promise<Uint8Array> {
    const generation = this.generation;
    const key = `${z}/${x}/${y}`;
    const hit = generation.tiles.get(key);
    if (hit) return hit;
    const running = generation.cutting.get(key);
    if (running) return running;
    const cut = (generation.cutter ? generation.cutter.cut(z, x, y) : this.workers!.cut(generation.number, z, x, y))
      .then((encoded) => {
        generation.tiles.set(key, encoded, encoded.byteLength + 64);
        return encoded;
      })
      .finally(() => generation.cutting.delete(key));
    generation.cutting.set(key, cut);
    return cut;
  }

  /**
   * Cuts ahead what every first screen asks for: a map or wall opened on the whole area is fitted to
   * its extent, so the tiles over the extent at the zooms it is fitted at on screens from a phone's
   * to a wall's (`screens`, px): a county's z9–11, all from its z8 blocks. One tile at a time, each
   * after the requests waiting: a screen arriving meanwhile is answered between them, and a tile it
   * asks for that is being cut waits for that cut. Stops early once a reload began. Resolves to the
   * number of tiles cut.
   */
  async warm(screens: [number, number][] = [[360, 640], [1920, 1080]]): Promise<number> {
    const generation = this.generation;
    const [w, s, e, n] = this.bounds;
    const zooms = screens.map(([width, height]) => Math.max(0, Math.min(maxZoom, Math.floor(zoomToFit(this.bounds, width, height)))));
    let count = 0;
    for (let z = Math.min(...zooms); z <= Math.max(...zooms); z++) {
      const [x0, y0] = tileAt(z, w, n);
      const [x1, y1] = tileAt(z, e, s);
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          if (this.generation !== generation) return count;
          await new Promise((resolve) => setImmediate(resolve));
          await this.getTile(z, x, y);
          count++;
        }
      }
    }
    return count;
  }
}

/** Web Mercator y of a latitude, 0 (north) to 1 (south), as the map's tiles count it. */
function mercatorY(lat: number): number {
  const sin = Math.sin((Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}

/** The zoom at which a box fills a screen of `width` × `height` px (512 px tiles, as the map's). */
function zoomToFit([w, s, e, n]: [number, number, number, number], width: number, height: number): number {
  const dx = Math.max((e - w) / 360, 1e-9);
  const dy = Math.max(mercatorY(s) - mercatorY(n), 1e-9);
  return Math.log2(Math.min(width / (512 * dx), height / (512 * dy)));
}

/** The tile at zoom `z` holding a point. */
function tileAt(z: number, lon: number, lat: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(mercatorY(lat) * n);
  return [Math.min(n - 1, Math.max(0, x)), Math.min(n - 1, Math.max(0, y))];
}
