// Roads along the lattice lines: every block boundary is a street, lane or alley, so grid
// boundaries follow roads. Named roads come from the plan; the rest get modest local names.

import { COLS, ROWS, type RoadClass } from './plan.ts';
import { plannedRoad, type Lattice } from './lattice.ts';
import { makeRng } from './rng.ts';
import { feature, type Feature } from './geo.ts';

export type Road = { id: string; name: string | null; cls: RoadClass; vertices: number[] };
export type RoadNet = { roads: Road[]; edgeClass: Map<string, RoadClass>; edgeRoad: Map<string, Road> };

const STREET_NAMES = ['育英街', '和平街', '光明路', '幸福路', '友谊路', '团结街', '文化路', '胜利街', '前进路', '建新街', '园丁路', '兴隆街', '东方红街', '朝阳路'];
const LANE_NAMES = ['槐树巷', '榆树巷', '杨柳巷', '东风巷', '红旗巷', '向阳巷', '百花巷', '石榴巷', '枣树巷', '丁香巷', '桃园巷', '新民巷', '永安巷', '甜水井巷', '仁和巷', '顺城巷', '振兴巷', '煤场巷'];

export const edgeKey = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`);
export const CLASS_RANK: Record<RoadClass, number> = { primary: 4, secondary: 3, tertiary: 2, lane: 1, footway: 0 };

export function buildRoads(L: Lattice): RoadNet {
  const rng = makeRng('roads');
  const streetNames = rng.shuffle(STREET_NAMES), laneNames = rng.shuffle(LANE_NAMES);
  const blockAt = (i: number, j: number) => (i < 0 || j < 0 || i >= COLS || j >= ROWS ? null : L.cellBlock[i][j]);
  const roads: Road[] = [];
  const edgeClass = new Map<string, RoadClass>();
  const edgeRoad = new Map<string, Road>();
  const lines = [
    ...L.colLine.map((_, i) => ({ dir: 'col' as const, index: i, n: ROWS })),
    ...L.rowLine.map((_, j) => ({ dir: 'row' as const, index: j, n: COLS })),
  ];
  for (const { dir, index, n } of lines) {
    const ids = dir === 'col' ? L.colLine[index] : L.rowLine[index];
    const nodePos = dir === 'col' ? L.colNode[index] : L.rowNode[index];
    let run: { start: number; end: number; key: string } | null = null;
    const flush = () => {
      if (!run) return;
      const plan = plannedRoad(dir, index, run.start);
      const edges = run.end - run.start;
      let name: string | null, cls: RoadClass;
      if (plan) ({ name, cls } = plan);
      else if (edges >= 3) { cls = 'tertiary'; name = streetNames.shift() ?? null; }
      else { cls = 'lane'; name = rng.chance(0.6) ? (laneNames.shift() ?? null) : null; }
      const road: Road = { id: '', name, cls, vertices: ids.slice(nodePos[run.start], nodePos[run.end] + 1) };
      roads.push(road);
      for (let k = 0; k + 1 < road.vertices.length; k++) {
        const key = edgeKey(road.vertices[k], road.vertices[k + 1]);
        edgeClass.set(key, cls);
        edgeRoad.set(key, road);
      }
      run = null;
    };
    for (let e = 0; e < n; e++) {
      const [a, b] = dir === 'col' ? [blockAt(index - 1, e), blockAt(index, e)] : [blockAt(e, index - 1), blockAt(e, index)];
      const present = a !== b;
      const key = plannedRoad(dir, index, e)?.name ?? '-';
      if (present && run && run.key === key) run.end = e + 1;
      else {
        flush();
        if (present) run = { start: e, end: e + 1, key };
      }
    }
    flush();
  }
  const rank = (r: Road) => -CLASS_RANK[r.cls];
  roads.sort((a, b) => rank(a) - rank(b));
  roads.forEach((r, k) => (r.id = `MS-R${String(k + 1).padStart(3, '0')}`));
  return { roads, edgeClass, edgeRoad };
}

export function roadFeatures(L: Lattice, net: RoadNet): Feature[] {
  return net.roads.map((r) =>
    feature({ id: r.id, name: r.name, class: r.cls }, { type: 'LineString', coordinates: r.vertices.map((v) => L.ll[v]) }),
  );
}
