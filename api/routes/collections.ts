import { Hono } from 'hono';
import { z } from 'zod';
import { query } from '../validate.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { bboxParam } from '../geo/bbox.ts';
import { readRequestRow, requestColumns, requestJoins, toPublicRequest } from '../loop/request-row.ts';
import { publicPointSql } from '../loop/public-point.ts';
import { publicBase, publicUrl } from '../urls.ts';
import { openingState } from '../geo/opening.ts';
import { AreaProperties, BuildingProperties, CompoundProperties, PoiProperties, type RequestProperties } from '../contract/wire.ts';

/**
 * OGC API – Features, Part 1 (core + GeoJSON). Each collection names the public columns it may
 * show: private ones (reporter contact, private phones) are simply never selected.
 */
interface Collection {
  id: string;
  title: string;
  description: string;
  from: SQL; // table plus any fixed filter, aliased `f`
  featureId: SQL; // column used as the feature id
  properties: SQL; // jsonb of the public properties
  /** the properties as they leave the server, when a wire shape decides them (requests) */
  shape?: (properties: Record<string, unknown>) => object;
}

const areaShape = (p: Record<string, unknown>) => AreaProperties.parse(p);
const areaProperties = sql`jsonb_build_object('id', f.id, 'level', f.level, 'kind', f.kind, 'name', f.name, 'parentId', f.parent_id)`;

export const collections: Collection[] = [
  { id: 'districts', title: '区县 Districts', description: 'Districts and counties, above the streets', from: sql`areas f WHERE f.level = 'district'`, featureId: sql`f.id`, properties: areaProperties, shape: areaShape },
  { id: 'streets', title: '街道 Streets', description: 'Sub-districts', from: sql`areas f WHERE f.level = 'street'`, featureId: sql`f.id`, properties: areaProperties, shape: areaShape },
  { id: 'communities', title: '社区 Communities', description: 'Communities and villages', from: sql`areas f WHERE f.level = 'community'`, featureId: sql`f.id`, properties: areaProperties, shape: areaShape },
  { id: 'grids', title: '网格 Grids', description: 'Grids, including exclusive grids', from: sql`areas f WHERE f.level = 'grid'`, featureId: sql`f.id`, properties: areaProperties, shape: areaShape },
  { id: 'microgrids', title: '微网格 Micro-grids', description: 'Micro-grids inside grids', from: sql`areas f WHERE f.level = 'microgrid'`, featureId: sql`f.id`, properties: areaProperties, shape: areaShape },
  {
    id: 'compounds', title: '楼院 Compounds', description: 'Residential compounds and estates', from: sql`compounds f WHERE true`, featureId: sql`f.id`,
    properties: sql`jsonb_build_object('id', f.id, 'name', f.name, 'address', f.address, 'microgridId', f.microgrid_id)`,
    shape: (p) => CompoundProperties.parse(p),
  },
  {
    id: 'buildings', title: '楼栋 Buildings', description: 'Buildings with numbers, units and floors', from: sql`buildings f WHERE true`, featureId: sql`f.id`,
    properties: sql`jsonb_build_object('id', f.id, 'compoundId', f.compound_id, 'number', f.number, 'name', f.name, 'floors', f.floors, 'units', f.units, 'use', f.use)`,
    shape: (p) => BuildingProperties.parse(p),
  },
  {
    id: 'pois', title: '服务点位 Service points', description: 'Clinics, canteens, rider stations and other services', from: sql`pois f WHERE true`, featureId: sql`f.id`,
    properties: sql`jsonb_build_object('id', f.id, 'category', f.category, 'name', f.name, 'address', f.address, 'phone', f.phone, 'openingHours', f.opening_hours, 'activities', f.activities)`,
    // the hours as a state the pages word in their language, not the raw OpenStreetMap value only
    shape: (p) => {
      const { openNow, opensAt, closesAt } = openingState(p.openingHours as string | null);
      return PoiProperties.parse({ ...p, openNow, opensAt, closesAt });
    },
  },
  {
    // the one column list and the one public shape of a request (api/loop/request-row.ts): the map, the
    // wall and the worker's queue agree on time left and overdue, and no private column is shaped out
    id: 'requests', title: '诉求 Requests', description: 'Residents\u2019 requests (public fields only)',
    // the geometry is the public grid's point (api/loop/privacy.ts), so a bbox reveals no more than the map
    from: sql`(SELECT ${requestColumns}, ${publicPointSql} AS geom FROM requests r ${requestJoins}) f WHERE true`,
    featureId: sql`f.ticket`,
    properties: sql`to_jsonb(f) - 'geom' - 'contact' - 'description' - 'lon' - 'lat'`,
    shape: (p): RequestProperties => ({ id: String(p.ticket), ...toPublicRequest(readRequestRow(p)) }),
  },
];

const geojson = 'application/geo+json';
/** OGC's paging and box: read as text here, checked by intParam / bboxParam below (limit is clamped, as OGC asks). */
const ItemsQuery = z.object({ limit: z.string().optional(), offset: z.string().optional(), bbox: z.string().optional() });
const maxLimit = 10_000;

/** /api/collections: OGC API – Features, Part 1. */
export function collectionRoutes(database: Database) {
  const byId = new Map(collections.map((c) => [c.id, c]));

  /** The collection's bounding box, so QGIS can zoom to a layer before reading it. */
  const extentOf = async (col: Collection) => {
    const [b] = await database.rows<{ w: number | null; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n
      FROM (SELECT ST_Extent(f.geom)::geometry AS x FROM ${col.from}) b`);
    return b?.w == null ? undefined : {
      spatial: { bbox: [[b.w, b.s, b.e, b.n].map(Number)], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' },
    };
  };

  const feature = (col: Collection) => (row: { id: string; geometry: string; properties: unknown }) => {
    const f = toFeature(row);
    return col.shape ? { ...f, properties: col.shape(f.properties as Record<string, unknown>) } : f;
  };

  return new Hono()
  .get('/', async (c) => {
    const base = publicBase(c.req.url);
    const extents = await Promise.all(collections.map(extentOf));
    return c.json({
      links: [{ href: `${base}/api/collections`, rel: 'self', type: 'application/json', title: 'Collections' }],
      collections: collections.map((col, i) => ({ ...describe(col, base), extent: extents[i] })),
    });
  })

  .get('/:id', async (c) => {
    const col = byId.get(c.req.param('id'));
    if (!col) throw noCollection(c.req.param('id'));
    return c.json({ ...describe(col, publicBase(c.req.url)), extent: await extentOf(col) });
  })

  .get('/:id/items', query(ItemsQuery), async (c) => {
    const col = byId.get(c.req.param('id'));
    if (!col) throw noCollection(c.req.param('id'));
    const asked = c.req.valid('query');
    const limit = intParam(asked.limit, 'limit', 100, 1, maxLimit);
    const offset = intParam(asked.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const bbox = bboxParam(asked.bbox);
    const where = bbox ? sql` AND f.geom && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)
      AND ST_Intersects(f.geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))` : sql``;
    const [rows, [{ n }]] = await Promise.all([
      database.rows<{ id: string; geometry: string; properties: unknown }>(sql`
        SELECT ${col.featureId} AS id, ST_AsGeoJSON(f.geom, 7) AS geometry, ${col.properties} AS properties
        FROM ${col.from}${where} ORDER BY ${col.featureId} LIMIT ${limit} OFFSET ${offset}`),
      database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${col.from}${where}`),
    ]);
    const self = publicUrl(c.req.url);
    const links = [
      { href: self.href, rel: 'self', type: geojson, title: 'this page' },
      { href: `${publicBase(c.req.url)}/api/collections/${col.id}`, rel: 'collection', type: 'application/json' },
    ];
    if (offset + rows.length < n) links.push({ href: withParams(self, { offset: offset + limit, limit }), rel: 'next', type: geojson, title: 'next page' });
    if (offset > 0) links.push({ href: withParams(self, { offset: Math.max(0, offset - limit), limit }), rel: 'prev', type: geojson, title: 'previous page' });
    return c.body(JSON.stringify({
      type: 'FeatureCollection',
      features: rows.map(feature(col)),
      numberMatched: n,
      numberReturned: rows.length,
      timeStamp: new Date().toISOString(),
      links,
    }), 200, { 'content-type': geojson });
  })

  .get('/:id/items/:featureId', async (c) => {
    const col = byId.get(c.req.param('id'));
    if (!col) throw noCollection(c.req.param('id'));
    const [row] = await database.rows<{ id: string; geometry: string; properties: unknown }>(sql`
      SELECT ${col.featureId} AS id, ST_AsGeoJSON(f.geom, 7) AS geometry, ${col.properties} AS properties
      FROM ${col.from} AND ${col.featureId} = ${c.req.param('featureId')}`);
    if (!row) throw new ApiError('not_found', `no feature '${c.req.param('featureId')}' in '${col.id}'`);
    const base = publicBase(c.req.url);
    return c.body(JSON.stringify({
      ...feature(col)(row),
      links: [
        { href: publicUrl(c.req.url).href, rel: 'self', type: geojson },
        { href: `${base}/api/collections/${col.id}`, rel: 'collection', type: 'application/json' },
      ],
    }), 200, { 'content-type': geojson });
  });
}

const noCollection = (id: string) => new ApiError('not_found', `no collection '${id}'; see /api/collections`);

function describe(col: Collection, base: string) {
  return {
    id: col.id,
    title: col.title,
    description: col.description,
    itemType: 'feature',
    crs: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'],
    links: [
      { href: `${base}/api/collections/${col.id}`, rel: 'self', type: 'application/json' },
      { href: `${base}/api/collections/${col.id}/items`, rel: 'items', type: geojson, title: col.title },
    ],
  };
}

function toFeature(row: { id: string; geometry: string; properties: unknown }) {
  const properties = typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties;
  return { type: 'Feature', id: row.id, geometry: JSON.parse(row.geometry), properties };
}

function withParams(url: URL, params: Record<string, number>) {
  const next = new URL(url);
  for (const [k, v] of Object.entries(params)) next.searchParams.set(k, String(v));
  return next.href;
}

function intParam(value: string | undefined, name: string, fallback: number, min: number, max: number) {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new ApiError('invalid_value', `${name} must be a whole number from ${min} to ${max}`, { field: name, minimum: min, maximum: max });
  return Math.min(Math.max(Number(value), min), max); // OGC: clamp limit rather than refuse it
}
