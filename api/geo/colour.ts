import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.ts';

const palette = 8; // colours the map style knows (web/src/lib/ui/map/layers-areas.ts, ui/colours.ts: gridColours)

/**
 * Gives every area a colour index so that siblings sharing a border differ: greedy colouring
 * of the adjacency graph, largest degree first (Welsh–Powell), which needs far fewer than 8
 * colours for planar maps like ours.
 */
export async function colourSiblings(db: Db): Promise<void> {
  const result = await db.execute(sql`
    SELECT a.id AS a, b.id AS b FROM areas a
    JOIN areas b ON a.level = b.level AND a.id < b.id AND ST_Intersects(a.geom, b.geom)`);
  const pairs = rowsOf<{ a: string; b: string }>(result);
  const all = rowsOf<{ id: string }>(await db.execute(sql`SELECT id FROM areas ORDER BY id`)).map((r) => r.id);
  const colours = colourGraph(all, pairs.map((p) => [p.a, p.b] as [string, string]));
  const values = [...colours].map(([id, c]) => sql`(${id}, ${c})`);
  if (values.length) {
    await db.execute(sql`UPDATE areas SET color_index = v.c::smallint
      FROM (VALUES ${sql.join(values, sql`, `)}) AS v(id, c) WHERE areas.id = v.id`);
  }
}

export function colourGraph(nodes: string[], edges: [string, string][]): Map<string, number> {
  const neighbours = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const [a, b] of edges) {
    neighbours.get(a)?.add(b);
    neighbours.get(b)?.add(a);
  }
  const order = [...nodes].sort((a, b) => neighbours.get(b)!.size - neighbours.get(a)!.size || (a < b ? -1 : 1));
  const colours = new Map<string, number>();
  for (const node of order) {
    const taken = new Set([...neighbours.get(node)!].map((n) => colours.get(n)));
    let c = 0;
    while (taken.has(c)) c++;
    colours.set(node, c % palette);
  }
  return colours;
}
