import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.ts';
import { careSchemes, type CareCategory, type CareScheme } from '../contract/care.ts';
import { nameIndex, seal } from './seal.ts';

// The demo's care ledger (docs/care.md): fictional households in the demo street, the same ones on
// every load — up to three residential buildings per grid (the 1st, 3rd and 5th by id), colours,
// categories, workers and visits in a fixed pattern, visit times counted back from the load. Sealed
// like real ones, with this server's key. `npm run demo -- remove` empties the tables with the rest.

const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const given = ['桂芳', '秀兰', '德明', '淑珍', '建国', '玉梅', '长顺', '凤英', '守义', '兰香', '福生', '巧云', '振华', '月娥', '小宝', '欣怡'];
const rooms = ['1单元101', '1单元302', '2单元201', '2单元502', '3单元402', '1单元601'];
/** what a visit found, by scheme: the adults' households and the children's */
const findings: Record<CareScheme, string[]> = {
  five: [
    '老人身体尚可，冰箱里有菜，叮嘱按时吃药',
    '血压偏高，已联系社区卫生服务站上门随访',
    '家中暖气不热，已报物业维修',
    '低保年审材料已帮忙准备齐全',
    '门口台阶湿滑，已请物业加装扶手',
  ],
  children: [
    '孩子在校情况良好，监护人外出务工，由祖母照看',
    '作业辅导已安排到儿童之家，每周二、四放学后',
    '冬衣不够，已联系爱心妈妈团送来两件棉衣',
  ],
};
/** colour, categories and scheme of the demo's n-th household (a fixed cycle). */
const pattern: { colour: string; categories: CareCategory[]; scheme: CareScheme }[] = [
  { colour: 'red', categories: ['living_alone', 'very_old'], scheme: 'five' },
  { colour: 'orange', categories: ['disabled'], scheme: 'five' },
  { colour: 'yellow', categories: ['empty_nest'], scheme: 'five' },
  { colour: 'green', categories: ['low_income'], scheme: 'five' },
  { colour: 'blue', categories: ['serious_illness'], scheme: 'five' },
  { colour: 'orange', categories: ['child_in_difficulty'], scheme: 'children' },
  { colour: 'green', categories: ['very_old'], scheme: 'five' },
  { colour: 'yellow', categories: ['left_behind_child'], scheme: 'children' },
];
/** days since the last visit, cycled: some well within their frequency, some overdue, one never visited (null). */
const lastVisitDaysAgo = [3, 12, 20, 45, null, 6, 95, 28, 9];

const day = 86_400_000;

/** Writes the demo's care households and their visits, inside the demo's loading transaction. */
export async function seedDemoCare(db: Db, now = Date.now()): Promise<void> {
  const places = rowsOf<{ building_id: string; street_id: string; community_id: string; grid_id: string; microgrid_id: string | null; lon: number; lat: number; worker_id: string | null }>(await db.execute(sql`
    WITH b AS (
      SELECT b.id, ST_PointOnSurface(b.geom) AS p FROM buildings b WHERE b.use = 'residential'
    ), placed AS (
      SELECT b.id AS building_id, a.street_id, a.community_id, a.grid_id, a.microgrid_id, ST_X(b.p) AS lon, ST_Y(b.p) AS lat,
        row_number() OVER (PARTITION BY a.grid_id ORDER BY b.id) AS n
      FROM b CROSS JOIN LATERAL assign_point(b.p) a WHERE a.grid_id IS NOT NULL
    )
    SELECT p.*, (SELECT s.id FROM staff s WHERE s.area_id = p.grid_id AND s.role = 'grid_worker' ORDER BY s.id LIMIT 1) AS worker_id
    FROM placed p WHERE p.n IN (1, 3, 5) ORDER BY p.grid_id, p.n`));
  let i = 0;
  for (const place of places) {
    const k = i++;
    const { colour, categories, scheme } = pattern[k % pattern.length];
    const name = surnames[k % surnames.length] + given[(k * 7) % given.length];
    const ago = lastVisitDaysAgo[k % lastVisitDaysAgo.length];
    // written down before its first visit; a household never visited was added days ago
    const created = new Date(now - (ago === null ? 2 + (k % 10) : ago + 40) * day);
    const [h] = rowsOf<{ id: number }>(await db.execute(sql`
      INSERT INTO care_households (street_id, community_id, grid_id, microgrid_id, building_id, name_sealed, name_index,
        id_number_sealed, phone_sealed, room_sealed, notes_sealed, scheme, colour, categories, worker_id, geom, created_at, updated_at)
      VALUES (${place.street_id}, ${place.community_id}, ${place.grid_id}, ${place.microgrid_id}, ${place.building_id},
        ${seal(name, 'name')}, ${nameIndex(name)}, ${seal(`000000${1930 + (k % 80)}0101${String(k).padStart(4, '0')}`, 'id_number')},
        ${seal(`139-0000-${String(1000 + k).slice(-4)}`, 'phone')}, ${seal(rooms[k % rooms.length], 'room')},
        ${seal(`演示数据：${categories.length ? '重点关爱对象' : ''}，${careSchemes[scheme].find((c) => c.colour === colour)!.everyDays} 天一访`, 'notes')},
        ${scheme}, ${colour}, ${JSON.stringify(categories)}::jsonb, ${place.worker_id},
        ST_SetSRID(ST_MakePoint(${place.lon}, ${place.lat}), 4326), ${created.toISOString()}::timestamptz, ${created.toISOString()}::timestamptz)
      RETURNING id`));
    if (ago === null) continue;
    // an earlier visit a month before, at a worse colour for the red-turned-better ones
    const earlier = ['orange', 'yellow', 'green'].includes(colour) && k % 2 === 0 ? 'red' : colour;
    const visits = [
      { at: now - (ago + 30) * day, before: earlier, after: earlier, finding: findings[scheme][(k + 1) % findings[scheme].length] },
      { at: now - ago * day, before: earlier, after: colour, finding: findings[scheme][k % findings[scheme].length] },
    ];
    for (const v of visits) {
      await db.execute(sql`
        INSERT INTO care_visits (household_id, worker_id, at, finding_sealed, colour_before, colour_after, building_id, street_id, community_id, grid_id, microgrid_id)
        VALUES (${h.id}, ${place.worker_id}, ${new Date(v.at).toISOString()}::timestamptz, ${seal(v.finding, 'finding')}, ${v.before}, ${v.after},
          ${place.building_id}, ${place.street_id}, ${place.community_id}, ${place.grid_id}, ${place.microgrid_id})`);
    }
  }
}
