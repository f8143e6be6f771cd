// Layout of one block: the walled site inset from the roads, its gates, rows of buildings with
// unit entrances, and the lanes/footways joining road → gate → spine → row footway → entrance.
// All joints are shared vertices, so the walking network is connected.

import type { Block, Lattice, Side } from './lattice.ts';
import { CLASS_RANK, edgeKey, type Road, type RoadNet } from './roads.ts';
import type { RoadClass } from './plan.ts';
import type { Rng } from './rng.ts';
import { add, centroid, closeRing, dot, insetRing, leftNormal, mul, pointInRing, sub, toLonLat, toXY, unit, type LonLat, type XY } from './geo.ts';

export type Style = {
  depth: number; uw: number; units: [number, number]; floors: [number, number];
  pitch: [number, number]; gap: [number, number]; maxRows: number; perRow: number;
};
export const STYLES = {
  old: { depth: 11, uw: 12.5, units: [3, 6], floors: [3, 7], pitch: [34, 42], gap: [10, 18], maxRows: 2, perRow: 2 },
  mid: { depth: 12, uw: 13.5, units: [2, 4], floors: [6, 7], pitch: [36, 42], gap: [12, 18], maxRows: 3, perRow: 2 },
  high: { depth: 16, uw: 17, units: [1, 3], floors: [11, 18], pitch: [52, 60], gap: [18, 26], maxRows: 3, perRow: 2 },
  school: { depth: 16, uw: 20, units: [1, 3], floors: [3, 5], pitch: [46, 54], gap: [16, 24], maxRows: 2, perRow: 2 },
  hospital: { depth: 18, uw: 22, units: [1, 2], floors: [5, 12], pitch: [52, 60], gap: [16, 24], maxRows: 2, perRow: 2 },
  market: { depth: 22, uw: 24, units: [1, 3], floors: [1, 2], pitch: [44, 50], gap: [10, 14], maxRows: 2, perRow: 2 },
} satisfies Record<string, Style>;

export const SETBACK: Record<RoadClass, number> = { primary: 17, secondary: 13, tertiary: 9, lane: 6, footway: 4 };
const COMPASS: Record<Side, string> = { bottom: '南门', top: '北门', left: '西门', right: '东门' };

export type PlacedBuilding = { ring: LonLat[]; units: number; floors: number; entrances: LonLat[]; centre: LonLat };
export type SiteLayout = {
  ring: LonLat[]; // closed, counter-clockwise
  gates: { name: string; main: boolean; at: LonLat }[];
  buildings: PlacedBuilding[];
  lanes: { cls: 'lane' | 'footway'; coords: LonLat[] }[];
  frontRoad: Road | null;
  mainRoad: LonLat; // the road vertex in front of the main gate
  streetFront: LonLat; // a point between road and main gate (sidewalk / shop fronts)
  yard: LonLat; // a free point inside, near the main gate
};

type Rect = { u0: number; u1: number; v0: number; v1: number };
/** Largest-ish axis-aligned rectangle inside a ring (local coordinates), by shrinking its bbox. */
export function innerRect(ring: readonly XY[]): Rect {
  const us = ring.map((p) => p[0]), vs = ring.map((p) => p[1]);
  const r: Rect = { u0: Math.min(...us) + 1, u1: Math.max(...us) - 1, v0: Math.min(...vs) + 1, v1: Math.max(...vs) - 1 };
  for (let it = 0; it < 2000; it++) {
    const inside = ring.find((p) => p[0] > r.u0 && p[0] < r.u1 && p[1] > r.v0 && p[1] < r.v1);
    if (inside) {
      const gaps = [inside[0] - r.u0, r.u1 - inside[0], inside[1] - r.v0, r.v1 - inside[1]];
      const k = gaps.indexOf(Math.min(...gaps));
      if (k === 0) r.u0 = inside[0] + 0.5; else if (k === 1) r.u1 = inside[0] - 0.5;
      else if (k === 2) r.v0 = inside[1] + 0.5; else r.v1 = inside[1] - 0.5;
      continue;
    }
    const corners: [number, number, 'u0' | 'u1', 'v0' | 'v1'][] = [[r.u0, r.v0, 'u0', 'v0'], [r.u1, r.v0, 'u1', 'v0'], [r.u1, r.v1, 'u1', 'v1'], [r.u0, r.v1, 'u0', 'v1']];
    const out = corners.find(([u, v]) => !pointInRing([u, v], ring));
    if (!out) return r;
    r[out[2]] += out[2] === 'u0' ? 1 : -1;
    r[out[3]] += out[3] === 'v0' ? 1 : -1;
  }
  throw new Error('innerRect did not converge');
}

/** The block inset from the centre line of each surrounding road by that road's setback. */
export function insetBlock(L: Lattice, net: RoadNet, block: Block) {
  const n = block.ring.length;
  const d = block.ring.map((v, k) => SETBACK[net.edgeClass.get(edgeKey(v, block.ring[(k + 1) % n])) ?? 'lane']);
  const inset = insetRing(block.ring.map((v) => L.xy[v]), d);
  const innerLL = inset.ring.map(toLonLat);
  return { map: inset.map, innerLL, innerXY: innerLL.map(toXY) };
}

export function layoutSite(L: Lattice, net: RoadNet, block: Block, style: Style, rng: Rng): SiteLayout {
  const edgeCls = (a: number, b: number) => net.edgeClass.get(edgeKey(a, b)) ?? 'lane';
  const inset = insetBlock(L, net, block);
  const { innerLL, innerXY } = inset;

  const sideRank = (s: Side) => {
    const ids = block.sides[s];
    let best = 0;
    for (let k = 0; k + 1 < ids.length; k++) best = Math.max(best, CLASS_RANK[edgeCls(ids[k], ids[k + 1])]);
    return best;
  };
  const front: Side = sideRank('top') > sideRank('bottom') || (sideRank('top') === sideRank('bottom') && rng.chance(0.3)) ? 'top' : 'bottom';
  const back: Side = front === 'top' ? 'bottom' : 'top';
  const flipped = front === 'top';
  let u = unit(sub(L.xy[block.sides.bottom.at(-1)!], L.xy[block.sides.bottom[0]]));
  if (flipped) u = mul(u, -1);
  const v = leftNormal(u);
  const origin = centroid(innerXY);
  const toLocal = (p: XY): XY => [dot(sub(p, origin), u), dot(sub(p, origin), v)];
  const toWorld = (q: XY): LonLat => toLonLat(add(origin, add(mul(u, q[0]), mul(v, q[1]))));
  const local = innerXY.map(toLocal);
  const rect = innerRect(local);

  /** Gate on side s: an inset vertex of the side, the one scoring lowest. */
  const gateOn = (s: Side, score: (q: XY, idx: number, count: number) => number) => {
    const ids = block.sides[s].slice(1, -1);
    const cands = ids.map((vid, idx) => ({ vid, idx, k: inset.map[block.ring.indexOf(vid)] })).filter((c) => c.k >= 0);
    if (cands.length === 0) return null;
    cands.sort((a, b) => score(local[a.k], a.idx, ids.length) - score(local[b.k], b.idx, ids.length));
    const c = cands[0];
    return { road: L.ll[c.vid], at: innerLL[c.k], q: local[c.k], roadId: net.edgeRoad.get(edgeKey(c.vid, block.sides[s][c.idx + 2])) ?? null };
  };
  const lanes: SiteLayout['lanes'] = [];
  const gates: SiteLayout['gates'] = [];
  const jitter = rng.float(-1.2, 1.2);
  const main = gateOn(front, (_q, idx, count) => Math.abs(idx - (count - 1) / 2 + jitter))!;
  gates.push({ name: COMPASS[front], main: true, at: main.at });
  lanes.push({ cls: 'lane', coords: [main.road, main.at] });

  const us = Math.min(Math.max(main.q[0], rect.u0 + 8), rect.u1 - 8);
  // rows of buildings, centred in the free depth of the site
  const pitch = rng.float(...style.pitch);
  const fit = Math.floor((rect.v1 - 3 - style.depth - (rect.v0 + 7)) / pitch) + 1;
  const rowCount = Math.max(0, Math.min(fit, rng.int(Math.min(2, style.maxRows), style.maxRows)));
  const spare = rect.v1 - 3 - (rect.v0 + 7) - (style.depth + (rowCount - 1) * pitch);
  const rows = Array.from({ length: rowCount }, (_, r) => rect.v0 + 7 + spare * rng.float(0.25, 0.5) + r * pitch);

  const buildings: PlacedBuilding[] = [];
  const footU: number[][] = rows.map(() => [us]);
  rows.forEach((vb, r) => {
    const vf = vb - 3.5;
    for (const [a, b] of [[rect.u0 + 3, us - 6], [us + 6, rect.u1 - 3]]) {
      let ua = a + rng.float(0, 6);
      for (let placed = 0; placed < style.perRow; placed++) {
        const fit = Math.floor((b - ua) / style.uw);
        if (fit < style.units[0]) break;
        const units = rng.int(style.units[0], Math.min(fit, style.units[1]));
        const ub = ua + units * style.uw;
        const corners: XY[] = [[ua, vb], [ub, vb], [ub, vb + style.depth], [ua, vb + style.depth]];
        const entrances: LonLat[] = [];
        for (let k = 0; k < units; k++) {
          const ue = ua + (k + 0.5) * style.uw;
          entrances.push(toWorld([ue, vb]));
          footU[r].push(ue);
          lanes.push({ cls: 'footway', coords: [toWorld([ue, vf]), toWorld([ue, vb])] });
        }
        buildings.push({
          ring: closeRing(corners.map(toWorld)), units, floors: rng.int(...style.floors), entrances,
          centre: toWorld([(ua + ub) / 2, vb + style.depth / 2]),
        });
        ua = ub + rng.float(...style.gap);
      }
    }
  });

  // optional side gate, reached by extending the first row's footway to the edge of the rect
  let sideGate: ReturnType<typeof gateOn> = null;
  let sideDir = 0;
  if (rows.length > 0 && rng.chance(0.3)) {
    const s: Side = rng.chance(0.5) ? 'left' : 'right';
    sideDir = (s === 'right') !== flipped ? 1 : -1;
    const vf0 = rows[0] - 3.5;
    sideGate = gateOn(s, (q) => Math.abs(q[1] - vf0));
    if (sideGate) {
      const edgeU = sideDir > 0 ? rect.u1 : rect.u0;
      footU[0].push(edgeU);
      gates.push({ name: COMPASS[s], main: false, at: sideGate.at });
      lanes.push({ cls: 'lane', coords: [sideGate.road, sideGate.at] });
      lanes.push({ cls: 'footway', coords: [toWorld([edgeU, vf0]), sideGate.at] });
    }
  }
  rows.forEach((vb, r) => {
    const vals = [...new Set(footU[r])].sort((a, b) => a - b);
    if (vals.length > 1) lanes.push({ cls: 'footway', coords: vals.map((x) => toWorld([x, vb - 3.5])) });
  });

  // spine from the main gate past every row; optional back gate
  const spine: LonLat[] = [main.at, ...rows.map((vb) => toWorld([us, vb - 3.5]))];
  const backGate = rows.length > 0 && rng.chance(0.45) ? gateOn(back, (_q, idx, count) => Math.abs(idx - (count - 1) / 2)) : null;
  if (backGate) {
    const vtop = Math.min(rows.at(-1)! + style.depth + 5, rect.v1);
    spine.push(toWorld([us, vtop]));
    const ub = Math.min(Math.max(backGate.q[0], rect.u0), rect.u1);
    const tail = Math.abs(ub - us) > 0.5 ? [toWorld([us, vtop]), toWorld([ub, vtop]), backGate.at] : [toWorld([us, vtop]), backGate.at];
    gates.push({ name: COMPASS[back], main: false, at: backGate.at });
    lanes.push({ cls: 'lane', coords: [backGate.road, backGate.at] });
    lanes.push({ cls: 'lane', coords: tail });
  }
  if (spine.length > 1) lanes.push({ cls: 'lane', coords: spine });

  const frontRoad = main.roadId;
  return {
    ring: closeRing(innerLL), gates, buildings, lanes, frontRoad, mainRoad: main.road,
    streetFront: toLonLat(add(toXY(main.road), mul(sub(toXY(main.at), toXY(main.road)), 0.4))),
    yard: toWorld([us + 5, (main.q[1] + (rows[0] ?? rect.v0 + 10) - 3.5) / 2]),
  };
}
