import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { search } from '../places/search.ts';
import { Limit, query } from '../validate.ts';

const maxQuery = 100; // characters
const maxLimit = 50;

const SearchQuery = z.object({
  q: z.string({ error: 'q must say what to look for, e.g. q=十号院 3号楼 or q=学生路' })
    .refine((q) => q.trim() !== '', { error: 'q must say what to look for, e.g. q=十号院 3号楼 or q=学生路' })
    .pipe(z.string().max(maxQuery, { error: `q must be at most ${maxQuery} characters` })),
  limit: Limit(10, maxLimit),
});

/** /api/search: compounds, buildings ("3号楼2单元"), entrances, roads, service points and areas by name. */
export const searchRoutes = (database: Database) => new Hono()
  .get('/search', query(SearchQuery), async (c) => {
    const { q, limit } = c.req.valid('query');
    const results = await search(database, q, limit);
    return c.json({
      results: results.map((r) => ({
        type: r.type, id: r.id, name: r.name, label: r.label, lon: Number(r.lon), lat: Number(r.lat),
        /** the grid (or community) it lies in: tells apart places of the same name */
        area: r.area ?? null,
        ...(r.compoundId ? { compoundId: r.compoundId } : {}),
      })),
    });
  });
