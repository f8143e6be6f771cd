import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.ts';
import { seal } from '../care/seal.ts';

// The demo's field visits (docs/visits.md): in the first three grids of 学生路社区 (the demo accounts'), a few building
// visits of the last days, one finished patrol of yesterday morning past some of its buildings
// with two findings logged on the way, and a 零上报 of yesterday — the same on every load, times
// counted back from the load. Only with the demo: `npm run demo -- remove` empties them with the rest.

const findings = [
  '楼道堆放纸箱杂物，已提醒住户清理',
  '单元门禁损坏，已告知物业',
  '3单元楼道灯不亮',
  '电动车在楼道充电，已劝导推到充电棚',
  '绿化带有积水，蚊虫较多',
  '巡查正常，无异常情况',
];

const hour = 3_600_000;

/** Writes the demo's visits, patrol and 零上报, inside the demo's loading transaction. */
export async function seedDemoVisits(db: Db, now = Date.now()): Promise<void> {
  const places = rowsOf<{ building_id: string; street_id: string; community_id: string; grid_id: string; microgrid_id: string | null; lon: number; lat: number; worker_id: string | null; n: number }>(await db.execute(sql`
    WITH b AS (SELECT id, ST_PointOnSurface(geom) AS p FROM buildings),
    placed AS (
      SELECT b.id AS building_id, a.street_id, a.community_id, a.grid_id, a.microgrid_id, ST_X(b.p) AS lon, ST_Y(b.p) AS lat,
        row_number() OVER (PARTITION BY a.grid_id ORDER BY b.id) AS n
      FROM b CROSS JOIN LATERAL assign_point(b.p) a WHERE a.grid_id IN (SELECT id FROM areas WHERE level = 'grid' AND id LIKE 'MS-XSL-%' ORDER BY id LIMIT 3))
    SELECT p.*, (SELECT s.id FROM staff s WHERE s.area_id = p.grid_id AND s.role = 'grid_worker' ORDER BY s.id LIMIT 1) AS worker_id
    FROM placed p WHERE p.n <= 8 ORDER BY p.grid_id, p.n`));
  const grids = [...new Set(places.map((p) => p.grid_id))];
  // building visits: the 2nd, 4th and 6th building of each grid, hours to a few days ago
  let k = 0;
  for (const place of places.filter((p) => [2, 4, 6].includes(Number(p.n)) && p.worker_id)) {
    const at = new Date(now - (3 + 17 * k) * hour);
    await db.execute(sql`
      INSERT INTO care_visits (worker_id, at, finding_sealed, building_id, street_id, community_id, grid_id, microgrid_id)
      VALUES (${place.worker_id}, ${at.toISOString()}::timestamptz, ${seal(findings[k % findings.length], 'finding')}, ${place.building_id},
        ${place.street_id}, ${place.community_id}, ${place.grid_id}, ${place.microgrid_id})`);
    k++;
  }
  // yesterday morning's patrol in the first grid: a walk past its first eight buildings, a position a minute
  const walk = places.filter((p) => p.grid_id === grids[0] && p.worker_id);
  if (walk.length >= 2) {
    const start = now - 26 * hour;
    const [patrol] = rowsOf<{ id: number }>(await db.execute(sql`
      INSERT INTO patrols (worker_id, street_id, community_id, grid_id, started_at, ended_at)
      VALUES (${walk[0].worker_id}, ${walk[0].street_id}, ${walk[0].community_id}, ${walk[0].grid_id},
        ${new Date(start).toISOString()}::timestamptz, ${new Date(start + walk.length * 3 * 60_000).toISOString()}::timestamptz)
      RETURNING id`));
    for (const [i, p] of walk.entries()) {
      for (const step of [0, 1, 2]) {
        const next = walk[Math.min(i + 1, walk.length - 1)];
        const f = step / 3; // three positions between one building and the next
        await db.execute(sql`
          INSERT INTO patrol_points (patrol_id, at, accuracy, geom) VALUES (${patrol.id}, ${new Date(start + (i * 3 + step) * 60_000).toISOString()}::timestamptz, 8,
            ST_SetSRID(ST_MakePoint(${Number(p.lon) + (Number(next.lon) - Number(p.lon)) * f}, ${Number(p.lat) + (Number(next.lat) - Number(p.lat)) * f}), 4326))`);
      }
    }
    for (const [i, p] of [walk[1], walk[walk.length - 1]].entries()) {
      await db.execute(sql`
        INSERT INTO care_visits (worker_id, at, finding_sealed, building_id, street_id, community_id, grid_id, microgrid_id, patrol_id)
        VALUES (${p.worker_id}, ${new Date(start + (i + 1) * 9 * 60_000).toISOString()}::timestamptz, ${seal(findings[(i + 3) % findings.length], 'finding')},
          ${p.building_id}, ${p.street_id}, ${p.community_id}, ${p.grid_id}, ${p.microgrid_id}, ${patrol.id})`);
    }
  }
  // a 零上报 of yesterday (Beijing day) by the second grid's worker
  const quiet = places.find((p) => p.grid_id === grids[1] && p.worker_id);
  if (quiet) {
    await db.execute(sql`
      INSERT INTO zero_reports (worker_id, day, street_id, community_id, grid_id, at)
      VALUES (${quiet.worker_id}, ((${new Date(now).toISOString()}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - 1),
        ${quiet.street_id}, ${quiet.community_id}, ${quiet.grid_id}, ${new Date(now - 20 * hour).toISOString()}::timestamptz)`);
  }
}
