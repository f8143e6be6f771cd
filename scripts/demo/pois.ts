// Service points (POIs) of every category, with fictional public phones, OSM opening_hours and
// activities written the way the communities announce them.

import { COMMUNITIES } from './plan.ts';
import type { Place } from './places.ts';
import { makeRng } from './rng.ts';
import { feature, type Feature, type LonLat } from './geo.ts';

type Activity = { name: string; schedule: string };
type Spec = { category: string; name: string; hours: string; activities?: Activity[]; at: 'yard' | 'street' | 'centre' | 'site'; community?: string; site?: string };

const YIZHEN: Activity = { name: '义诊（三九便民服务日）', schedule: '每月9日、19日、29日上午8:30—11:30' };
const YISHI: Activity = { name: '网格议事日', schedule: '每周五上午9:00' };
const SHUOSHI: Activity = { name: '周二说事日', schedule: '每周二上午9:00—11:30' };

function specs(): Spec[] {
  const out: Spec[] = [];
  const c = (k: number) => COMMUNITIES[k % COMMUNITIES.length];
  for (const com of COMMUNITIES) {
    out.push({ category: 'party_service_centre', name: `${com.name}党群服务中心`, hours: 'Mo-Fr 08:00-12:00,14:30-17:30; Sa 09:00-12:00; PH off', at: 'centre', community: com.code,
      activities: [YIZHEN, SHUOSHI, { name: '理发义剪', schedule: '每月第一个周六上午' }] });
    out.push({ category: 'grid_home', name: `${com.name.replace('社区', '')}网格之家`, hours: 'Mo-Fr 09:00-11:30,15:00-17:30', at: 'yard', community: com.code, activities: [YISHI] });
  }
  out.push({ category: 'grid_home', name: '学生路第三网格之家', hours: 'Mo-Sa 09:00-17:00', at: 'yard', community: 'XSL', activities: [YISHI, { name: '网格员接待日', schedule: '每周三下午' }] });
  out.push({ category: 'grid_home', name: '学生路第八网格之家', hours: 'Mo-Fr 09:00-17:00', at: 'yard', community: 'XSL', activities: [YISHI] });
  ['楼院', '槐荫', '老街坊', '同心'].forEach((n, k) =>
    out.push({ category: 'deliberation_corner', name: `${n}居民议事角`, hours: 'Tu,Fr 09:00-11:30', at: 'yard', community: c(k).code, activities: [SHUOSHI, { name: '楼院恳谈会', schedule: '每月最后一个周五晚7:30' }] }));
  ['学生路', '塔南路', '民生路'].forEach((n, k) =>
    out.push({ category: 'shared_toolbox', name: `${n}共享工具箱`, hours: k === 0 ? '24/7' : 'Mo-Su 07:00-21:00', at: 'yard', community: c(k * 2).code }));
  ['学生路', '民主路', '人民公园'].forEach((n, k) =>
    out.push({ category: 'elderly_canteen', name: `${n}长者食堂`, hours: 'Mo-Su 11:00-13:00,17:00-18:30', at: 'yard', community: c(k * 3).code,
      activities: [{ name: '邻里小饭桌', schedule: '每周三中午11:30' }, { name: '八十岁以上老人送餐上门', schedule: '每日11:00起' }] }));
  ['学生路', '塔南路', '民生路'].forEach((n, k) =>
    out.push({ category: 'elderly_care', name: `${n}日间照料中心`, hours: 'Mo-Fr 08:00-17:30; PH off', at: 'yard', community: c(k * 2).code,
      activities: [{ name: '健康讲座', schedule: '每月第二个周四下午3:00' }, { name: '老年书法班', schedule: '每周一、周四上午' }] }));
  ['学生路', '民主路', '人民公园'].forEach((n, k) =>
    out.push({ category: 'childrens_home', name: `${n}儿童之家`, hours: 'Mo-Fr 16:00-19:00; Sa,Su 09:00-17:00', at: 'yard', community: c(k * 3).code,
      activities: [{ name: '四点半课堂', schedule: '上学日每天16:30—18:30' }, { name: '周末亲子阅读', schedule: '每周六上午10:00' }] }));
  ['解放路', '学生路', '民主路', '塔南路'].forEach((n, k) =>
    out.push({ category: 'rider_station', name: `暖心驿站（${n}）`, hours: k % 2 ? 'Mo-Su 07:00-22:00' : '24/7', at: 'street', community: c(k + 1).code,
      activities: [{ name: '骑手恳谈会', schedule: '每月15日下午3:00' }] }));
  out.push({ category: 'clinic', name: '民生街道社区卫生服务中心', hours: 'Mo-Su 08:00-12:00,14:00-18:00', at: 'street', community: 'MZL', activities: [YIZHEN, { name: '老年人免费体检', schedule: '每周二、周四上午' }] });
  ['学生路', '塔南路', '民生路'].forEach((n, k) =>
    out.push({ category: 'clinic', name: `${n}社区卫生服务站`, hours: 'Mo-Sa 08:00-12:00,14:30-17:30; PH off', at: 'street', community: c(k * 2).code, activities: [YIZHEN] }));
  out.push({ category: 'clinic', name: '民生中医院', hours: '24/7', at: 'site', site: '民生中医院', activities: [{ name: '中医义诊', schedule: '每月9日、19日、29日上午' }] });
  ['百姓大药房（学生路店）', '仁和堂药店', '康民大药房（解放路店）', '济生堂药店'].forEach((n, k) =>
    out.push({ category: 'pharmacy', name: n, hours: k === 2 ? '24/7' : 'Mo-Su 08:00-21:30', at: 'street', community: c(k + 2).code }));
  const shops: [string, string][] = [
    ['老王家早餐店', 'Mo-Su 06:30-09:00,11:00-13:00,17:00-19:00'], ['红火烧烤', 'Mo-Su 18:00-02:00'], ['巧手理发店', 'Mo-Su 08:30-20:00'],
    ['民生五金店', 'Mo-Sa 08:00-18:30'], ['修鞋配钥匙', 'Mo-Su 08:00-18:00; PH off'], ['鲜果园水果店', 'Mo-Su 07:30-22:00'],
    ['便民裁缝铺', 'Tu-Su 09:00-18:00'], ['邻里快递驿站', 'Mo-Su 08:00-21:00'], ['诚信家电维修', 'Mo-Sa 09:00-18:00'],
    ['焦作烩面馆', 'Mo-Su 10:30-14:00,17:00-21:00'], ['放心粮油店', 'Mo-Su 07:00-19:30'], ['怀药特产店', 'Mo-Su 09:00-20:00'],
  ];
  shops.forEach(([n, h], k) => out.push({ category: 'shop', name: n, hours: h, at: 'street', community: c(k).code }));
  out.push({ category: 'shop', name: '民生农贸市场', hours: 'Mo-Su 05:30-19:00', at: 'site', site: '民生农贸市场' });
  [['惠万家超市', 'Mo-Su 07:30-22:00'], ['家家乐便利店', '24/7'], ['丹尼斯便利店（塔南路店）', 'Mo-Su 07:00-23:00']].forEach(([n, h], k) =>
    out.push({ category: 'supermarket', name: n, hours: h, at: 'street', community: c(k * 2 + 1).code }));
  out.push({ category: 'school', name: '焦作卫生医药学校', hours: 'Mo-Fr 07:30-17:30; PH off', at: 'site', site: '焦作卫生医药学校' });
  out.push({ category: 'school', name: '学生路小学', hours: 'Mo-Fr 07:30-17:00; PH off', at: 'site', site: '学生路小学' });
  out.push({ category: 'school', name: '民生幼儿园', hours: 'Mo-Fr 07:30-17:30; PH off', at: 'yard', community: 'GY' });
  out.push({ category: 'police', name: '学生路警务室', hours: '24/7', at: 'street', community: 'XSL' });
  out.push({ category: 'police', name: '民生路警务室', hours: 'Mo-Su 08:00-20:00', at: 'street', community: 'MSL' });
  for (let k = 0; k < 4; k++) out.push({ category: 'ebike_charging', name: `电动车集中充电桩（${k + 1}号）`, hours: '24/7', at: 'yard', community: c(k).code });
  for (let k = 0; k < 3; k++) out.push({ category: 'ebike_parking', name: `电动车集中停放点（${k + 1}号）`, hours: '24/7', at: 'yard', community: c(k + 2).code });
  return out;
}

export function buildPois(places: readonly Place[]): Feature[] {
  const rng = makeRng('pois');
  const compounds = rng.shuffle(places.filter((p) => p.kind === 'compound' && p.layout));
  const usedYard = new Set<Place>(), usedStreet = new Set<Place>();
  const take = (used: Set<Place>, community?: string) => {
    const p = compounds.find((q) => !used.has(q) && (!community || q.block.community === community)) ?? compounds.find((q) => !used.has(q))!;
    used.add(p);
    return p;
  };
  return specs().map((s, k) => {
    let at: LonLat, address: string;
    if (s.at === 'centre') {
      const b = places.flatMap((p) => p.buildings).find((x) => x.use === 'public' && x.place.block.community === s.community)!;
      at = b.centre; address = `${b.place.address}${b.number}`;
    } else if (s.at === 'site') {
      const p = places.find((q) => q.name === s.site)!;
      at = p.buildings[0]?.centre ?? p.layout!.yard; address = p.address;
    } else if (s.at === 'yard') {
      const p = take(usedYard, s.community);
      at = p.layout!.yard; address = p.address;
    } else {
      const p = take(usedStreet, s.community);
      at = p.layout!.streetFront;
      address = `焦作市解放区${p.roadName}${p.houseNo}-${rng.int(1, 9)}号`;
    }
    const id = `MS-P${String(k + 1).padStart(3, '0')}`;
    return feature({ id, category: s.category, name: s.name, address, phone: `0391-0000${String(1001 + k).padStart(4, '0')}`, openingHours: s.hours, activities: s.activities ?? [] }, { type: 'Point', coordinates: at });
  });
}
