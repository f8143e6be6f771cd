// Past requests (诉求) over the 90 days before the fixed demo date, with statuses that follow the
// closed loop: old ones archived or revisited, recent ones still being collected and handled.

import type { Place } from './places.ts';
import { makeRng, type Rng } from './rng.ts';
import { lerp, toLonLat, toXY, type Feature, feature, type LonLat } from './geo.ts';

export const DEMO_NOW = Date.parse('2026-11-20T09:00:00+08:00');
export const WINDOW_END = Date.parse('2026-11-20T00:00:00+08:00');
export const WINDOW_DAYS = 90;
const HOUR = 3600e3, DAY = 24 * HOUR;

const T: Record<string, string[]> = {
  blocked_drain: ['{c}{b}{u}门口下水道堵了，污水漫到楼道口', '{c}{b}楼后化粪池返味，下水道堵塞', '{r}路边雨水篦子被落叶堵住，一下雨就积水', '{c}{b}{u}下水管堵了，一楼住户家里返水'],
  street_light: ['{r}路灯坏了，晚上一片漆黑，老人出门不方便', '{c}大门口路灯一直不亮', '{c}{b}{u}楼道声控灯坏了', '{r}靠近{c}一段路灯忽明忽暗'],
  neighbour_dispute: ['{c}{b}{u}邻里空调外机纠纷，外机正对邻居窗户', '{c}{b}{u}楼上漏水到楼下，两户为维修费用起争执', '{c}{b}楼前公共空地被个别住户种菜占用，邻居有意见', '{c}{b}{u}有住户在楼道养狗，邻居反映有异味'],
  flying_wire_charging: ['{c}{b}{f}楼窗户飞线充电，电线垂到一楼，存在火灾隐患', '{c}{b}{u}有人从楼道私拉电线给电动车充电', '骑手送餐时发现{c}{b}旁飞线充电，已拍照上报', '{c}{b}{u}楼道内电动车充电，插线板放在楼梯上'],
  clutter: ['{c}{b}{u}楼道乱堆杂物，堵塞消防通道', '{c}{b}{u}楼道里堆放纸箱和旧家具', '{c}{b}{u}一楼楼梯下停放电动车并堆放杂物', '{c}院内道路两侧堆放建筑垃圾'],
  parking: ['{c}门口乱停电动车，消防车道被堵', '{r}人行道乱停车，行人只能走机动车道', '{c}{b}楼下电动车乱停，老人出入不便', '{c}大门口外卖电动车乱停放'],
  leaking_roof: ['{c}{b}{u}顶楼屋顶漏水，下雨天屋里接水', '{c}{b}楼顶防水层老化，{u}顶层住户墙面渗水', '{c}{b}{u}楼道窗户玻璃破损漏雨'],
  elderly_help: ['{c}{b}{u}独居老人需要帮忙买菜', '{c}{b}{u}八旬老人行动不便，希望有人帮忙代取药', '{c}{b}{u}独居老人家中燃气灶打不着火，需要帮忙查看', '{c}{b}{u}老人想申请长者食堂送餐服务'],
  sanitation: ['{c}垃圾桶满溢没人清运，气味很大', '{r}路边垃圾堆放两天了没人清理', '{c}{b}楼后绿化带里有大量生活垃圾', '{c}院内流浪猫翻垃圾桶，垃圾撒了一地'],
  heating: ['{c}{b}{u}暖气不热，室温只有十几度', '{c}{b}{u}暖气片漏水', '{c}{b}整栋楼暖气试水后仍不热', '{c}{b}{u}暖气管道有异响'],
  noise: ['{r}夜间烧烤摊噪音扰民到凌晨', '{c}{b}{u}装修噪音中午也不停', '{c}广场舞音响声音太大，影响休息', '{c}{b}旁边工地夜间施工噪音'],
  facility_repair: ['{c}{b}{u}单元门门禁坏了，关不上', '{c}院内健身器材损坏，存在安全隐患', '{c}{b}{u}楼道扶手松动', '{c}{b}{u}楼梯台阶破损'],
  other: ['咨询{c}老旧小区改造什么时候开始', '{c}居民建议增设电动车充电桩', '{c}{b}希望增设快递柜', '想了解{c}所在网格的网格员联系方式'],
};
const WEIGHTS: [string, number][] = [
  ['blocked_drain', 10], ['street_light', 7], ['neighbour_dispute', 8], ['flying_wire_charging', 8], ['clutter', 10], ['parking', 9],
  ['leaking_roof', 6], ['elderly_help', 8], ['sanitation', 9], ['heating', 6], ['noise', 6], ['facility_repair', 9], ['other', 4],
];
const ON_ROAD = new Set(['street_light', 'parking', 'sanitation', 'noise', 'blocked_drain']);

function weighted<T>(rng: Rng, items: [T, number][]): T {
  let r = rng() * items.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[items.length - 1][0];
}

/** ISO 8601 in China Standard Time. */
export function isoCST(ms: number): string {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 19) + '+08:00';
}

function statusFor(rng: Rng, ageDays: number): [string, number] {
  // open ones are mostly recent, as they are where deadlines are hours to days (api/contract/vocabulary.ts: requestCategoryRules):
  // a living community has a handful overdue, not most of them
  const table: [string, number][] =
    ageDays > 45 ? [['archived', 75], ['revisited', 12], ['resolved', 5], ['rejected', 4], ['duplicate', 4]]
    : ageDays > 20 ? [['archived', 55], ['revisited', 30], ['resolved', 5], ['rejected', 5], ['duplicate', 5]]
    : ageDays > 7 ? [['archived', 20], ['revisited', 40], ['resolved', 30], ['deliberating', 4], ['resolving', 3], ['rejected', 3]]
    : ageDays > 2 ? [['resolved', 35], ['revisited', 25], ['resolving', 20], ['deliberating', 10], ['claimed', 5], ['rejected', 5]]
    : ageDays > 0.5 ? [['collected', 10], ['claimed', 25], ['deliberating', 10], ['resolving', 30], ['resolved', 25]]
    : [['collected', 45], ['claimed', 35], ['resolving', 15], ['resolved', 5]];
  const s = weighted(rng, table);
  const span: Record<string, [number, number]> = {
    collected: [0, 0], claimed: [0.05, 2], deliberating: [12, 72], resolving: [24, 96], resolved: [24, 144],
    revisited: [72, 240], archived: [120, 360], rejected: [1, 24], duplicate: [0.5, 12],
  };
  return [s, rng.float(...span[s]) * HOUR];
}

export function buildRequests(places: readonly Place[], count = 360): Feature[] {
  const rng = makeRng('requests');
  const compounds = places.filter((p) => p.kind === 'compound' && p.layout && p.buildings.length > 0);
  const start = WINDOW_END - WINDOW_DAYS * DAY;
  const drafts = Array.from({ length: count }, () => {
    // more reports lately (the 一码 QR codes went up this autumn): days drawn with a lean to the present
    const day = Math.min(WINDOW_DAYS - 1, Math.floor(WINDOW_DAYS * rng.float(0, 1) ** 0.6));
    const hour = weighted(rng, [[7, 3], [8, 6], [9, 8], [10, 8], [11, 6], [12, 3], [13, 3], [14, 5], [15, 6], [16, 6], [17, 5], [18, 5], [19, 5], [20, 4], [21, 3], [22, 2], [23, 1]]);
    return start + day * DAY + hour * HOUR + rng.int(0, 3599) * 1000;
  }).sort((a, b) => a - b);
  const seqByDay = new Map<string, number>();
  return drafts.map((created) => {
    // heating complaints start with the heating season (试供暖 in early November)
    const season = created >= Date.parse('2026-11-01T00:00:00+08:00');
    const category = weighted(rng, WEIGHTS.map(([c, w]): [string, number] => [c, c === 'heating' ? (season ? 30 : 0) : w]));
    const p = rng.pick(compounds);
    const b = rng.pick(p.buildings);
    const unit = rng.int(1, b.units);
    const onRoad = ON_ROAD.has(category) && rng.chance(0.45);
    const fitting = T[category].filter((t) => t.includes('{r}') === onRoad);
    const text = rng.pick(fitting.length ? fitting : T[category])
      .replaceAll('{c}', p.name!).replaceAll('{b}', b.number).replaceAll('{u}', `${unit}单元`)
      .replaceAll('{f}', String(rng.int(2, b.floors))).replaceAll('{r}', p.roadName);
    const { mainRoad, gates } = p.layout!;
    const at: LonLat = onRoad
      ? toLonLat(lerp(toXY(mainRoad), toXY(gates[0].at), rng.float(0.3, 0.7)))
      : toLonLat(lerp(toXY(b.entrances[unit - 1]), toXY(b.centre), rng.float(0.2, 0.4)));
    const hazard = category === 'flying_wire_charging' || category === 'clutter';
    const channel = weighted(rng, [['group', 30], ['qr', 25], ['phone', 18], ['visit', 15], ['rider', hazard ? 40 : 3]]);
    const [status, took] = statusFor(rng, (WINDOW_END - created) / DAY);
    const updated = Math.min(created + took, DEMO_NOW);
    const ymd = isoCST(created).slice(0, 10).replaceAll('-', '');
    const seq = (seqByDay.get(ymd) ?? 0) + 1;
    seqByDay.set(ymd, seq);
    const id = `GM${ymd}-${String(seq).padStart(4, '0')}`;
    return feature({
      id, category, description: text, channel, status, createdAt: isoCST(created), updatedAt: isoCST(Math.round(updated / 1000) * 1000),
      contact: `139-0000-${String(rng.int(0, 9999)).padStart(4, '0')}`,
    }, { type: 'Point', coordinates: at });
  });
}
