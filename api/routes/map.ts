import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';
import { ApiError } from '../errors.ts';
import { bboxParam } from '../geo/bbox.ts';
import { markerLimit, markerLimitMax, requestsInView } from '../live/viewport.ts';
import { kioskAreaOr403 } from '../live/viewer.ts';
import { query } from '../validate.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a day as YYYY-MM-DD' });
const MapRequestsQuery = z.object({
  bbox: z.string().optional(),
  zoom: z.coerce.number().min(0).max(24).optional(),
  area: z.string().max(100, { error: 'area is too long; use an area id such as MS-XSL' }).optional(),
  kiosk: z.string().optional(),
  closedFrom: day.optional(),
  closedTo: day.optional(),
  limit: z.coerce.number().int().min(1).optional(),
});

/**
 * GET /api/map/requests — the requests of a map's view (docs/api.md, "The grid map"): markers
 * or counts per area, public fields only, so it needs no sign-in. `?kiosk=` frames a wall screen
 * on its area.
 */
export const mapRoutes = (database: Database) => new Hono()
  .get('/requests', query(MapRequestsQuery), async (c) => {
    const asked = c.req.valid('query');
    let area: { id: string; level: AreaLevel } | null = null;
    if (asked.kiosk !== undefined) area = await kioskAreaOr403(database, asked.kiosk);
    else if (asked.area) {
      const [row] = await database.rows<{ id: string; level: AreaLevel }>(sql`SELECT id, level FROM areas WHERE id = ${asked.area}`);
      if (!row) throw new ApiError('area_not_found', `no area ${asked.area}; area ids look like MS-XSL (community) or MS-XSL-G01 (grid)`);
      area = row;
    }
    if (asked.closedTo && !asked.closedFrom) throw new ApiError('required', 'closedFrom is required with closedTo', 'closedFrom');
    const closed = asked.closedFrom ? { from: asked.closedFrom, to: asked.closedTo ?? shanghaiToday() } : null;
    if (closed && closed.from > closed.to) throw new ApiError('invalid_period', 'closedFrom must not be after closedTo', 'closedFrom');
    const view = await requestsInView(database, {
      bbox: bboxParam(asked.bbox),
      zoom: asked.zoom ?? 20,
      area,
      closed,
      limit: Math.min(asked.limit ?? markerLimit, markerLimitMax), // more than the maximum is served as the maximum
    });
    return c.json(view, 200, { 'cache-control': 'no-store' });
  });

const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
