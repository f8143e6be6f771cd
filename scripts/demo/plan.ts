// The fictional plan of 民生街道: lattice size, named roads, communities and special sites.
// Everything here is in lattice index space (cell (i, j): column i from the west, row j from the south).

export const COLS = 12;
export const ROWS = 11;

export type RoadClass = 'primary' | 'secondary' | 'tertiary' | 'lane' | 'footway';
export type LineRef = { dir: 'col' | 'row'; index: number };
/** A named road along lattice line `index`, over lattice edges from..to (exclusive). */
export type RoadPlan = LineRef & { from: number; to: number; name: string; cls: RoadClass };

export const ROADS: RoadPlan[] = [
  { dir: 'row', index: 5, from: 0, to: COLS, name: '解放路', cls: 'primary' },
  { dir: 'col', index: 8, from: 0, to: ROWS, name: '民主路', cls: 'primary' },
  { dir: 'col', index: 4, from: 0, to: ROWS, name: '学生路', cls: 'secondary' },
  { dir: 'row', index: 8, from: 0, to: COLS, name: '塔南路', cls: 'secondary' },
  { dir: 'col', index: 10, from: 0, to: 6, name: '民生路', cls: 'secondary' },
  { dir: 'row', index: 0, from: 0, to: COLS, name: '建设路', cls: 'secondary' },
  { dir: 'row', index: 11, from: 0, to: COLS, name: '人民路', cls: 'secondary' },
  { dir: 'col', index: 0, from: 0, to: ROWS, name: '丰收路', cls: 'secondary' },
  { dir: 'col', index: 12, from: 0, to: ROWS, name: '站前路', cls: 'secondary' },
  { dir: 'row', index: 2, from: 0, to: 8, name: '汝河路', cls: 'tertiary' },
  { dir: 'col', index: 6, from: 0, to: ROWS, name: '新华街', cls: 'tertiary' },
  { dir: 'col', index: 2, from: 0, to: 8, name: '工人路', cls: 'tertiary' },
  { dir: 'row', index: 4, from: 8, to: COLS, name: '健康路', cls: 'tertiary' },
  { dir: 'row', index: 7, from: 0, to: 4, name: '中医药学校巷', cls: 'lane' },
];

export type CommunityPlan = { code: string; name: string; grids: number; mergeChance: number };
export const COMMUNITIES: CommunityPlan[] = [
  { code: 'XSL', name: '学生路社区', grids: 12, mergeChance: 0.16 },
  { code: 'MZL', name: '民主路社区', grids: 6, mergeChance: 0.08 },
  { code: 'TNL', name: '塔南路社区', grids: 7, mergeChance: 0.1 },
  { code: 'GY', name: '人民公园社区', grids: 7, mergeChance: 0.14 },
  { code: 'MSL', name: '民生路社区', grids: 5, mergeChance: 0.08 },
];

const REMOVED = new Set(['0,0', '1,0', '0,1', '0,6', '11,10', '10,10', '11,9', '11,0']);

export function communityOf(i: number, j: number): string | null {
  if (i < 0 || j < 0 || i >= COLS || j >= ROWS || REMOVED.has(`${i},${j}`)) return null;
  if (i <= 3 || (i <= 5 && j >= 8)) return 'XSL';
  if (i <= 7) return j <= 4 ? 'TNL' : 'MZL';
  return j >= 4 ? 'GY' : 'MSL';
}

export type SiteKind = 'compound' | 'park' | 'school' | 'primary_school' | 'hospital' | 'market' | 'plaza' | 'green';
/** Special sites: cells listed are merged into one block when `merge` is set, else one block each. */
export type SitePlan = { kind: SiteKind; name: string | null; cells: [number, number][]; merge: boolean; exclusive?: 'school' | 'hospital' | 'market'; parts?: string[] };
export const SITES: SitePlan[] = [
  { kind: 'school', name: '焦作卫生医药学校', cells: [[3, 6], [3, 7]], merge: false, exclusive: 'school', parts: ['教学区', '生活区'] },
  { kind: 'primary_school', name: '学生路小学', cells: [[1, 9]], merge: false },
  { kind: 'hospital', name: '民生中医院', cells: [[6, 5], [7, 5]], merge: false, exclusive: 'hospital', parts: ['门诊区', '住院区'] },
  { kind: 'market', name: '民生农贸市场', cells: [[5, 1], [6, 1]], merge: false, exclusive: 'market', parts: ['东市场', '西市场'] },
  { kind: 'park', name: '人民公园', cells: [[9, 6], [10, 6], [9, 7], [10, 7]], merge: true },
  { kind: 'plaza', name: '民生广场', cells: [[9, 2]], merge: false },
  { kind: 'green', name: '学生路游园', cells: [[0, 5]], merge: false },
  { kind: 'green', name: null, cells: [[11, 4]], merge: false },
];
