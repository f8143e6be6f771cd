/**
 * node --import tsx scripts/lib/tile-baselines.ts mvt|whole — the baselines of scripts/bench-tiles.ts,
 * each a process of its own serving /api/tiles/{z}/{x}/{y}.mvt on PORT, as the API does:
 *   mvt    plain PostGIS (native only): one ST_AsMVT query a tile over the same layers, the same
 *          properties and minimum zooms, ST_AsMVTGeom with the same extent and buffer, each layer
 *          read with `&&` on its GiST index over the tile's buffered envelope. No cache.
 *   whole  the tiles as cut before blocks: one geojson-vt index of every row of every layer, read
 *          at start, and the 4,096 tiles last cut.
 * Env: DATABASE_URL or DATA_DIR (PGlite), PORT.
 */
import { serve } from '@hono/node-server';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { sql, type SQL } from 'drizzle-orm';
import { Hono } from 'hono';
import { areaLabelMinZoom, areaMinZoom, tileLayerMinZoom } from '../../api/contract/tiles.ts';
import { areaLevels, type AreaLevel } from '../../api/contract/vocabulary.ts';
import { openDatabase, type Database } from '../../api/db/client.ts';
import { featuresIn, type Box } from '../../api/tiles/layers.ts';
import { asCut } from '../../api/tiles/encode.ts';
import { cutOptions, encodeTile, maxZoom, readBlock } from '../../api/tiles/cut.ts';

/** name, property columns, geometry, table, the minimum zoom of each level (areas and their labels) */
const mvtLayers: [string, string, string, string, Partial<Record<AreaLevel, number>>?][] = [
  ['landuse', 'class, name', 'geom', 'landuse'],
  ['roads', 'id, class, name', 'geom', 'roads'],
  ['areas', 'id, level, kind, name, parent_id AS "parentId", color_index AS "colorIndex"', 'geom', 'areas', areaMinZoom],
  ['area_labels', 'id, level, kind, name', 'coalesce(label_point, ST_PointOnSurface(geom))', 'areas', areaLabelMinZoom],
  ['compounds', 'id, name', 'geom', 'compounds'],
  ['buildings', 'id, number, floors, units, use, compound_id AS "compoundId"', 'geom', 'buildings'],
  ['entrances', 'id, name, building_id AS "buildingId"', 'geom', 'entrances'],
  ['gates', 'id, name, compound_id AS "compoundId"', 'geom', 'gates'],
  ['pois', 'id, category, name', 'geom', 'pois'],
];

/** One statement for the whole tile: each layer drawn at z as ST_AsMVT, concatenated. */
function mvtQuery(z: number, x: number, y: number): SQL | null {
  const { extent, buffer } = cutOptions as { extent: number; buffer: number };
  const parts = mvtLayers.filter(([name]) => z >= (tileLayerMinZoom[name] ?? 0)).map(([name, columns, geom, table, byLevel]) => {
    const levels = byLevel && areaLevels.filter((level) => z >= (byLevel[level] ?? 0));
    return sql`coalesce((SELECT ST_AsMVT(q, ${name}, ${extent}, 'mvt') FROM (
      SELECT ${sql.raw(columns)}, ST_AsMVTGeom(ST_Transform(${sql.raw(geom)}, 3857), ST_TileEnvelope(${z}, ${x}, ${y}), ${extent}, ${buffer}, true) AS mvt
      FROM ${sql.raw(table)} WHERE geom && ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${buffer / extent}::float8), 4326)
      ${levels ? sql`AND level IN (${sql.join(levels.map((l) => sql`${l}`), sql`, `)})` : sql``}) q WHERE mvt IS NOT NULL), '')`;
  });
  return parts.length ? sql`SELECT ${sql.join(parts, sql` || `)} AS tile` : null;
}

async function mvtTiles(database: Database) {
  return async (z: number, x: number, y: number) => {
    const query = mvtQuery(z, x, y);
    if (!query) return new Uint8Array(0);
    const [row] = await database.rows<{ tile: Uint8Array }>(query);
    return row.tile;
  };
}

async function wholeTiles(database: Database) {
  const world: Box = [-180, -85.06, 180, 85.06];
  const { layers } = await readBlock(database, world, maxZoom);
  const indexes = [...layers].map(([name, features]) => [name, new GeoJSONVT({ type: 'FeatureCollection', features: featuresIn(features, world) }, cutOptions)] as const);
  const cache = new Map<string, Uint8Array>();
  return async (z: number, x: number, y: number) => {
    const key = `${z}/${x}/${y}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const tile = encodeTile(z, new Map(indexes.map(([name, index]) => [name, asCut(index.getTile(z, x, y))])));
    if (cache.size >= 4096) cache.delete(cache.keys().next().value!);
    cache.set(key, tile);
    return tile;
  };
}

const kind = process.argv[2];
if (kind !== 'mvt' && kind !== 'whole') throw new Error('usage: tile-baselines.ts mvt|whole');
const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: process.env.DATA_DIR! });
const getTile = await (kind === 'mvt' ? mvtTiles : wholeTiles)(database);
const app = new Hono()
  .get('/api/health', (c) => c.json({ ok: true }))
  .get('/api/tiles/:z/:x/:y{[0-9]+\\.mvt}', async (c) => {
    const tile = await getTile(Number(c.req.param('z')), Number(c.req.param('x')), Number(c.req.param('y').slice(0, -4)));
    const headers = { 'content-type': 'application/vnd.mapbox-vector-tile' };
    return tile.length ? c.body(tile as Uint8Array<ArrayBuffer>, 200, headers) : c.body(null, 204, headers);
  });
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.once('SIGTERM', () => server.close(() => database.close().finally(() => process.exit(0))));
