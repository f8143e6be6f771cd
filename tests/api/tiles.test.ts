import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}

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
});
