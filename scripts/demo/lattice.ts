// The jittered, curved lattice of shared vertices, and the blocks (merged lattice cells) on it.
// Every vertex is created once and rounded once (toLonLat), before any polygon is built, so
// neighbouring polygons share identical vertices and unions can be computed by edge cancellation.

import { COLS, ROWS, ROADS, SITES, COMMUNITIES, communityOf, type RoadPlan, type SitePlan } from './plan.ts';
import { makeRng } from './rng.ts';
import { lerp, signedArea, toLonLat, toXY, type LonLat, type XY } from './geo.ts';

export type Side = 'bottom' | 'right' | 'top' | 'left';
export type Block = {
  id: number;
  i0: number; j0: number; i1: number; j1: number; // cells i0..i1-1, j0..j1-1
  community: string;
  site: SitePlan | null;
  part: number; // index of this block within its site
  ring: number[]; // vertex ids, counter-clockwise, open
  sides: Record<Side, number[]>; // vertex ids of each side, in ring order (corners included)
  area: number; // m²
};

export type Lattice = {
  ll: LonLat[];
  xy: XY[];
  colLine: number[][]; // vertex ids along column line i, south → north
  colNode: number[][]; // colNode[i][j]: position of lattice node (i, j) in colLine[i]
  rowLine: number[][]; // vertex ids along row line j, west → east
  rowNode: number[][]; // rowNode[j][i]
  cellBlock: (number | null)[][]; // [i][j] → block id
  blocks: Block[];
};

export function plannedRoad(dir: 'col' | 'row', index: number, edge: number): RoadPlan | undefined {
  return ROADS.find((r) => r.dir === dir && r.index === index && edge >= r.from && edge < r.to);
}

export function buildLattice(): Lattice {
  const rng = makeRng('lattice');
  // irregular column widths and row heights (metres)
  const X = [0];
  for (let i = 0; i < COLS; i++) X.push(X[i] + rng.float(140, 205));
  const Y = [0];
  for (let j = 0; j < ROWS; j++) Y.push(Y[j] + rng.float(135, 190));
  const x0 = X[COLS] / 2, y0 = Y[ROWS] / 2;
  for (let i = 0; i <= COLS; i++) X[i] -= x0;
  for (let j = 0; j <= ROWS; j++) Y[j] -= y0;

  // each line gets its own gentle curve; the two main roads bend more
  const wave = (amp: number) => {
    const a = rng.float(0, amp), lambda = rng.float(700, 1800), phi = rng.float(0, 2 * Math.PI);
    return (s: number) => a * Math.sin((2 * Math.PI * s) / lambda + phi);
  };
  const colCurve = X.map((_, i) => wave(i === 8 ? 45 : 20));
  const rowCurve = Y.map((_, j) => wave(j === 5 ? 40 : 18));
  const jitter = X.map(() => Y.map(() => [rng.float(-9, 9), rng.float(-9, 9)] as XY));

  const node = (i: number, j: number): XY => [
    X[i] + colCurve[i](Y[j]) + jitter[i][j][0],
    Y[j] + rowCurve[j](X[i]) + jitter[i][j][1],
  ];
  // global smooth warp and a slight rotation: the old town is not aligned to north
  const theta = (-7 * Math.PI) / 180;
  const warp = ([x, y]: XY): XY => {
    const wx = x + 28 * Math.sin(y / 430 + 0.7) + 0.04 * y;
    const wy = y + 20 * Math.sin(x / 520 + 1.9);
    return [wx * Math.cos(theta) - wy * Math.sin(theta), wx * Math.sin(theta) + wy * Math.cos(theta)];
  };

  const ll: LonLat[] = [];
  const nodeId: number[][] = X.map(() => Y.map(() => -1));
  const addVertex = (p: XY): number => {
    ll.push(toLonLat(warp(p)));
    return ll.length - 1;
  };
  for (let i = 0; i <= COLS; i++) for (let j = 0; j <= ROWS; j++) nodeId[i][j] = addVertex(node(i, j));

  const segments = (a: XY, b: XY) => Math.max(2, Math.round(Math.hypot(b[0] - a[0], b[1] - a[1]) / 38));
  const colLine: number[][] = [], colNode: number[][] = [];
  for (let i = 0; i <= COLS; i++) {
    const ids: number[] = [], pos: number[] = [];
    for (let j = 0; j <= ROWS; j++) {
      pos.push(ids.length);
      ids.push(nodeId[i][j]);
      if (j === ROWS) break;
      const a = node(i, j), b = node(i, j + 1), n = segments(a, b);
      for (let k = 1; k < n; k++) {
        const t = k / n, yt = Y[j] + (Y[j + 1] - Y[j]) * t;
        const chord = colCurve[i](Y[j]) + (colCurve[i](Y[j + 1]) - colCurve[i](Y[j])) * t;
        const p = lerp(a, b, t);
        ids.push(addVertex([p[0] + colCurve[i](yt) - chord, p[1]]));
      }
    }
    colLine.push(ids); colNode.push(pos);
  }
  const rowLine: number[][] = [], rowNode: number[][] = [];
  for (let j = 0; j <= ROWS; j++) {
    const ids: number[] = [], pos: number[] = [];
    for (let i = 0; i <= COLS; i++) {
      pos.push(ids.length);
      ids.push(nodeId[i][j]);
      if (i === COLS) break;
      const a = node(i, j), b = node(i + 1, j), n = segments(a, b);
      for (let k = 1; k < n; k++) {
        const t = k / n, xt = X[i] + (X[i + 1] - X[i]) * t;
        const chord = rowCurve[j](X[i]) + (rowCurve[j](X[i + 1]) - rowCurve[j](X[i])) * t;
        const p = lerp(a, b, t);
        ids.push(addVertex([p[0], p[1] + rowCurve[j](xt) - chord]));
      }
    }
    rowLine.push(ids); rowNode.push(pos);
  }
  const xy = ll.map(toXY);

  // blocks: special sites first, then irregular merges of neighbouring cells, then single cells
  const cellBlock: (number | null)[][] = X.slice(0, COLS).map(() => Y.slice(0, ROWS).map(() => null));
  const rects: { i0: number; j0: number; i1: number; j1: number; site: SitePlan | null; part: number }[] = [];
  const special = new Set(SITES.flatMap((s) => s.cells.map(([i, j]) => `${i},${j}`)));
  const claim = (i0: number, j0: number, i1: number, j1: number, site: SitePlan | null, part: number) => {
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) cellBlock[i][j] = rects.length;
    rects.push({ i0, j0, i1, j1, site, part });
  };
  for (const site of SITES) {
    if (site.merge) {
      const is = site.cells.map((c) => c[0]), js = site.cells.map((c) => c[1]);
      claim(Math.min(...is), Math.min(...js), Math.max(...is) + 1, Math.max(...js) + 1, site, 0);
    } else site.cells.forEach(([i, j], part) => claim(i, j, i + 1, j + 1, site, part));
  }
  const free = (i: number, j: number, c: string) =>
    communityOf(i, j) === c && cellBlock[i][j] === null && !special.has(`${i},${j}`);
  const cells: [number, number][] = [];
  for (let i = 0; i < COLS; i++) for (let j = 0; j < ROWS; j++) cells.push([i, j]);
  for (const [i, j] of rng.shuffle(cells)) {
    const c = communityOf(i, j);
    if (!c || !free(i, j, c)) continue;
    const chance = COMMUNITIES.find((x) => x.code === c)!.mergeChance;
    if (!rng.chance(chance)) continue;
    const options = rng.shuffle([
      [i + 1, j, 'col', i + 1, j],
      [i, j + 1, 'row', j + 1, i],
    ] as const);
    for (const [ni, nj, dir, line, edge] of options) {
      if (ni < COLS && nj < ROWS && free(ni, nj, c) && !plannedRoad(dir, line, edge)) {
        claim(i, j, ni + 1, nj + 1, null, 0);
        break;
      }
    }
  }
  for (const [i, j] of cells) if (communityOf(i, j) && cellBlock[i][j] === null) claim(i, j, i + 1, j + 1, null, 0);

  const slice = (line: number[], a: number, b: number) =>
    a <= b ? line.slice(a, b + 1) : line.slice(b, a + 1).reverse();
  const blocks: Block[] = rects.map((r, id) => {
    const sides: Record<Side, number[]> = {
      bottom: slice(rowLine[r.j0], rowNode[r.j0][r.i0], rowNode[r.j0][r.i1]),
      right: slice(colLine[r.i1], colNode[r.i1][r.j0], colNode[r.i1][r.j1]),
      top: slice(rowLine[r.j1], rowNode[r.j1][r.i1], rowNode[r.j1][r.i0]),
      left: slice(colLine[r.i0], colNode[r.i0][r.j1], colNode[r.i0][r.j0]),
    };
    const ring = [...sides.bottom.slice(0, -1), ...sides.right.slice(0, -1), ...sides.top.slice(0, -1), ...sides.left.slice(0, -1)];
    return { id, ...r, community: communityOf(r.i0, r.j0)!, ring, sides, area: signedArea(ring.map((v) => xy[v])) };
  });
  return { ll, xy, colLine, colNode, rowLine, rowNode, cellBlock, blocks };
}
