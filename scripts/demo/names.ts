// Name pools: compounds (楼院/小区) and obviously fictional people.

import type { Rng } from './rng.ts';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1..99 as Chinese numerals: 7 → 七, 12 → 十二, 20 → 二十. */
export function cn(n: number): string {
  if (n < 10) return DIGITS[n];
  const t = Math.floor(n / 10), u = n % 10;
  return `${t === 1 ? '' : DIGITS[t]}十${u ? DIGITS[u] : ''}`;
}

const ORGS = ['矿务局', '邮电局', '供电局', '粮食局', '交通局', '棉纺厂', '水泥厂', '化工厂', '机械厂', '电厂', '税务局', '物资局', '建筑公司', '运输公司', '煤机厂', '百货公司', '食品公司', '电业局', '市一中', '纺织厂'];
const ESTATES = ['锦华苑', '康乐小区', '和美家园', '翠苑小区', '民生花园', '阳光小区', '学府苑', '书香苑', '丰泽园', '嘉和苑', '泰和园', '福康小区', '丽景苑', '金桂园', '润和苑', '馨雅居', '春晖小区', '建业小区', '安居苑', '盛世家园', '瑞丰苑', '御景湾', '银杏苑', '颐和家园'];
export type CompoundStyle = 'old' | 'new';
export type CompoundName = { name: string; style: CompoundStyle };
/** Names from the seed reports; placed first, in 学生路社区. */
export const SEED_NAMES: CompoundName[] = [
  { name: '十号院', style: 'old' }, { name: '矿务局七号院', style: 'old' }, { name: '怡馨园', style: 'new' }, { name: '邮政小区', style: 'old' },
];


export function makeCompoundNamer(rng: Rng) {
  const used = new Set<string>();
  const estates = rng.shuffle(ESTATES);
  const take = (name: string, style: CompoundStyle): CompoundName | null => {
    if (used.has(name)) return null;
    used.add(name);
    return { name, style };
  };
  return (frontRoad: string | null, style: CompoundStyle, seedName?: string): CompoundName => {
    if (seedName) {
      const r = take(seedName, style);
      if (r) return r;
    }
    if (frontRoad === '汝河路' && !used.has('汝河路22号院')) return take('汝河路22号院', style)!;
    if (style === 'new' && estates.length) return take(estates.shift()!, 'new')!;
    for (;;) {
      const roll = rng();
      let r: CompoundName | null = null;
      if (roll < 0.6) r = take(`${rng.pick(ORGS)}${rng.chance(0.3) ? '家属院' : `${cn(rng.int(1, 12))}号院`}`, 'old');
      else if (roll < 0.86) r = take(`${cn(rng.int(1, 30))}号院`, 'old');
      else if (frontRoad) r = take(`${frontRoad}${rng.int(2, 160)}号院`, 'old');
      if (r) return r;
    }
  };
}

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '宋', '谢'];
// civic words as given names: obviously not real people
const GIVEN = ['为民', '安邻', '守望', '和睦', '暖心', '惠民', '乐邻', '宁事', '便民', '敬老', '网格', '同心', '向阳', '春晖', '明理', '清风', '解忧', '连心', '睦邻', '安居', '兴民', '助邻', '众和', '示范'];

export function makePersonNamer(rng: Rng) {
  const all: string[] = [];
  for (const s of SURNAMES) for (const g of GIVEN) all.push(s + g);
  const pool = rng.shuffle(all);
  return (): string => {
    const n = pool.shift();
    if (!n) throw new Error('person names exhausted');
    return n;
  };
}
