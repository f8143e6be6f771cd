import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { sql } from 'drizzle-orm';
import { PbfReader } from 'pbf';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { asCut, encodeLayers, type TileCut } from '../../api/tiles/encode.ts';
import { featureRow, layerNeeded, layerQuery, tileLayers, type Box } from '../../api/tiles/layers.ts';
import { blockOf, cutOptions, drawnAt, maxZoom } from '../../api/tiles/cut.ts';
import { TileIndex } from '../../api/tiles/tile-index.ts';
import type { Database } from '../../api/db/client.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}

/** Each layer's features as sorted text (id, properties, geometry in tile units): two tiles alike hold the same. */
function contents(bytes: Uint8Array): Record<string, string[]> {
  const tile = new VectorTile(new PbfReader(bytes));
  return Object.fromEntries(Object.entries(tile.layers).map(([name, layer]) => [name,
    Array.from({ length: layer.length }, (_, i) => {
      const f = layer.feature(i);
      return JSON.stringify([f.id, f.properties, f.loadGeometry()]);
    }).sort()]));
}

/**
 * The cut of one geojson-vt index of every row of every layer, as the tiles were cut before blocks:
 * GeoJSON text parsed, projected by geojson-vt itself, encoded by vt-pbf. None of the blocks' own
 * steps (packing, the cut of features inside a tile, the encoder) is in it.
 */
async function unpartitioned(database: Database) {
  const world: Box = [-180, -85.06, 180, 85.06];
  const indexes = await Promise.all(tileLayers.filter((layer) => layerNeeded(layer, maxZoom)).map(async (layer) => {
    const rows = (await database.rows<Parameters<typeof featureRow>[1]>(layerQuery(layer, world, maxZoom, { json: true }))).map((r) => featureRow(layer, r));
    const features = rows.map((r) => ({ type: 'Feature' as const, id: r.id, geometry: r.geometry, properties: r.properties }));
    return [layer, new GeoJSONVT({ type: 'FeatureCollection', features }, { ...cutOptions, coordinates: 'lngLat' })] as const;
  }));
  const cut = (z: number, x: number, y: number) => drawnAt(z, new Map(indexes.map(([name, index]) => [name, asCut(index.getTile(z, x, y))])));
  return Object.assign((z: number, x: number, y: number) => vtPbf(cut(z, x, y)), { cut });
}

const vtPbf = (drawn: Map<string, TileCut>) => drawn.size ? fromGeojsonVt(Object.fromEntries(drawn) as never, { version: 2, extent: 4096 }) : new Uint8Array(0);

const lonOf = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const latOf = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;

describe.each(modes())('vector tiles on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('describes itself in TileJSON with the bounds of the street', async () => {
    const doc = await (await t.get('/api/tiles.json')).json();
    expect(doc.tilejson).toBe('3.0.0');
    expect(doc.tiles[0]).toMatch(/\/api\/tiles\/\{z\}\/\{x\}\/\{y\}\.mvt$/);
    const [w, s, e, n] = doc.bounds;
    expect(w).toBeGreaterThan(113.1); expect(e).toBeLessThan(113.4);
    expect(s).toBeGreaterThan(35.1); expect(n).toBeLessThan(35.3);
    expect(doc.vector_layers.map((l: any) => l.id)).toEqual(expect.arrayContaining(['areas', 'roads', 'buildings', 'pois', 'landuse']));
    expect(doc.place).toBe('民生街道'); // the map's title: the one street of the demo
  });

  it('cuts a z15 tile at the centre with grids, roads, buildings and service points', async () => {
    const doc = await (await t.get('/api/tiles.json')).json();
    const { z, x, y } = tileOf(doc.center[0], doc.center[1], 15);
    const res = await t.get(`/api/tiles/${z}/${x}/${y}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
    for (const layer of ['areas', 'roads', 'buildings']) expect(tile.layers[layer]?.length, layer).toBeGreaterThan(0);
    const areas = tile.layers.areas;
    const levels = new Set(Array.from({ length: areas.length }, (_, i) => areas.feature(i).properties.level));
    expect(levels).toContain('grid');
  });

  it('carries the unit entrances and compound gates in the deepest tiles (z16), which the map overzooms to draw them from z17', async () => {
    const [door] = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM entrances ORDER BY id LIMIT 1`);
    const [gate] = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM gates ORDER BY id LIMIT 1`);
    for (const [layer, at] of [['entrances', door], ['gates', gate]] as const) {
      const { z, x, y } = tileOf(Number(at.lon), Number(at.lat), 16);
      const tile = new VectorTile(new PbfReader(new Uint8Array(await (await t.get(`/api/tiles/${z}/${x}/${y}.mvt`)).arrayBuffer())));
      expect(tile.layers[layer]?.length, layer).toBeGreaterThan(0);
    }
  });

  it('puts no private field in any tile of the street', async () => {
    const doc = await (await t.get('/api/tiles.json')).json();
    const [w, s, e, n] = doc.bounds;
    const a = tileOf(w, n, 14);
    const b = tileOf(e, s, 14);
    let seen = 0;
    for (let x = a.x; x <= b.x; x++) {
      for (let y = a.y; y <= b.y; y++) {
        const res = await t.get(`/api/tiles/14/${x}/${y}.mvt`);
        if (res.status === 204) continue;
        const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
        for (const layer of Object.values(tile.layers)) {
          for (let i = 0; i < layer.length; i++) {
            const keys = Object.keys(layer.feature(i).properties);
            expect(keys).not.toContain('contact');
            expect(keys).not.toContain('phone');
            seen++;
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('answers 204 for a tile with nothing in it and 400 for an impossible one', async () => {
    expect((await t.get('/api/tiles/14/0/0.mvt')).status).toBe(204);
    expect((await t.get('/api/tiles/3/8/0.mvt')).status).toBe(400);
    expect((await t.get('/api/tiles/25/0/0.mvt')).status).toBe(400);
    expect((await t.get('/api/tiles/a/b/c.mvt')).status).toBe(404);
  });

  it('cuts a feature across a block edge into each tile it touches, once, as one index of every row would', async () => {
    const reference = await unpartitioned(t.database);
    // the street fits in one z12 block: blocks of z14 tiles here, each read with exactly its own tile buffer
    const bz = 14;
    const tiles = await TileIndex.build(t.database, { fineBlockZoom: bz, workers: 2 }); // and t.tiles, with the server's default
    const [w, s, e, n] = tiles.bounds;
    // an edge between two blocks across the street: west–east or north–south
    const west = tileOf(w, n, bz);
    const east = tileOf(e, s, bz);
    const vertical = east.x > west.x;
    expect(vertical || east.y > west.y, `the street ${[w, s, e, n]} spans two blocks`).toBe(true);
    const edge = vertical ? east.x : east.y; // the first column (or row) of the second block
    const edgeLine = vertical ? lonOf(edge, bz) : latOf(edge, bz);
    const [across] = await t.database.rows<{ id: string; lon: number; lat: number }>(vertical ? sql`
      SELECT id, ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM areas
      WHERE level = 'grid' AND ST_XMin(geom) < ${edgeLine} AND ST_XMax(geom) > ${edgeLine} ORDER BY id LIMIT 1` : sql`
      SELECT id, ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM areas
      WHERE level = 'grid' AND ST_YMin(geom) < ${edgeLine} AND ST_YMax(geom) > ${edgeLine} ORDER BY id LIMIT 1`);
    expect(across, 'a grid across the block edge').toBeTruthy();
    for (const z of [14, 15, 16]) {
      const at = tileOf(vertical ? edgeLine : across.lon, vertical ? across.lat : edgeLine, z);
      const first = edge * 2 ** (z - bz);
      const sides = vertical ? [[first - 1, at.y], [first, at.y]] : [[at.x, first - 1], [at.x, first]];
      expect(blockOf(z, sides[0][0], sides[0][1], bz)).not.toEqual(blockOf(z, sides[1][0], sides[1][1], bz));
      for (const [x, y] of sides) {
        const tile = contents(await tiles.getTile(z, x, y));
        expect(tile.areas.filter((f) => JSON.parse(f)[1].id === across.id), `${across.id} in ${z}/${x}/${y}`).toHaveLength(1);
        expect(tile, `${z}/${x}/${y}`).toEqual(contents(reference(z, x, y)));
      }
    }
    // and every tile of the street at z11–15, from blocks of either size
    for (const z of [11, 12, 13, 14, 15]) {
      const a = tileOf(w, n, z);
      const b = tileOf(e, s, z);
      for (let x = a.x; x <= b.x; x++) {
        for (let y = a.y; y <= b.y; y++) {
          const expected = contents(reference(z, x, y));
          expect(contents(await tiles.getTile(z, x, y)), `${z}/${x}/${y}`).toEqual(expected);
          expect(contents(await t.tiles.getTile(z, x, y)), `${z}/${x}/${y}`).toEqual(expected);
        }
      }
    }
    await tiles.close();
  });

  it('encodes a cut tile into the very bytes vt-pbf writes for it', async () => {
    const reference = await unpartitioned(t.database);
    const doc = await (await t.get('/api/tiles.json')).json();
    for (const z of [12, 14, 15, 16]) {
      const { x, y } = tileOf(doc.center[0], doc.center[1], z);
      const drawn = reference.cut(z, x, y);
      expect(drawn.size, `${z}/${x}/${y}`).toBeGreaterThan(0);
      expect(Buffer.from(encodeLayers(drawn, 4096)).equals(Buffer.from(vtPbf(drawn))), `${z}/${x}/${y}`).toBe(true);
    }
  });

  it('holds no more blocks and tiles than its budgets after touching many blocks, and answers the same', async () => {
    const budgets = { blocks: 256 * 1024, tiles: 64 * 1024, fineBlockZoom: 14, workers: 0 }; // the blocks on this thread, where they can be counted after each tile
    const small = await TileIndex.build(t.database, budgets);
    const [w, s, e, n] = small.bounds;
    const blocks = new Set<string>();
    for (const z of [6, 7, 9, 12, 14, 15]) {
      const a = tileOf(w, n, z);
      const b = tileOf(e, s, z);
      for (let x = a.x; x <= b.x; x++) {
        for (let y = a.y; y <= b.y; y += z === 15 ? 3 : 1) {
          const tile = await small.getTile(z, x, y);
          const block = blockOf(z, x, y, budgets.fineBlockZoom);
          blocks.add(`${block.z}/${block.x}/${block.y}`);
          const held = small.held;
          if (held.blocks > 1) expect(held.blockBytes, `after ${z}/${x}/${y}`).toBeLessThanOrEqual(budgets.blocks);
          if (held.tiles > 1) expect(held.tileBytes, `after ${z}/${x}/${y}`).toBeLessThanOrEqual(budgets.tiles);
          if (z === 14) expect(contents(tile)).toEqual(contents(await t.tiles.getTile(z, x, y)));
        }
      }
    }
    expect(blocks.size).toBeGreaterThan(small.held.blocks + 2); // some were let go
  });

  it('cuts ahead the tiles over the whole area at the zooms a phone and a wall open it on, the same as when asked for', async () => {
    const tiles = await TileIndex.build(t.database, { workers: 0 });
    const cut = await tiles.warm();
    const [w, s, e, n] = tiles.bounds;
    const span = (z: number) => { const a = tileOf(w, n, z); const b = tileOf(e, s, z); return (b.x - a.x + 1) * (b.y - a.y + 1); };
    // the zoom a screen fitted to the street opens at: its width in 512 px tiles (the street is wider than tall)
    const fit = (px: number) => Math.floor(Math.log2(px / 512 / ((e - w) / 360)));
    const zooms = Array.from({ length: fit(1920) - fit(360) + 1 }, (_, i) => fit(360) + i);
    expect(cut).toBe(zooms.reduce((sum, z) => sum + span(z), 0));
    expect(tiles.held.tiles).toBe(cut);
    for (const z of [zooms[0], zooms.at(-1)!]) {
      const { x, y } = tileOf((w + e) / 2, (s + n) / 2, z);
      const warmed = await tiles.getTile(z, x, y);
      expect(tiles.held.tiles, `z${z}`).toBe(cut); // answered from what was cut ahead
      expect(contents(warmed)).toEqual(contents(await t.tiles.getTile(z, x, y)));
    }
  });

  it('cuts a tile asked for twice at once only once', async () => {
    const tiles = await TileIndex.build(t.database, { workers: 0 });
    const doc = await (await t.get('/api/tiles.json')).json();
    const { z, x, y } = tileOf(doc.center[0], doc.center[1], 15);
    const [first, second] = await Promise.all([tiles.getTile(z, x, y), tiles.getTile(z, x, y)]);
    expect(second).toBe(first); // the very bytes of the one cut, not a second cut's
  });

  it.each([['on the API thread', 0], ['in a worker', 1]])('serves the new geometry after a reload, and whole tiles while it runs (cut %s)', async (_, workers) => {
    const tiles = await TileIndex.build(t.database, { workers });
    const doc = await (await t.get('/api/tiles.json')).json();
    const { z, x, y } = tileOf(doc.center[0], doc.center[1], 16);
    const before = contents(await tiles.getTile(z, x, y));
    const xs = (f: [unknown, unknown, { x: number }[][]]) => f[2][0].map((p) => p.x);
    // a building well inside the tile, that a quarter tile eastwards (1,024 tile units) leaves inside
    const building = before.buildings.map((f) => JSON.parse(f)).find((f) => xs(f).every((v: number) => v > 100 && v < 2900));
    expect(building).toBeTruthy();
    const near = [[z, x + 1, y], [z, x, y + 1], [z - 1, x >> 1, y >> 1]]; // not asked for yet
    const old = await unpartitioned(t.database);
    const shift = 0.25 * (360 / 2 ** z);
    await t.database.rows(sql`UPDATE buildings SET geom = ST_Translate(geom, ${shift}, 0) WHERE id = ${building[1].id}`);
    try {
      expect(contents(await tiles.getTile(z, x, y))).toEqual(before); // cut before the change, until the reload
      const during = near.map(([tz, tx, ty]) => tiles.getTile(tz, tx, ty));
      await tiles.reload(t.database);
      const fresh = await unpartitioned(t.database);
      const answered = await Promise.all(during);
      near.forEach(([tz, tx, ty], i) => expect([contents(old(tz, tx, ty)), contents(fresh(tz, tx, ty))]).toContainEqual(contents(answered[i])));
      const after = contents(await tiles.getTile(z, x, y)).buildings.map((f) => JSON.parse(f)).find((f) => f[1].id === building[1].id);
      const moved = xs(after).map((v: number, i: number) => v - xs(building)[i]);
      expect(Math.max(...moved.map((d: number) => Math.abs(d - 1024)))).toBeLessThanOrEqual(1);
      expect(contents(await tiles.getTile(z, x, y))).toEqual(contents(fresh(z, x, y)));
    } finally {
      await t.database.rows(sql`UPDATE buildings SET geom = ST_Translate(geom, ${-shift}, 0) WHERE id = ${building[1].id}`);
      await tiles.reload(t.database);
      await tiles.close();
    }
  });

  it('fails the tiles a worker was cutting when it stops, and cuts them in a new one', async () => {
    const tiles = await TileIndex.build(t.database, { workers: 1 });
    try {
      const doc = await (await t.get('/api/tiles.json')).json();
      const { z, x, y } = tileOf(doc.center[0], doc.center[1], 15);
      const cutting = tiles.getTile(z, x, y);
      const [worker] = tiles.workerThreads; // started for this tile, which it cannot have cut yet (it is still loading)
      expect(worker).toBeTruthy();
      await worker.terminate(); // as a crash would stop it
      await expect(cutting).rejects.toThrow(/tile worker stopped/);
      expect(contents(await tiles.getTile(z, x, y))).toEqual(contents(await t.tiles.getTile(z, x, y)));
      expect(tiles.workerThreads).toHaveLength(1);
      expect(tiles.workerThreads[0]).not.toBe(worker);
    } finally {
      await tiles.close();
    }
  });
});
