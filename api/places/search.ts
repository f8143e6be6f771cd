import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

export type Token =
  | { kind: 'text'; text: string }
  | { kind: 'building'; number: string; raw: string }
  | { kind: 'unit'; number: string; raw: string };

const chineseDigits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 二十 → 20, 二十三 → 23 (building and unit numbers only). */
function chineseNumber(s: string): number | null {
  if (/^[零〇一二两三四五六七八九]$/.test(s)) return chineseDigits[s];
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (!m) return null;
  return (m[1] ? chineseDigits[m[1]] : 1) * 10 + (m[2] ? chineseDigits[m[2]] : 0);
}

/**
 * What a resident or rider types, as tokens: "十号院 3号楼2单元" → text 十号院, building 3, unit 2.
 * Building and unit numbers must match whole (3号楼 is not 13号楼); everything else is a
 * case-insensitive substring. Full-width digits, 三号楼, 3栋, 3幢, 3#, and the riders' "3-2" work.
 */
export function tokenize(query: string): Token[] {
  let q = query.normalize('NFKC').replace(/\s+/g, ' ').trim(); // NFKC: full-width digits and spaces
  q = q.replace(/([零〇一二两三四五六七八九十]{1,3})(?=\s*(号楼|栋|幢|单元))/g, (m) => String(chineseNumber(m) ?? m));
  const tokens: Token[] = [];
  const dash = /^(\d+)\s*[-－—#]\s*(\d+)$/.exec(q);
  if (dash) {
    return [
      { kind: 'building', number: String(Number(dash[1])), raw: `${dash[1]}号楼` },
      { kind: 'unit', number: String(Number(dash[2])), raw: `${dash[2]}单元` },
    ];
  }
  const pattern = /(\d+)\s*(号楼|栋|幢|#|号(?=\s|$|\d|单元))|(\d+)\s*单元/g;
  let last = 0;
  const text = (s: string) => { for (const t of s.split(' ')) if (t.trim()) tokens.push({ kind: 'text', text: t.trim() }); };
  for (let m = pattern.exec(q); m; m = pattern.exec(q)) {
    text(q.slice(last, m.index));
    if (m[1]) tokens.push({ kind: 'building', number: String(Number(m[1])), raw: m[0].replace(/\s/g, '') });
    else tokens.push({ kind: 'unit', number: String(Number(m[3])), raw: m[0].replace(/\s/g, '') });
    last = m.index + m[0].length;
  }
  text(q.slice(last));
  return tokens;
}

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

function condition(token: Token): SQL {
  // strpos, not LIKE: the user's %, _ and backslashes are plain characters
  if (token.kind === 'text') return sql`strpos(lower(k.hay), lower(${token.text})) > 0`;
  const raw = sql`strpos(k.hay, ${token.raw}) > 0`;
  if (token.kind === 'building') return sql`(k.bnum = ${token.number} OR ${raw})`;
  return sql`(k.unit = ${Number(token.number)} OR ${raw})`;
}

export async function search(database: Database, query: string, limit: number) {
  const tokens = tokenize(query);
  if (!tokens.length) return [];
  const whole = query.normalize('NFKC').replace(/\s+/g, '');
  const first = tokens[0].kind === 'text' ? tokens[0].text : tokens[0].raw;
  return database.rows<{ type: string; id: string; name: string; label: string; lon: number; lat: number; compoundId: string | null }>(sql`
    SELECT k.type, k.id, k.name, k.label, ST_X(k.pt) AS lon, ST_Y(k.pt) AS lat, k."compoundId"
    FROM (${candidates}) k
    WHERE ${sql.join(tokens.map(condition), sql` AND `)}
    ORDER BY CASE
        WHEN lower(replace(k.label, ' ', '')) = lower(${whole}) OR lower(k.name) = lower(${whole}) THEN 0
        WHEN lower(k.name) LIKE lower(${escapeLike(first)}) || '%' OR lower(replace(k.label, ' ', '')) LIKE lower(${escapeLike(whole)}) || '%' THEN 1
        ELSE 2 END,
      k.ord, length(k.label), k.label, k.id
    LIMIT ${limit}`);
}

/** A literal prefix for LIKE (… LIKE x || '%'): the user's own % and _ are not wildcards. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

