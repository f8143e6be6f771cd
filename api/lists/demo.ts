import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.ts';
import type { NeedKind, NeedSource, ProjectStatus, ResourceKind, WishStatus } from '../contract/vocabulary.ts';
import { seal } from '../care/seal.ts';

// The demo's 三项清单 (docs/lists.md): fictional needs, resources, projects and wishes of 学生路社区
// after the seed (000: 金秋养生 health talks, 心情驿站 with 悦禾心理咨询室, the riders' 心灵茶话会 with
// the district trade union, the pipe of 矿务局七号院 settled on the deliberation day; 001: 微心愿认领),
// and one need of 民主路社区 so the scope shows. Dates count back from the load. Loaded only with
// the demo, inside its transaction, after the grids' label points are placed.

type Resource = { key: string; community: string | null; name: string; kind: ResourceKind; offers: string; contact?: [string, string]; availability?: string; poi?: string };
const resources: Resource[] = [
  { key: 'centre', community: 'MS-XSL', name: '学生路社区党群服务中心', kind: 'venue', poi: 'MS-P001', offers: '多功能厅（80 座）、居民会客厅；每周五上午网格议事日', availability: '工作日 8:30–17:30，需提前 3 天预约' },
  { key: 'clinic', community: 'MS-XSL', name: '学生路社区卫生服务站', kind: 'unit', poi: 'MS-P034', offers: '义诊、健康讲座、慢病随访、上门测血压', contact: ['岳医生', '0391-0000-3401'], availability: '每月可安排 2 次进社区' },
  { key: 'yuehe', community: 'MS-XSL', name: '悦禾心理咨询室', kind: 'organisation', offers: '儿童情绪管理课程、亲子沟通辅导、心理疏导', contact: ['陈老师', '0391-0000-5120'], availability: '周六上午' },
  { key: 'canteen', community: 'MS-XSL', name: '学生路长者食堂', kind: 'venue', poi: 'MS-P020', offers: '老年助餐：午餐 12 元，80 岁以上 8 元；可送餐上门', availability: '每日 11:00–13:00' },
  { key: 'children', community: 'MS-XSL', name: '学生路儿童之家', kind: 'venue', poi: 'MS-P026', offers: '课后托管场地、图书角、活动室', availability: '工作日 16:00–18:30' },
  { key: 'volunteers', community: 'MS-XSL', name: '学生路红马甲志愿服务队', kind: 'volunteer_team', offers: '助老陪伴、送餐、楼院清扫（队员 36 人）', contact: ['李海霞', '0391-0000-2201'] },
  { key: 'union', community: 'MS-XSL', name: '解放区总工会', kind: 'unit', offers: '关爱骑手、职工服务活动经费与场地' },
  { key: 'repair', community: 'MS-XSL', name: '诚信家电维修', kind: 'partner', poi: 'MS-P050', offers: '社区合伙人：为独居、高龄老人免费上门修小家电', contact: ['刘师傅', '0391-0000-5050'] },
  { key: 'school', community: 'MS-XSL', name: '焦作卫生医药学校', kind: 'unit', poi: 'MS-P058', offers: '护理专业学生志愿服务、健康知识宣讲' },
  { key: 'riders', community: 'MS-XSL', name: '暖心驿站（学生路）', kind: 'venue', poi: 'MS-P030', offers: '骑手休息、饮水充电、茶话会场地', availability: '全天开放' },
  { key: 'street-clinic', community: null, name: '民生街道社区卫生服务中心', kind: 'unit', poi: 'MS-P033', offers: '家庭医生签约、慢病管理、老年人体检' },
  { key: 'mzl-canteen', community: 'MS-MZL', name: '民主路长者食堂', kind: 'venue', poi: 'MS-P021', offers: '老年助餐：午餐 12 元' },
];

type Need = { key: string; grid: string; kind: NeedKind; title: string; households: number; source: NeedSource; ref?: string; detail: string; household?: string; status?: 'open' | 'met' };
const needs: Need[] = [
  { key: 'health', grid: 'MS-XSL-G02', kind: 'health', title: '老年人健康讲座与义诊', households: 40, source: 'deliberation', ref: '党群议事会提议', detail: '老人们说想在家门口听医生讲讲养生，量量血压', status: 'met' },
  { key: 'meals', grid: 'MS-XSL-G01', kind: 'elderly_meals', title: '独居老人午餐', households: 12, source: 'visit', detail: '腿脚不好，下楼买菜做饭都难，午饭常常凑合', household: '1号楼 3 户、4号楼 2 户等' },
  { key: 'mood', grid: 'MS-XSL-G03', kind: 'child_wellbeing', title: '孩子情绪管理', households: 15, source: 'survey', ref: '问卷星“社区居民有话说”', detail: '家长反映孩子自控力差、情绪容易激动，很难沟通' },
  { key: 'after-school', grid: 'MS-XSL-G03', kind: 'after_school', title: '放学后无人看管', households: 9, source: 'group', detail: '双职工家庭，孩子四点放学后没人接' },
  { key: 'pipe', grid: 'MS-XSL-G05', kind: 'pipe_renewal', title: '矿务局七号院下水管道更新', households: 36, source: 'deliberation', ref: '矿务局七号院楼院议事会', detail: '下水管道之前淤堵过，仍有堵塞风险，希望彻底治理；与沿街商户共用', status: 'met' },
  { key: 'bath', grid: 'MS-XSL-G06', kind: 'elderly_care', title: '高龄老人助浴', households: 5, source: 'visit', detail: '老人洗澡怕滑倒，子女不在身边' },
  { key: 'riders', grid: 'MS-XSL-G04', kind: 'culture', title: '外卖骑手减压交流', households: 22, source: 'visit', ref: '暖心驿站走访', detail: '骑手说送餐压力大，想有个地方说说话' },
  { key: 'mzl-meals', grid: 'MS-MZL-G01', kind: 'elderly_meals', title: '老年助餐', households: 20, source: 'visit', detail: '高龄老人希望社区食堂能送餐' },
];

type Project = { title: string; summary: string; status: ProjectStatus; start: number; end?: number; participants?: number; outcome?: string; needs: string[]; resources: string[]; progress: [number, string, number?][] };
/** months back from the load: start, end, and each progress entry's month */
const projects: Project[] = [
  {
    title: '金秋养生，健康同行', summary: '医生进社区讲养生、测血压、答疑问', status: 'completed', start: 2, end: 1, participants: 46,
    outcome: '健康讲座 4 场、义诊 2 次，测血压 120 人次；居民满意', needs: ['health'], resources: ['clinic', 'centre', 'school'],
    progress: [[2, '首场讲座“秋季养生”，到场 38 人', 38], [1, '义诊 2 次，发现 6 位血压偏高老人，已转家庭医生随访', 46]],
  },
  {
    title: '心情驿站，做情绪的小主人', summary: '专业老师用游戏互动引导孩子掌握情绪管理技巧', status: 'active', start: 8, participants: 15,
    needs: ['mood', 'after-school'], resources: ['yuehe', 'children'],
    progress: [[2, '第 6 期课程，家长反馈孩子发脾气次数减少', 15], [1, '增设亲子沟通课，9 个家庭参加', 24], [0, '本月两次课程已排期', undefined]],
  },
  {
    title: '心灵茶话会（关爱骑手）', summary: '与区总工会、悦禾心理咨询室一起为外卖骑手疏导心理压力', status: 'active', start: 1, participants: 22,
    needs: ['riders'], resources: ['yuehe', 'union', 'riders'], progress: [[0, '已为 22 名外卖骑手建立服务档案', 22]],
  },
  {
    title: '长者助餐进楼院', summary: '长者食堂每日送餐，志愿者送到独居老人家中', status: 'planned', start: -1,
    needs: ['meals'], resources: ['canteen', 'volunteers'], progress: [],
  },
  {
    title: '矿务局七号院管道更新', summary: '网格议事日协商，居民与沿街商户签订管道修理协议', status: 'completed', start: 4, end: 3, participants: 36,
    outcome: '管道更新完成，出资由双方按协议分担', needs: ['pipe'], resources: ['centre'], progress: [[3, '议事日达成一致，签订修理协议；施工 5 天完成', 36]],
  },
];

type Wish = { grid: string; wish: string; household: string; summary?: string; status: WishStatus; claimant?: [string, 'volunteer' | 'unit', string?]; note?: string };
const wishes: Wish[] = [
  { grid: 'MS-XSL-G01', wish: '屋里冷，想要个小太阳取暖器', household: '4号楼 独居李奶奶', summary: '为一位独居老人添置一台取暖器', status: 'posted' },
  { grid: 'MS-XSL-G02', wish: '洗衣机坏了，手洗衣服太累', household: '2号楼 高龄王大爷', summary: '帮高龄老人修好洗衣机', status: 'claimed', claimant: ['诚信家电维修', 'unit', 'repair'] },
  { grid: 'MS-XSL-G03', wish: '想要一套课外书和一个书包', household: '留守儿童小宇', summary: '为一名留守儿童送一套课外书', status: 'fulfilled', claimant: ['张老师', 'volunteer'], note: '张老师送来 12 本课外书和新书包' },
  { grid: 'MS-XSL-G05', wish: '老两口想拍一张全家福', household: '7号院 赵大爷夫妇', summary: '为一对老人拍一张全家福', status: 'confirmed', claimant: ['学生路红马甲志愿服务队', 'unit', 'volunteers'], note: '照片已冲洗装框，老人很高兴' },
  { grid: 'MS-XSL-G04', wish: '想学用智能手机和孙子视频', household: '3号楼 周阿姨', status: 'posted' },
];

const day = 86_400_000;
/** The first day of the month `back` months before `now`, as YYYY-MM-DD (negative: ahead). */
const monthStart = (now: number, back: number) => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)).toISOString().slice(0, 10);
};

/** Writes the demo's lists, inside the demo's loading transaction. */
export async function seedDemoLists(db: Db, now = Date.now()): Promise<void> {
  const resourceIds = new Map<string, number>();
  for (const r of resources) {
    const [row] = rowsOf<{ id: number }>(await db.execute(sql`
      INSERT INTO list_resources (street_id, community_id, name, kind, offers, contact_name, contact_phone, availability, poi_id, geom)
      VALUES ('MS', ${r.community}, ${r.name}, ${r.kind}, ${r.offers}, ${r.contact?.[0] ?? null}, ${r.contact?.[1] ?? null}, ${r.availability ?? null},
        ${r.poi ?? null}, (SELECT geom FROM pois WHERE id = ${r.poi ?? null}))
      RETURNING id`));
    resourceIds.set(r.key, Number(row.id));
  }
  const needIds = new Map<string, number>();
  for (const [i, n] of needs.entries()) {
    const at = new Date(now - (120 - i * 9) * day).toISOString();
    const [row] = rowsOf<{ id: number }>(await db.execute(sql`
      INSERT INTO list_needs (street_id, community_id, grid_id, kind, title, households, detail_sealed, household_sealed, source, source_ref, status, geom, created_by, created_at, updated_at)
      SELECT c.parent_id, c.id, g.id, ${n.kind}, ${n.title}, ${n.households}, ${seal(n.detail, 'need_detail')},
        ${n.household ? seal(n.household, 'need_household') : null}, ${n.source}, ${n.ref ?? null}, ${n.status ?? 'open'},
        coalesce(g.label_point, ST_PointOnSurface(g.geom)), 'demo', ${at}::timestamptz, ${at}::timestamptz
      FROM areas g JOIN areas c ON c.id = g.parent_id WHERE g.id = ${n.grid}
      RETURNING id`));
    needIds.set(n.key, Number(row.id));
  }
  // one need taken from a request: the newest open blocked drain of 学生路社区, at its building or grid
  await db.execute(sql`
    INSERT INTO list_needs (street_id, community_id, grid_id, building_id, kind, title, households, source, source_ref, request_id, geom, created_by)
    SELECT r.street_id, r.community_id, r.grid_id, r.building_id, 'pipe_renewal', '楼下下水道反复堵塞', 6, 'request', r.ticket, r.id,
      coalesce((SELECT ST_PointOnSurface(b.geom) FROM buildings b WHERE b.id = r.building_id), g.label_point, ST_PointOnSurface(g.geom)), 'demo'
    FROM requests r JOIN areas g ON g.id = r.grid_id
    WHERE r.community_id = 'MS-XSL' AND r.category = 'blocked_drain' ORDER BY r.created_at DESC LIMIT 1`);
  for (const p of projects) {
    const [row] = rowsOf<{ id: number }>(await db.execute(sql`
      INSERT INTO list_projects (street_id, community_id, title, summary, status, starts_on, ends_on, participants, outcome)
      VALUES ('MS', 'MS-XSL', ${p.title}, ${p.summary}, ${p.status}, ${monthStart(now, p.start)},
        ${p.end === undefined ? null : `${monthStart(now, p.end).slice(0, 8)}28`}, ${p.participants ?? null}, ${p.outcome ?? null})
      RETURNING id`));
    const id = Number(row.id);
    for (const n of p.needs) await db.execute(sql`INSERT INTO list_project_needs (project_id, need_id) VALUES (${id}, ${needIds.get(n)!})`);
    for (const r of p.resources) await db.execute(sql`INSERT INTO list_project_resources (project_id, resource_id) VALUES (${id}, ${resourceIds.get(r)!})`);
    for (const [back, note, participants] of p.progress) {
      const month = monthStart(now, back).slice(0, 7);
      await db.execute(sql`
        INSERT INTO list_project_progress (project_id, month, note, participants, author, at)
        VALUES (${id}, ${month}, ${note}, ${participants ?? null}, '赵亚黎', ${`${month}-20T10:00:00+08:00`}::timestamptz)`);
    }
  }
  for (const [i, w] of wishes.entries()) {
    const posted = now - (40 - i * 6) * day;
    const step = (days: number, reached: boolean) => (reached ? new Date(posted + days * day).toISOString() : null);
    const claimed = w.status !== 'posted';
    const fulfilled = w.status === 'fulfilled' || w.status === 'confirmed';
    await db.execute(sql`
      INSERT INTO list_wishes (street_id, community_id, grid_id, wish_sealed, household_sealed, public_summary, status,
        claimant_kind, claimant_name, claimant_resource_id, note, claimed_at, fulfilled_at, confirmed_at, created_at, updated_at)
      SELECT c.parent_id, c.id, g.id, ${seal(w.wish, 'wish')}, ${seal(w.household, 'wish_household')}, ${w.summary ?? null}, ${w.status},
        ${w.claimant?.[1] ?? null}, ${w.claimant?.[0] ?? null}, ${w.claimant?.[2] ? resourceIds.get(w.claimant[2])! : null}, ${w.note ?? null},
        ${step(2, claimed)}::timestamptz, ${step(9, fulfilled)}::timestamptz, ${step(12, w.status === 'confirmed')}::timestamptz,
        ${new Date(posted).toISOString()}::timestamptz, ${new Date(posted).toISOString()}::timestamptz
      FROM areas g JOIN areas c ON c.id = g.parent_id WHERE g.id = ${w.grid}`);
  }
}
