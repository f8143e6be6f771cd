import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { poiCategories, isPoiCategory } from '../contract/vocabulary.ts';
import { Lat, Lon, PointQuery } from '../contract/wire.ts';
import { ApiError } from '../errors.ts';
import { walkGraph } from '../geo/walk-graph.ts';
import { describePoi, nearestOnFoot, snapOrRefuse, walkMinutes } from '../places/pois.ts';
import { Limit, query } from '../validate.ts';

const maxLimit = 50;

/** `category=clinic,pharmacy`: known service-point categories, or none for every kind. */
const PoiCategories = z.string().optional().transform((value, ctx) => {
  const list = value?.split(',').map((c) => c.trim()).filter(Boolean) ?? [];
  const unknown = list.filter((c) => !isPoiCategory(c));
  if (unknown.length) {
    ctx.addIssue({ code: 'invalid_value', values: [...poiCategories], message: `unknown category ${unknown.map((c) => JSON.stringify(c)).join(', ')}; use one or more of: ${poiCategories.join(', ')}` });
    return z.NEVER;
  }
  return list.length ? list : undefined;
});

/** `lon,lat` in one parameter (for /route). */
const Pair = (field: 'from' | 'to') => z.string({ error: `${field} must be lon,lat (WGS84 degrees), e.g. ${field}=113.2353,35.2165` })
  .transform((value, ctx) => {
    const parts = value.split(',');
    const point = parts.length === 2 ? z.object({ lon: Lon, lat: Lat }).safeParse({ lon: parts[0], lat: parts[1] }) : null;
    if (!point?.success) {
      ctx.addIssue({ code: 'custom', message: `${field} must be lon,lat (WGS84 degrees), e.g. ${field}=113.2353,35.2165` });
      return z.NEVER;
    }
    return point.data;
  });

/** /api/nearby (services nearest on foot) and /api/route (the walking path between two points). */
export const nearbyRoutes = (database: Database) => new Hono()
  .get('/nearby', query(PointQuery.extend({ category: PoiCategories, limit: Limit(10, maxLimit) })), async (c) => {
    const { lon, lat, category: categories, limit } = c.req.valid('query');
    const point = { lon, lat };
    const graph = await walkGraph(database);
    const snap = snapOrRefuse(graph, point);
    const found = await nearestOnFoot(database, graph, { ...point, snap }, { categories, limit });
    const now = new Date();
    return c.json({
      origin: { lon, lat, snappedMeters: Math.round(snap.meters) },
      results: found.map(({ row, walk }) => describePoi(row, point, walk, now)),
    });
  })

  .get('/route', query(z.object({ from: Pair('from'), to: Pair('to') })), async (c) => {
    const { from, to } = c.req.valid('query');
    const graph = await walkGraph(database);
    const route = graph.route({ ...from, snap: snapOrRefuse(graph, from, 'from') }, [{ ...to, snap: snapOrRefuse(graph, to, 'to') }]);
    if (!route) throw new ApiError('no_route', 'these two points are on paths that do not meet: no walking route between them', { field: 'to' });
    return c.json({
      meters: Math.round(route.meters * 10) / 10,
      minutes: walkMinutes(route.meters),
      geometry: { type: 'LineString' as const, coordinates: route.coordinates },
    });
  });
