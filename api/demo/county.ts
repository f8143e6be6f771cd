import { sql } from 'drizzle-orm';
import { rowsOf, type Database, type Db } from '../db/client.ts';
import { hashPassword } from '../auth/passwords.ts';
import { poiCategories, refusedStatuses, requestCategories, requestCategoryRules, resolvedStatuses, type AreaLevel, type RequestStatus } from '../contract/vocabulary.ts';
import { colourSiblings } from '../geo/colour.ts';
import { placeAreaLabels } from '../geo/labels.ts';
import { freshStorage, withIndexesDeferred } from '../db/bulk-load.ts';
import { defaultDemoPassword } from './accounts.ts';

// The county demo (issue 12 §1, `DEMO_DATA=county`): a fictional county, 荔原县, at the seeds'
// scale (大荔县, seed 003), generated at first start — deterministic, nothing committed.
//
//   1 district · 16 streets/towns · 256 communities/villages · 4,096 grids (a sixteenth of them
//   exclusive: schools, hospitals, markets) · 8,192 micro-grids · ≈98,000 buildings ·
//   ≈3,000 service points · ≈12,600 staff · a year of requests (≈1,000,000, a few thousand open)
//
// Every polygon is cut from one jittered lattice of shared vertices, so each level tiles its parent
// exactly (the import's checks pass on it), and every generated point lies strictly inside one
// micro-grid cell, so its areas are the ones assign_point would give (tests/api/county.test.ts
// checks a sample). Bulk inserts run as set-based SQL from a table of cells; the per-row triggers
// of requests and events (district, notifications) are off while the past is written, as the
// street demo deletes the notifications of its past: history is not news.

/** The county's size; `streets` 16 is the full county, fewer for tests (each street 1/16 of it). */
export type CountyScale = { streets: number; requests: number };
export const fullCounty: CountyScale = { streets: 16, requests: 1_000_000 };

/** The scale asked for: COUNTY_STREETS (1–16, default 16) and COUNTY_REQUESTS (default 1,000,000). */
export function countyScale(env: Record<string, string | undefined> = process.env): CountyScale {
  const read = (name: string, fallback: number, max: number) => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be a whole number from 1 to ${max}, not "${value}"`);
    return n;
  };
  return { streets: read('COUNTY_STREETS', fullCounty.streets, 16), requests: read('COUNTY_REQUESTS', fullCounty.requests, 5_000_000) };
}

/** Accounts of the county demo, password DEMO_PASSWORD (default demo1234), listed at /api/session/demo-accounts. */
export const countyDemoAccounts = [
  { username: 'county-admin', staffId: 'LY-A' }, // the county's administrator (a street_admin whose area is the district)
  { username: 'town-admin', staffId: 'LY-S01-A' }, // the administrator of 城关街道
  { username: 'village-shuji', staffId: 'LY-S01-C01-A' }, // the secretary of its first community
  { username: 'county-g01', staffId: 'LY-S01-C01-G01-W1' }, // a grid worker
] as const;

const streetNames = ['城关街道', '朝阳街道', '东城街道', '西城街道', '安仁镇', '两宜镇', '官池镇', '冯村镇',
  '韦林镇', '下寨镇', '赵渡镇', '苏村镇', '范家镇', '段家镇', '许庄镇', '石槽镇'];
const villageWords = ['东', '西', '南', '北', '新', '和', '兴', '丰', '安', '平', '福', '康', '乐', '荣', '华', '顺'];
const villageTails = ['庄村', '坡村', '营村', '堡村', '社区', '家村', '寨村', '河社区'];
const surnames = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const givenNames = '建国秀英明华丽娟军伟芳敏静强磊洋艳勇杰娜涛斌超霞平刚桂兰玉梅海燕春雷红亮新文';
const descriptions: Record<string, string> = {
  street_light: '路灯不亮', blocked_drain: '下水道堵塞', sanitation: '垃圾未及时清运', clutter: '楼道堆放杂物',
  flying_wire_charging: '有人飞线充电', facility_repair: '健身器材损坏', leaking_roof: '屋顶漏水', parking: '车辆乱停放',
  noise: '夜间噪音扰民', heating: '暖气不热', elderly_help: '独居老人需要帮助', neighbour_dispute: '邻里纠纷', other: '其他问题',
};

const GRIDS = 4; // grids per community side; each grid is 2 micro-grid columns wide
const COMMUNITIES = 4; // communities per street side
const CELL_X = 0.0026; // one micro-grid column, degrees of longitude (≈ 240 m)
const CELL_Y = 0.0044; // one row, degrees of latitude (≈ 490 m)
const ORIGIN = [109.62, 34.66]; // fictional, where 大荔 lies

/**
 * Loads the county into an empty database in one transaction. Returns the counts written.
 * `progress` hears each step as it ends, with the seconds since the load began (the first start prints them).
 */
export async function loadCountyDemo(database: Database, scale: CountyScale = fullCounty, progress: (done: string, seconds: number) => void = () => {},
  stop?: AbortSignal): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  const done = (what: string) => progress(what, Math.round((performance.now() - t0) / 100) / 10);
  await database.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const run = async (query: ReturnType<typeof sql>) => {
      await stopIfAsked(stop);
      return db.execute(query);
    };
    // the big tables get storage of this transaction's own: on PGlite their rows then skip the WAL
    await freshStorage(db, ['buildings', 'requests', 'request_events']);
    const lattice = makeLattice(scale.streets);
    const areas = latticeAreas(lattice, scale.streets);
    for (let i = 0; i < areas.length; i += 1000) {
      const values = areas.slice(i, i + 1000).map((a) =>
        sql`(${a.id}, ${a.level}, ${a.kind}, ${a.name}, ${a.parentId}, ST_SetSRID(ST_GeomFromGeoJSON(${a.geometry}), 4326))`);
      await run(sql`INSERT INTO areas (id, level, kind, name, parent_id, geom) VALUES ${sql.join(values, sql`, `)}`);
    }
    await run(sql`UPDATE areas SET geom = (SELECT ST_Multi(ST_Union(geom)) FROM areas WHERE level = 'street') WHERE id = 'LY'`);
    counts.areas = areas.length;
    done('areas');

    // one row per micro-grid: its four lattice corners, the areas above it, a running number
    await run(sql`CREATE TEMP TABLE county_cells (n int PRIMARY KEY, micro text, grid text, community text, street text,
      x0 float8, y0 float8, x1 float8, y1 float8, x2 float8, y2 float8, x3 float8, y3 float8) ON COMMIT DROP`);
    const cells = areas.filter((a) => a.level === 'microgrid');
    for (let i = 0; i < cells.length; i += 1000) {
      const values = cells.slice(i, i + 1000).map((a, k) => {
        const [p0, p1, p2, p3] = a.corners!;
        return sql`(${i + k}, ${a.id}, ${a.parentId}, ${a.community}, ${a.street}, ${p0[0]}, ${p0[1]}, ${p1[0]}, ${p1[1]}, ${p2[0]}, ${p2[1]}, ${p3[0]}, ${p3[1]})`;
      });
      await run(sql`INSERT INTO county_cells VALUES ${sql.join(values, sql`, `)}`);
    }
    const cellCount = cells.length;
    // its size known, the year's join reads it into a hash and keeps the requests in id (and time) order;
    // without statistics the planner was seen to sort the million rows by cell for a merge join instead
    await run(sql`ANALYZE county_cells`);
    // a point of cell c at (u, v) in [0, 1]²: bilinear between its corners (SW, SE, NE, NW), inside a convex cell
    const at = (u: string, v: string) => sql.raw(`ST_SetSRID(ST_MakePoint(
      (1-${u})*(1-${v})*c.x0 + ${u}*(1-${v})*c.x1 + ${u}*${v}*c.x2 + (1-${u})*${v}*c.x3,
      (1-${u})*(1-${v})*c.y0 + ${u}*(1-${v})*c.y1 + ${u}*${v}*c.y2 + (1-${u})*${v}*c.y3), 4326)`);

    const total = scale.requests;
    // indexes and foreign keys are built once after the buildings and the year are written (../db/bulk-load.ts says why)
    await withIndexesDeferred(db, ['buildings', 'requests', 'request_events'], async () => {
      // buildings: 12 a micro-grid (4 × 3), about 16 m square, numbered 1号楼…
      // with its grid: the cell's, as assign_point would give (the database would place each one otherwise)
      await run(sql`INSERT INTO buildings (id, number, name, floors, units, use, geom, grid_id)
        SELECT c.micro || '-B' || k, k || '号楼', NULL, 3 + (c.n + k) % 15, 1 + (c.n * 7 + k) % 4,
          CASE WHEN k = 12 AND c.n % 5 = 0 THEN 'public' ELSE 'residential' END,
          ST_Multi(ST_Expand(${at('u', 'v')}, 0.00008)), c.grid
        FROM county_cells c CROSS JOIN LATERAL (
          SELECT k, 0.2 + 0.2 * ((k - 1) % 4) AS u, 0.25 + 0.25 * ((k - 1) / 4) AS v FROM generate_series(1, 12) k) p`);
      // service points: about one in three micro-grids, the categories in turn
      const categories = sql.raw(`ARRAY[${poiCategories.map((c) => `'${c}'`).join(', ')}]`);
      await run(sql`INSERT INTO pois (id, category, name, address, phone, opening_hours, activities, geom)
        SELECT c.micro || '-P', (${categories})[1 + c.n % ${poiCategories.length}], a.name || '服务点', NULL, NULL, 'Mo-Su 08:00-18:00', '[]'::jsonb,
          ${at('0.5', '0.1')}
        FROM county_cells c JOIN areas a ON a.id = c.micro WHERE c.n % 3 = 0`);

      done('buildings and service points');
      // staff: per grid a leader and two workers; per community a secretary; per street and for the county an administrator
      const person = (n: string) => sql.raw(`substr('${surnames}'::text, (1 + (${n}) % ${surnames.length})::int, 1) || substr('${givenNames}'::text, (1 + ((${n}) / 7) % ${givenNames.length})::int, 1) || substr('${givenNames}'::text, (1 + ((${n}) / 3) % ${givenNames.length})::int, 1)`);
      await run(sql`INSERT INTO staff (id, name, role, phone, phone_public, area_id)
        SELECT 'LY-A', '县网格中心管理员', 'street_admin', NULL, false, 'LY'
        UNION ALL SELECT a.id || '-A', ${person('row_number() OVER (ORDER BY a.id)')}, CASE a.level WHEN 'street' THEN 'street_admin' ELSE 'secretary' END, NULL, false, a.id
          FROM areas a WHERE a.level IN (${word('street')}, ${word('community')})
        UNION ALL SELECT a.id || r.suffix, ${person('(row_number() OVER (ORDER BY a.id, r.suffix)) + 11')}, r.role,
            '139' || lpad(((row_number() OVER (ORDER BY a.id, r.suffix)) * 7919 % 100000000)::text, 8, '0'), r.role = 'grid_worker', a.id
          FROM areas a CROSS JOIN (VALUES ('-L', 'grid_leader'), ('-W1', 'grid_worker'), ('-W2', 'grid_worker')) r(suffix, role)
          WHERE a.level = 'grid'`);

      done('staff');
      // a year of requests: ids in time order, places spread over the cells, most closed, the last days' open
      // per category, looked up by its number k (1…): a CASE on the category's name costs a dozen text comparisons a row
      const byCategory = (value: (c: (typeof requestCategories)[number]) => string | number) =>
        sql.raw(`ARRAY[${requestCategories.map((c) => (typeof value(c) === 'string' ? `'${value(c)}'` : value(c))).join(', ')}]`);
      // resolved some way into the resolve window (one in eight late), rated (revisited, archived) the day after
      const resolvedAt = sql`x.created + interval '1 minute' * (x.resolve * CASE WHEN x.g % 8 = 0 THEN 1.3 ELSE 0.2 + (x.g % 60) / 100.0 END)`;
      const rated = resolvedStatuses.filter((r) => r !== 'resolved');
      await run(sql`ALTER TABLE requests DISABLE TRIGGER USER`);
      await run(sql`ALTER TABLE request_events DISABLE TRIGGER USER`);
      // OFFSET 0 keeps each level a subquery of its own: flattened, every use of `created`, `status` or
      // `claim` above would compute it again (a third of the load's time on PGlite)
      await run(sql`
        INSERT INTO requests (id, ticket, category, description, channel, status, district_id, street_id, community_id, grid_id, microgrid_id,
          contact, created_at, updated_at, geom, assignee_id, claimed_at, resolved_at, claim_deadline, resolve_deadline, outcome, rating, rated_at)
        SELECT x.g, 'GM' || to_char(x.created AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(x.g::text, greatest(4, length(x.g::text)), '0'),
          x.category, (${byCategory((c) => descriptions[c])})[x.k] || '（演示）', (ARRAY['qr', 'web', 'group', 'phone', 'visit', 'hotline'])[1 + x.g % 6], x.status,
          'LY', c.street, c.community, c.grid, c.micro, NULL, x.created,
          CASE WHEN x.status = 'collected' THEN x.created ELSE x.created + interval '1 minute' * (x.claim * 0.5 + x.resolve * 0.6) END,
          ${at('x.u', 'x.v')},
          CASE WHEN x.status IN ${among(['collected', ...refusedStatuses])} THEN NULL ELSE c.grid || CASE WHEN x.g % 2 = 0 THEN '-W1' ELSE '-W2' END END,
          CASE WHEN x.status IN ${among(['collected', ...refusedStatuses])} THEN NULL ELSE x.created + interval '1 minute' * (x.claim * (0.1 + (x.g % 7) / 10.0)) END,
          CASE WHEN x.status IN ${among(resolvedStatuses)} THEN ${resolvedAt} END,
          x.created + interval '1 minute' * x.claim, x.created + interval '1 minute' * x.resolve,
          CASE WHEN x.status IN ${among(resolvedStatuses)} THEN '已处理完毕（演示）' END,
          CASE WHEN x.status IN ${among(rated)} THEN (ARRAY[5, 5, 4, 5, 3, 4, 5, 2, 5, 4])[1 + x.g % 10] END,
          CASE WHEN x.status IN ${among(rated)} THEN ${resolvedAt} + interval '1 day' END
        FROM (SELECT * FROM (
          SELECT g, created, k, (${byCategory((c) => c)})[k] AS category, u, v, cell,
            (${byCategory((c) => requestCategoryRules[c].claimMinutes)})[k] AS claim, (${byCategory((c) => requestCategoryRules[c].resolveMinutes)})[k] AS resolve,
            CASE WHEN created > now() - interval '2 hours' AND g % 2 = 0 THEN 'collected'
                 WHEN created > now() - interval '2 days' AND g % 3 <> 0 THEN (${mix({ claimed: 1, resolving: 2 })})[1 + g % 3]
                 WHEN created > now() - interval '10 days' THEN 'resolved'
                 ELSE (${mix({ archived: 17, revisited: 1, resolved: 1, rejected: 1 })})[1 + g % 20]
            END AS status
          FROM (
            SELECT g, now() - interval '365 days' * (${total}::float8 - g) / ${total} - interval '1 minute' * (g % 37) AS created,
              (1 + (g::bigint * 31 + g / 97) % ${requestCategories.length})::int AS k,
              0.08 + 0.84 * ((g::bigint * 7919) % 1000)::float8 / 1000 AS u, 0.08 + 0.84 * ((g::bigint * 104729) % 997)::float8 / 997 AS v,
              (g * 2654435761::bigint % ${cellCount})::int AS cell
            FROM generate_series(1, ${total}) g
          ) y OFFSET 0
        ) x OFFSET 0) x JOIN county_cells c ON c.n = x.cell`);
      await run(sql`SELECT setval(pg_get_serial_sequence('requests', 'id'), ${total})`);
      done('requests');
      // each request's steps: filed, claimed, resolving, resolved; rated and archived where it went that
      // far — in one pass over the requests, each one's steps in turn, a step's values computed only when
      // it happened (on PGlite seven passes over the table cost half again, seven VALUES rows a request three times)
      await run(sql`
        INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, note)
        SELECT r.id, e.* FROM requests r CROSS JOIN LATERAL (
          SELECT r.created_at, 'resident', ${step({ action: 'filed', from: null, to: 'collected' })}, r.channel
          UNION ALL SELECT r.claimed_at, r.assignee_id, ${step({ action: 'claimed', from: 'collected', to: 'claimed' })}, NULL WHERE r.claimed_at IS NOT NULL
          UNION ALL SELECT r.claimed_at + (coalesce(r.resolved_at, r.updated_at) - r.claimed_at) * 0.3, r.assignee_id, ${step({ action: 'status', from: 'claimed', to: 'resolving' })}, NULL
            WHERE r.claimed_at IS NOT NULL AND r.status <> ${word('claimed')}
          UNION ALL SELECT r.resolved_at, r.assignee_id, ${step({ action: 'status', from: 'resolving', to: 'resolved' })}, r.outcome WHERE r.resolved_at IS NOT NULL
          UNION ALL SELECT r.rated_at, 'resident', ${step({ action: 'rated', from: 'resolved', to: 'revisited' })}, NULL WHERE r.rating IS NOT NULL
          UNION ALL SELECT r.resolved_at + interval '3 days', r.assignee_id, ${step({ action: 'status', from: 'revisited', to: 'archived' })}, NULL WHERE r.status = ${word('archived')}
          UNION ALL SELECT r.created_at + interval '2 hours', 'system', ${step({ action: 'status', from: 'collected', to: 'rejected' })}, '经核实不属于网格受理范围（演示）'
            WHERE r.status = ${word('rejected')}
        ) e`);
      await run(sql`ALTER TABLE requests ENABLE TRIGGER USER`);
      await run(sql`ALTER TABLE request_events ENABLE TRIGGER USER`);
      done('their events');
      // the 三率 rollup follows requests by a trigger, off while the year was written: built once
      // from the rows, as its migration builds it (api/db/migrations, rates_rollup)
      await run(sql`DELETE FROM rate_months`);
      await run(sql`DO $$ BEGIN EXECUTE rate_months_upsert('SELECT 1 AS sign, * FROM requests'); END $$`);
      done('the rates rollup');
      // the map's closed requests and the wall's resolved and rated ones per area and day, likewise (api/db/migrations, day_counts)
      await run(sql`DELETE FROM day_counts`);
      await run(sql`DO $$ BEGIN EXECUTE day_counts_upsert('SELECT 1 AS sign, * FROM requests'); END $$`);
      done('the requests by day');
    }, done);
    done('indexes and keys rebuilt');

    const password = process.env.DEMO_PASSWORD || defaultDemoPassword;
    for (const account of countyDemoAccounts) {
      await run(sql`INSERT INTO accounts (username, staff_id, password_hash) VALUES (${account.username}, ${account.staffId}, ${await hashPassword(password)})`);
    }
    await colourSiblings(db);
    await placeAreaLabels(db);
    done('accounts, colours, labels');
    await run(sql`INSERT INTO meta (key, value) VALUES ('demo', ${JSON.stringify({ kind: 'county', streets: scale.streets, requests: total, loadedAt: new Date().toISOString() })}::jsonb)`);
    for (const table of ['areas', 'buildings', 'pois', 'staff', 'requests', 'request_events']) {
      const [row] = rowsOf<{ n: number }>(await run(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)));
      counts[table] = Number(row.n);
    }
    await stopIfAsked(stop); // the last moment nothing of it is kept
  });
  done('committed');
  for (const table of ['areas', 'buildings', 'requests', 'request_events']) await database.rows(sql.raw(`ANALYZE ${table}`));
  done('analysed');
  // the load wrote gigabytes of WAL in one transaction: a checkpoint now, or a start after a crash
  // would replay all of it (measured: 102 s instead of 8 s to open)
  if (database.kind === 'pglite') await database.rows(sql`CHECKPOINT`);
  done('checkpoint');
  return counts;
}

/** Thrown inside the county's transaction when the server is asked to stop: the load rolls back. */
export class CountyLoadStopped extends Error {
  constructor() {
    super('the county demo was not generated: the server was stopped while generating it; nothing of it was kept');
  }
}

/**
 * Between two statements of the load: a turn of the event loop, then stop if asked. On PGlite each
 * statement settles as a microtask, so without the turn a signal (Ctrl-C, SIGTERM) would wait for
 * the whole load, minutes; with it, for the statement running.
 */
async function stopIfAsked(stop: AbortSignal | undefined): Promise<void> {
  if (!stop) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (stop.aborted) throw new CountyLoadStopped();
}

/** A word of the vocabulary as an SQL literal: its type checks it against api/contract/vocabulary.ts. */
const word = (w: RequestStatus | AreaLevel) => sql.raw(`'${w}'`);
/** `(a, b, …)` of statuses, for IN. */
const among = (words: readonly RequestStatus[]) => sql.raw(`(${words.map((w) => `'${w}'`).join(', ')})`);
/** A weighted mix of statuses as an SQL array to index: { archived: 17, revisited: 1 } → ARRAY['archived', …]. */
const mix = (weights: Partial<Record<RequestStatus, number>>) =>
  sql.raw(`ARRAY[${Object.entries(weights).flatMap(([w, n]) => Array<string>(n as number).fill(`'${w}'`)).join(', ')}]`);
/** One step of the audit trail: action, from, to. */
const step = (s: { action: string; from: RequestStatus | null; to: RequestStatus }) =>
  sql.raw(`'${s.action}', ${s.from === null ? 'NULL' : `'${s.from}'`}, '${s.to}'`);

type Point = [number, number];

/** The jittered lattice of shared vertices: v[i][j], i along x (micro-grid columns), j along y (rows). */
function makeLattice(streets: number): Point[][] {
  const side = Math.ceil(Math.sqrt(streets));
  const cols = side * COMMUNITIES * GRIDS * 2;
  const rows = side * COMMUNITIES * GRIDS;
  let seed = 20261207;
  const next = () => { // mulberry32: the same county on every machine
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const round = (x: number) => Math.round(x * 1e7) / 1e7;
  const v: Point[][] = [];
  for (let i = 0; i <= cols; i++) {
    v.push([]);
    for (let j = 0; j <= rows; j++) {
      const edge = i === 0 || j === 0 || i === cols || j === rows;
      const jx = edge ? 0 : (next() - 0.5) * 0.3;
      const jy = edge ? 0 : (next() - 0.5) * 0.3;
      v[i].push([round(ORIGIN[0] + (i + jx) * CELL_X), round(ORIGIN[1] + (j + jy) * CELL_Y)]);
    }
  }
  return v;
}

type CountyArea = { id: string; level: string; kind: string; name: string; parentId: string | null; geometry: string; corners?: Point[]; community?: string; street?: string };

/** Every area of the county, parents first, each a counter-clockwise ring along the lattice. */
function latticeAreas(v: Point[][], streets: number): CountyArea[] {
  const ring = (c0: number, c1: number, r0: number, r1: number) => {
    const out: Point[] = [];
    for (let i = c0; i < c1; i++) out.push(v[i][r0]);
    for (let j = r0; j < r1; j++) out.push(v[c1][j]);
    for (let i = c1; i > c0; i--) out.push(v[i][r1]);
    for (let j = r1; j > r0; j--) out.push(v[c0][j]);
    out.push(out[0]);
    return JSON.stringify({ type: 'MultiPolygon', coordinates: [[out]] });
  };
  const side = Math.ceil(Math.sqrt(streets));
  const pad = (n: number) => String(n).padStart(2, '0');
  const wide = COMMUNITIES * GRIDS * 2; // columns of one street
  const tall = COMMUNITIES * GRIDS;
  const out: CountyArea[] = [];
  const used: CountyArea[] = [];
  for (let s = 0; s < streets; s++) {
    const sx = s % side, sy = Math.floor(s / side);
    const street = `LY-S${pad(s + 1)}`;
    used.push({ id: street, level: 'street', kind: 'regular', name: streetNames[s % streetNames.length], parentId: 'LY', geometry: ring(sx * wide, sx * wide + wide, sy * tall, sy * tall + tall) });
    for (let c = 0; c < COMMUNITIES * COMMUNITIES; c++) {
      const cx = c % COMMUNITIES, cy = Math.floor(c / COMMUNITIES);
      const community = `${street}-C${pad(c + 1)}`;
      const c0 = sx * wide + cx * GRIDS * 2, r0 = sy * tall + cy * GRIDS;
      // (s + c, s + 2c + 1) mod 16 is one-to-one on 16 × 16: no two villages of the county share a name
      const name = `${villageWords[(s + c) % 16]}${villageWords[(s + 2 * c + 1) % 16]}${villageTails[(s + c) % villageTails.length]}`;
      out.push({ id: community, level: 'community', kind: 'regular', name, parentId: street, geometry: ring(c0, c0 + GRIDS * 2, r0, r0 + GRIDS) });
      for (let g = 0; g < GRIDS * GRIDS; g++) {
        const gx = g % GRIDS, gy = Math.floor(g / GRIDS);
        const grid = `${community}-G${pad(g + 1)}`;
        const x0 = c0 + gx * 2, y0 = r0 + gy;
        // one grid in sixteen is an exclusive grid (专属网格) of a school, a hospital or a market
        const kind = (s + c + g) % 16 === 5 ? (['school', 'hospital', 'market'] as const)[(s + c) % 3] : 'regular';
        out.push({ id: grid, level: 'grid', kind, name: `${name}第${g + 1}网格`, parentId: community, geometry: ring(x0, x0 + 2, y0, y0 + 1) });
        for (const m of [0, 1]) {
          const i = x0 + m;
          out.push({
            id: `${grid}-M${m + 1}`, level: 'microgrid', kind: 'regular', name: `${name}${g + 1}-${m + 1}微网格`, parentId: grid,
            geometry: ring(i, i + 1, y0, y0 + 1), corners: [v[i][y0], v[i + 1][y0], v[i + 1][y0 + 1], v[i][y0 + 1]], community, street,
          });
        }
      }
    }
  }
  // the district's outline is set to the union of its streets once they are in (loadCountyDemo)
  const district: CountyArea = { id: 'LY', level: 'district', kind: 'regular', name: '荔原县', parentId: null, geometry: ring(0, side * wide, 0, Math.ceil(streets / side) * tall) };
  return [district, ...used, ...out];
}
