import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WalkGraph, metres } from './walk-graph.ts';

// a 3 × 3 lattice of streets 0.001° apart (≈ 91 m east–west, 111 m north–south at 35°N)
function lattice(): [number, number][][] {
  const lines: [number, number][][] = [];
  for (let i = 0; i < 3; i++) {
    lines.push([0, 1, 2].map((j) => [113 + j * 0.001, 35 + i * 0.001] as [number, number]));
    lines.push([0, 1, 2].map((j) => [113 + i * 0.001, 35 + j * 0.001] as [number, number]));
  }
  return lines;
}

function random(seed: number) {
  return () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
}

describe('the walking graph', () => {
  it('joins lines at shared vertices into one node each', () => {
    const g = new WalkGraph(lattice());
    expect(g.nodeCount).toBe(9);
    expect(g.segmentCount).toBe(12);
  });

  it('measures segments on the ellipsoid like PostGIS geography (within 0.01 %)', () => {
    // ST_Length(ST_MakeLine(ST_MakePoint(113,35), ST_MakePoint(113.001,35))::geography) = 91.2878 m on PostGIS 3.6
    expect(metres(113, 35, 113.001, 35)).toBeCloseTo(91.2878, 1);
    // one thousandth of a degree of latitude at 35°N: 110.9504 m
    expect(metres(113, 35, 113, 35.001)).toBeCloseTo(110.9504, 1);
  });

  it('snaps a point to the nearest position on an edge and splits the edge there', () => {
    const g = new WalkGraph(lattice());
    const s = g.snap(113.00025, 35.0001)!;
    expect(s.lat).toBeCloseTo(35, 9);
    expect(s.lon).toBeCloseTo(113.00025, 9);
    expect(s.meters).toBeCloseTo(metres(113.00025, 35.0001, 113.00025, 35), 6);
    const [a, b] = g.ends(s);
    expect(a.cost + b.cost - 2 * s.meters).toBeCloseTo(g.segLen[s.segment], 6);
  });

  it('refuses to snap beyond the distance asked', () => {
    const g = new WalkGraph(lattice());
    expect(g.snap(113.01, 35.01, 100)).toBeNull();
    expect(g.snap(113.01, 35.01)).not.toBeNull();
  });

  it('finds the shortest walk around a block, not through it', () => {
    const g = new WalkGraph(lattice());
    const from = { lon: 113, lat: 35, snap: g.snap(113, 35)! };
    const to = { lon: 113.001, lat: 35.001, snap: g.snap(113.001, 35.001)! };
    const route = g.route(from, [to])!;
    // east then north, or north then east (a parallel is a little shorter farther north)
    const eastFirst = metres(113, 35, 113.001, 35) + metres(113.001, 35, 113.001, 35.001);
    const northFirst = metres(113, 35, 113, 35.001) + metres(113, 35.001, 113.001, 35.001);
    expect(route.meters).toBeCloseTo(Math.min(eastFirst, northFirst), 6);
    expect(WalkGraph.lineMeters(route.coordinates)).toBeCloseTo(route.meters, 6);
    expect(route.meters).toBeGreaterThan(metres(113, 35, 113.001, 35.001));
  });

  it('walks along one edge directly when both points snap to it', () => {
    const g = new WalkGraph(lattice());
    const p = (lon: number) => ({ lon, lat: 35, snap: g.snap(lon, 35)! });
    const route = g.route(p(113.0002), [p(113.0007)])!;
    expect(route.meters).toBeCloseTo(metres(113.0002, 35, 113.0007, 35), 6);
    expect(route.coordinates).toHaveLength(2);
  });

  it('gives each node its distance to the nearest of several sources', () => {
    const g = new WalkGraph(lattice());
    const corner = g.snap(113, 35)!;
    const far = g.snap(113.002, 35.002)!;
    const reach = g.search([...g.ends(corner), ...g.ends(far)]);
    const centre = g.snap(113.001, 35.001)!;
    const viaCorner = metres(113, 35, 113.001, 35) + metres(113.001, 35, 113.001, 35.001);
    const viaFar = metres(113.002, 35.002, 113.001, 35.002) + metres(113.001, 35.002, 113.001, 35.001);
    expect(reach.snap(centre)).toBeCloseTo(Math.min(viaCorner, viaFar), 6);
  });

  it('stops at the distance bound and leaves farther nodes unreached', () => {
    const g = new WalkGraph(lattice());
    const reach = g.search(g.ends(g.snap(113, 35)!), 100);
    expect(reach.snap(g.snap(113.002, 35.002)!)).toBe(Infinity);
    expect(reach.snap(g.snap(113.0005, 35)!)).toBeCloseTo(metres(113, 35, 113.0005, 35), 6);
  });

  it('agrees with Bellman–Ford on a random network', () => {
    const next = random(42);
    const lines: [number, number][][] = [];
    const pts = Array.from({ length: 60 }, () => [113 + next() * 0.01, 35 + next() * 0.01] as [number, number]);
    for (let i = 0; i < 150; i++) lines.push([pts[Math.floor(next() * 60)], pts[Math.floor(next() * 60)]]);
    const g = new WalkGraph(lines);
    const src = g.snap(pts[0][0], pts[0][1])!;
    const reach = g.search(g.ends(src));
    const d = new Array(g.nodeCount).fill(Infinity);
    for (const e of g.ends(src)) d[e.node] = Math.min(d[e.node], e.cost);
    for (let k = 0; k < g.nodeCount; k++) {
      for (let s = 0; s < g.segmentCount; s++) {
        const a = g.segA[s], b = g.segB[s], l = g.segLen[s];
        d[b] = Math.min(d[b], d[a] + l);
        d[a] = Math.min(d[a], d[b] + l);
      }
    }
    for (let n = 0; n < g.nodeCount; n++) expect(reach.node(n)).toBeCloseTo(d[n], 6);
  });

  it('builds the demo street in well under a second and a megabyte', () => {
    const roads = JSON.parse(readFileSync(new URL('../../data/demo/roads.geojson', import.meta.url), 'utf8'));
    const t0 = performance.now();
    const g = new WalkGraph(roads.features.map((f: any) => f.geometry.coordinates));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(500);
    expect(g.bytes).toBeLessThan(1_000_000);
    // the demo network is one piece: every node is reachable from any other
    const reach = g.search([{ node: 0, cost: 0 }]);
    for (let n = 0; n < g.nodeCount; n++) expect(reach.node(n)).toBeLessThan(Infinity);
  });
});
