// Exact unions of polygons that share vertices (edge cancellation) and a seeded region-growing
// partition of a set of blocks into connected, roughly equal groups.

import { cross, signedArea, pointInRing, sub, type LonLat, type XY } from './geo.ts';
import type { Rng } from './rng.ts';

export type Geometry = { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] };

/**
 * Union of counter-clockwise rings given as vertex ids. Directed edges that appear in both
 * directions are interior and cancel; the remaining (boundary) edges are chained into rings.
 * At a vertex with two outgoing boundary edges the walk takes the leftmost turn, so rings that
 * touch at a point stay separate. Rings with positive area are exteriors, negative ones holes.
 */
export function unionRings(rings: readonly number[][], xy: readonly XY[]): number[][] {
  const edges = new Set<string>();
  for (const r of rings) for (let k = 0; k < r.length; k++) edges.add(`${r[k]},${r[(k + 1) % r.length]}`);
  const out = new Map<number, number[]>();
  for (const e of edges) {
    const [a, b] = e.split(',').map(Number);
    if (edges.has(`${b},${a}`)) continue;
    if (!out.has(a)) out.set(a, []);
    out.get(a)!.push(b);
  }
  const result: number[][] = [];
  const starts = [...out.keys()].sort((p, q) => p - q);
  for (const start of starts) {
    while (out.get(start)!.length > 0) {
      const ring = [start];
      let prev = start;
      let cur = out.get(start)!.shift()!;
      while (cur !== start) {
        ring.push(cur);
        const cands = out.get(cur)!;
        let best = 0;
        if (cands.length > 1) {
          const din = sub(xy[cur], xy[prev]);
          const turn = (c: number) => {
            const d = sub(xy[c], xy[cur]);
            return Math.atan2(cross(din, d), din[0] * d[0] + din[1] * d[1]);
          };
          for (let c = 1; c < cands.length; c++) if (turn(cands[c]) > turn(cands[best])) best = c;
        }
        prev = cur;
        cur = cands.splice(best, 1)[0];
      }
      result.push(ring);
    }
  }
  return result;
}

/** Turn unioned rings (vertex ids) into a GeoJSON Polygon or MultiPolygon, holes assigned to exteriors. */
export function ringsToGeometry(rings: number[][], ll: readonly LonLat[], xy: readonly XY[]): Geometry {
  const area = (r: number[]) => signedArea(r.map((v) => xy[v]));
  const exteriors = rings.filter((r) => area(r) > 0).sort((a, b) => area(b) - area(a));
  const holes = rings.filter((r) => area(r) < 0);
  const polys = exteriors.map((r) => [r]);
  for (const h of holes) {
    const owner = polys.find((p) => h.some((v) => !p[0].includes(v) && pointInRing(xy[v], p[0].map((u) => xy[u]))));
    if (!owner) throw new Error('hole without exterior');
    owner.push(h);
  }
  const coords = polys.map((p) => p.map((r) => [...r, r[0]].map((v) => ll[v])));
  return coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords };
}

/** Neighbouring items (sharing at least one ring edge). */
export function adjacency(rings: Map<number, number[]>): Map<number, number[]> {
  const owner = new Map<string, number>();
  for (const [id, r] of rings) for (let k = 0; k < r.length; k++) owner.set(`${r[k]},${r[(k + 1) % r.length]}`, id);
  const adj = new Map<number, number[]>();
  for (const [id, r] of rings) {
    const ns = new Set<number>();
    for (let k = 0; k < r.length; k++) {
      const o = owner.get(`${r[(k + 1) % r.length]},${r[k]}`);
      if (o !== undefined && o !== id) ns.add(o);
    }
    adj.set(id, [...ns].sort((a, b) => a - b));
  }
  return adj;
}

/**
 * Split `items` into k connected groups by growing from spread-out seeds, always growing the
 * lightest group next. Fixed groups are kept as given. Retries until every group has at least
 * `minSize` items.
 */
export function grow(
  items: readonly number[], k: number, adj: Map<number, number[]>, pos: (id: number) => XY,
  weight: (id: number) => number, rng: Rng, minSize: number,
): number[][] {
  if (k * minSize > items.length) throw new Error(`cannot split ${items.length} items into ${k} groups of ${minSize}`);
  const inSet = new Set(items);
  const d2 = (a: XY, b: XY) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
  for (let attempt = 0; attempt < 500; attempt++) {
    const seeds = [rng.pick(items)];
    while (seeds.length < k) {
      let best = -1, bestScore = -1;
      for (const it of items) {
        if (seeds.includes(it)) continue;
        const score = Math.min(...seeds.map((s) => d2(pos(s), pos(it)))) * rng.float(0.6, 1);
        if (score > bestScore) { bestScore = score; best = it; }
      }
      seeds.push(best);
    }
    const groupOf = new Map<number, number>();
    const groups = seeds.map((s, g) => { groupOf.set(s, g); return [s]; });
    const weights = seeds.map(weight);
    for (;;) {
      const order = groups.map((_, g) => g).sort((a, b) => weights[a] - weights[b]);
      let grew = false;
      for (const g of order) {
        const cands = [...new Set(groups[g].flatMap((it) => adj.get(it) ?? []))].filter((n) => inSet.has(n) && !groupOf.has(n));
        if (cands.length === 0) continue;
        const seedPos = pos(seeds[g]);
        let best = cands[0], bestScore = Infinity;
        for (const c of cands) {
          const score = d2(pos(c), seedPos) * rng.float(1, 1.6);
          if (score < bestScore) { bestScore = score; best = c; }
        }
        groupOf.set(best, g); groups[g].push(best); weights[g] += weight(best);
        grew = true;
        break;
      }
      if (!grew) break;
    }
    if (groupOf.size === items.length && groups.every((g) => g.length >= minSize)) return groups.map((g) => g.sort((a, b) => a - b));
  }
  throw new Error('region growing failed');
}
