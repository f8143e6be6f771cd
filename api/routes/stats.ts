import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { ApiError, badRequest } from '../errors.ts';
import { loadStats } from '../live/stats.ts';
import { kioskArea } from '../live/viewer.ts';

type Level = 'street' | 'community' | 'grid' | 'microgrid';

/**
 * GET /api/stats?areaId= (or ?kiosk=TOKEN: the kiosk's area) — the wall screen's figures.
 * Aggregates and public event fields only, so it needs no sign-in.
 */
export function statsRoutes(database: Database) {
  const app = new Hono();

  app.get('/', async (c) => {
    const areaId = c.req.query('areaId');
    const kiosk = c.req.query('kiosk');
    let area: { id: string; level: Level } | null = null;
    if (kiosk !== undefined) {
      area = await kioskArea(database, kiosk);
      if (!area) throw new ApiError(403, 'this kiosk link is not valid (unknown or revoked token); ask the community for a new wall-screen link');
    } else if (areaId !== undefined && areaId !== '') {
      if (areaId.length > 100) throw badRequest('areaId is too long; use an area id such as MS-XSL', 'areaId');
      const [row] = await database.rows<{ id: string; level: Level }>(sql`SELECT id, level FROM areas WHERE id = ${areaId}`);
      if (!row) throw new ApiError(404, `no area ${areaId}; area ids look like MS-XSL (community) or MS-XSL-G01 (grid)`);
      area = row;
    }
    return c.json(await loadStats(database, area), 200, { 'cache-control': 'no-store' });
  });

  return app;
}
