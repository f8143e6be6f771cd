import { Hono } from 'hono';
import { zhCN } from '../../web/src/lib/i18n/zh-CN.ts';
import type { Database } from '../db/client.ts';
import { badRequest } from '../errors.ts';
import { circleCategories, circleFor, circleMinutes } from '../geo/circle.ts';

/** The 15-minute circle for secretaries: which buildings lack which services within a 15-minute walk. */
export function circleRoutes(database: Database) {
  const app = new Hono();

  app.get('/', async (c) => {
    const asked = c.req.query('category')?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = asked?.filter((a) => !(circleCategories as readonly string[]).includes(a)) ?? [];
    if (unknown.length) throw badRequest(`the 15-minute circle covers: ${circleCategories.join(', ')}; not ${unknown.join(', ')}`, 'category');
    const categories = asked?.length ? asked : [...circleCategories];
    const circle = await circleFor(database);
    const buildings = circle.buildings.map((b) => ({
      ...b,
      missing: b.missing.filter((m) => categories.includes(m)),
      reachable: Object.fromEntries(Object.entries(b.reachable).filter(([k]) => categories.includes(k))),
    }));
    const gaps = categories.map((category) => {
      const n = buildings.filter((b) => b.missing.includes(category)).length;
      const name = zhCN.poiCategories[category] ?? category;
      return { category, buildings: n, label: n ? `${n} 栋楼 ${circleMinutes} 分钟内没有${name}` : `所有楼栋 ${circleMinutes} 分钟内都有${name}` };
    });
    return c.json({ minutes: circleMinutes, categories, buildings, gaps, computedAt: circle.computedAt, computeMs: circle.computeMs });
  });

  app.get('/buildings.geojson', async (c) => {
    const circle = await circleFor(database);
    return c.body(JSON.stringify(circle.footprints), 200, { 'content-type': 'application/geo+json' });
  });

  return app;
}
