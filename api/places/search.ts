import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { numeralVariants, tokenize, type Token } from '../contract/address.ts';

/** Everything searchable, one row per place: what to show, what to match, where it is. */
const candidates = sql`
  SELECT 'compound' AS type, c.id, c.name, c.name AS label, c.name || ' ' || coalesce(c.address, '') AS hay,
         NULL::text AS bnum, NULL::int AS unit, c.id AS "compoundId", ST_PointOnSurface(c.geom) AS pt, 0 AS ord
  FROM compounds c
  UNION ALL
  SELECT 'building', b.id, coalesce(b.number, b.name), concat_ws(' ', c.name, coalesce(b.number, b.name)),
         concat_ws(' ', c.name, b.number, b.name), ltrim(substring(b.number from '[0-9]+'), '0'), NULL, b.compound_id,
         ST_PointOnSurface(b.geom), 1
  FROM buildings b LEFT JOIN compounds c ON c.id = b.compound_id
  UNION ALL
  SELECT 'entrance', e.id, e.name, concat_ws(' ', c.name, coalesce(b.number, b.name), e.name),
         concat_ws(' ', c.name, b.number, b.name, e.name), ltrim(substring(b.number from '[0-9]+'), '0'), e.unit, b.compound_id,
         e.geom, 2
  FROM entrances e JOIN buildings b ON b.id = e.building_id LEFT JOIN compounds c ON c.id = b.compound_id
  UNION ALL
  SELECT 'area', a.id, a.name, a.name, a.name, NULL, NULL, NULL, ST_PointOnSurface(a.geom), 3 FROM areas a
  UNION ALL
  SELECT 'road', min(r.id), r.name, r.name, r.name, NULL, NULL, NULL,
         ST_ClosestPoint(ST_Collect(r.geom), ST_Centroid(ST_Collect(r.geom))), 4
  FROM roads r WHERE r.name IS NOT NULL GROUP BY r.name
  UNION ALL
  SELECT 'poi', p.id, p.name, p.name, p.name || ' ' || coalesce(p.address, ''), NULL, NULL, NULL, p.geom, 5 FROM pois p`;

/** the place's words with full-width digits as ASCII ones, the way the query is read (NFKC) */
const hay = sql`translate(k.hay, '０１２３４５６７８９', '0123456789')`;

function condition(token: Token): SQL {
  // strpos, not LIKE: the user's %, _ and backslashes are plain characters; 10号院 finds 十号院 and back
  if (token.kind === 'text') {
    return anyOf(numeralVariants(token.text), (v) => sql`strpos(lower(${hay}), lower(${v})) > 0`);
  }
  const raw = sql`strpos(k.hay, ${token.raw}) > 0`;
  if (token.kind === 'building') return sql`(k.bnum = ${token.number} OR ${raw})`;
  return sql`(k.unit = ${Number(token.number)} OR ${raw})`;
}

export async function search(database: Database, query: string, limit: number) {
  const tokens = tokenize(query);
  if (!tokens.length) return [];
  const whole = query.normalize('NFKC').replace(/\s+/g, '');
  const first = tokens[0].kind === 'text' ? tokens[0].text : tokens[0].raw;
  // the grid each place lies in, so two "3号楼" of different places read apart; a few more rows
  // than asked for, as the same place found twice (a road's pieces, a name in two tables) is shown once
  const rows = await database.rows<Hit>(sql`
    SELECT f.type, f.id, f.name, f.label, ST_X(f.pt) AS lon, ST_Y(f.pt) AS lat, f."compoundId",
      (SELECT a.name FROM areas a WHERE a.level = 'grid' AND ST_Covers(a.geom, f.pt) LIMIT 1) AS grid,
      (SELECT a.name FROM areas a WHERE a.level = 'community' AND ST_Covers(a.geom, f.pt) LIMIT 1) AS community
    FROM (
      SELECT k.*, CASE
          WHEN ${anyOf(numeralVariants(whole), (w) => sql`lower(replace(k.label, ' ', '')) = lower(${w}) OR lower(k.name) = lower(${w})`)} THEN 0
          WHEN ${anyOf(numeralVariants(first), (w) => sql`lower(k.name) LIKE lower(${escapeLike(w)}) || '%'`)}
            OR ${anyOf(numeralVariants(whole), (w) => sql`lower(replace(k.label, ' ', '')) LIKE lower(${escapeLike(w)}) || '%'`)} THEN 1
          ELSE 2 END AS rank
      FROM (${candidates}) k
      WHERE ${sql.join(tokens.map(condition), sql` AND `)}
      ORDER BY rank, k.ord, length(k.label), k.label, k.id
      LIMIT ${limit * 2}) f
    ORDER BY f.rank, f.ord, length(f.label), f.label, f.id`);
  const seen = new Set<string>();
  return rows.map(({ grid, community, ...r }) => ({ ...r, area: areaName(community, grid) })).filter((r) => {
    const key = `${r.type}|${r.label}|${r.area ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, limit);
}

type Hit = { type: string; id: string; name: string; label: string; lon: number; lat: number; compoundId: string | null; grid: string | null; community: string | null };

/** "学生路社区第一网格" names its community already; "民生中医院专属网格" needs it before it. */
const areaName = (community: string | null, grid: string | null) =>
  (grid && community && !grid.startsWith(community) ? `${community} ${grid}` : grid ?? community);

/** `(a OR b …)` of one condition per variant */
const anyOf = (variants: string[], test: (v: string) => SQL) => sql`(${sql.join(variants.map(test), sql` OR `)})`;

/** A literal prefix for LIKE (… LIKE x || '%'): the user's own % and _ are not wildcards. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

