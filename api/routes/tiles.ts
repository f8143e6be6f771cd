import { Hono } from 'hono';
import { ApiError } from '../errors.ts';
import type { TileIndex } from '../tiles/tile-index.ts';
import { tileLayers } from '../tiles/layers.ts';
import { maxZoom } from '../tiles/cut.ts';
import { publicBase } from '../urls.ts';

const layerFields: Record<string, Record<string, string>> = {
  landuse: { class: 'String', name: 'String' },
  roads: { id: 'String', class: 'String', name: 'String' },
  areas: { id: 'String', level: 'String', kind: 'String', name: 'String', parentId: 'String', colorIndex: 'Number' },
  area_labels: { id: 'String', level: 'String', kind: 'String', name: 'String' },
  compounds: { id: 'String', name: 'String' },
  buildings: { id: 'String', number: 'String', floors: 'Number', units: 'Number', use: 'String', compoundId: 'String' },
  entrances: { id: 'String', name: 'String', buildingId: 'String' },
  gates: { id: 'String', name: 'String', compoundId: 'String' },
  pois: { id: 'String', category: 'String', name: 'String' },
};

/** /api/tiles.json (TileJSON 3) and /api/tiles/{z}/{x}/{y}.mvt: the basemap and the areas, cut in memory from blocks read when first asked for. */
export const tileRoutes = (tiles: TileIndex) => new Hono()
  .get('/tiles.json', (c) => {
    const [w, s, e, n] = tiles.bounds;
    return c.json({
      tilejson: '3.0.0',
      name: '一图 Grid Map',
      /** what the map is of: the one top area's name (民生街道, 荔原县), null with several or none */
      place: tiles.place,
      attribution: '一图 Grid Map demo data (fictional)',
      tiles: [`${publicBase(c.req.url)}/api/tiles/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: maxZoom,
      bounds: [w, s, e, n] as [number, number, number, number],
      center: [(w + e) / 2, (s + n) / 2, 15] as [number, number, number],
      vector_layers: tileLayers.map((id) => ({ id, fields: layerFields[id] ?? {} })),
    });
  })

  .get('/tiles/:z/:x/:y{[0-9]+\\.mvt}', async (c) => {
    const z = Number(c.req.param('z'));
    const x = Number(c.req.param('x'));
    const y = Number(c.req.param('y').slice(0, -4));
    if (![z, x, y].every(Number.isInteger) || z < 0 || z > 24 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) {
      throw new ApiError('invalid_tile', 'tile must be /api/tiles/{z}/{x}/{y}.mvt with 0 ≤ z ≤ 24 and 0 ≤ x, y < 2^z');
    }
    const tile = await tiles.getTile(z, x, y);
    const headers = { 'content-type': 'application/vnd.mapbox-vector-tile', 'cache-control': 'public, max-age=60' };
    if (!tile.length) return c.body(null, 204, headers);
    return c.body(tile as Uint8Array<ArrayBuffer>, 200, headers);
  });
