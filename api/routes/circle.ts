import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { zhCNNames } from '../contract/names.ts';
import { circleCategories, type PoiCategory } from '../contract/vocabulary.ts';
import { circleFor, circleMinutes } from '../geo/circle.ts';
import { query } from '../validate.ts';

const isCircleCategory = (c: string): c is (typeof circleCategories)[number] => (circleCategories as readonly string[]).includes(c);

const CircleQuery = z.object({
  category: z.string().optional().transform((value, ctx) => {
    const asked = value?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
    const unknown = asked.filter((a) => !isCircleCategory(a));
    if (unknown.length) {
      ctx.addIssue({ code: 'invalid_value', values: [...circleCategories], message: `the 15-minute circle covers: ${circleCategories.join(', ')}; not ${unknown.join(', ')}` });
      return z.NEVER;
    }
    return asked.length ? (asked as PoiCategory[]) : [...circleCategories];
  }),
});

/** The 15-minute circle for secretaries: which buildings lack which services within a 15-minute walk. */
export const circleRoutes = (database: Database) => new Hono()
  .get('/', query(CircleQuery), async (c) => {
    const categories: string[] = c.req.valid('query').category;
    const circle = await circleFor(database);
    const buildings = circle.buildings.map((b) => ({
      ...b,
      missing: b.missing.filter((m) => categories.includes(m)),
      reachable: Object.fromEntries(Object.entries(b.reachable).filter(([k]) => categories.includes(k))),
    }));
    const gaps = categories.map((category) => {
      const n = buildings.filter((b) => b.missing.includes(category)).length;
      // `label` stays for printed reports and other systems; the page words it in the reader's language from the counts
      const name = zhCNNames.poiCategories[category as PoiCategory] ?? category;
      return { category, buildings: n, label: n ? `${n} 栋楼 ${circleMinutes} 分钟内没有${name}` : `所有楼栋 ${circleMinutes} 分钟内都有${name}` };
    });
    return c.json({ minutes: circleMinutes, categories, buildings, gaps, computedAt: circle.computedAt, computeMs: circle.computeMs });
  })

  .get('/buildings.geojson', async (c) => {
    const circle = await circleFor(database);
    return c.body(JSON.stringify(circle.footprints), 200, { 'content-type': 'application/geo+json' });
  });
