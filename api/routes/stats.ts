import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import type { AreaLevel } from '../contract/vocabulary.ts';
import { Stats } from '../contract/wire.ts';
import { ApiError } from '../errors.ts';
import { sharedStats } from '../live/stats.ts';
import { kioskAreaOr403 } from '../live/viewer.ts';
import { query } from '../validate.ts';

const StatsQuery = z.object({
  areaId: z.string().max(100, { error: 'areaId is too long; use an area id such as MS-XSL' }).optional(),
  kiosk: z.string().optional(),
});

/**
 * GET /api/stats?areaId= (or ?kiosk=TOKEN: the kiosk's area) — the wall screen's figures.
 * Aggregates and public event fields only, so it needs no sign-in.
 */
export const statsRoutes = (database: Database) => new Hono()
  .get('/', query(StatsQuery), async (c) => {
    const { areaId, kiosk } = c.req.valid('query');
    let area: { id: string; level: AreaLevel } | null = null;
    if (kiosk !== undefined) {
      area = await kioskAreaOr403(database, kiosk);
    } else if (areaId) {
      const [row] = await database.rows<{ id: string; level: AreaLevel }>(sql`SELECT id, level FROM areas WHERE id = ${areaId}`);
      if (!row) throw new ApiError('area_not_found', `no area ${areaId}; area ids look like MS-XSL (community) or MS-XSL-G01 (grid)`);
      area = row;
    }
    const stats: Stats = Stats.parse(await sharedStats(database, area));
    return c.json(stats, 200, { 'cache-control': 'no-store' });
  });
