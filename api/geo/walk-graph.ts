import Flatbush from 'flatbush';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/**
 * The walking network: every road, lane and footway of the `roads` table as one graph, joined
 * where lines share a vertex (the data is noded that way: lanes end on roads, footways on lanes).
 * Every vertex is a node and every straight piece an edge, so a path's geometry is its nodes.
 * A point off the network is snapped to the nearest position on an edge and the edge is split
 * there virtually: the point's two "sources" are the edge's ends, each at its share of the length.
 */

export const walkingSpeed = 75; // m/min: 4.5 km/h, an unhurried adult pace

// WGS84 ellipsoid: metres per radian along the meridian (M) and the parallel (N cos φ).
const a = 6378137;
const e2 = 0.00669437999014;
const rad = Math.PI / 180;
function scales(lat: number) {
  const s = Math.sin(lat * rad);
  const w = 1 - e2 * s * s;
  return { x: ((a / Math.sqrt(w)) * Math.cos(lat * rad)) * rad, y: ((a * (1 - e2)) / (w * Math.sqrt(w))) * rad };
}

/** Metres between two nearby points (a few km): the ellipsoid's local scale at their mid-latitude. */
export function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = scales((lat1 + lat2) / 2);
  return Math.hypot((lon2 - lon1) * k.x, (lat2 - lat1) * k.y);
}

/** A position on the network: on segment `segment`, at fraction `t` from its first node. */
export interface Snap {
  segment: number;
  t: number;
  /** metres from the snapped point to this position (the walk to reach the path) */
  meters: number;
  lon: number;
  lat: number;
}

/** Distances settled by one search; valid until the graph's next search. */
export interface Reach {
  /** metres to a node, Infinity when not reached */
  node(n: number): number;
  /** metres to a snapped position (off-network leg included) */
  snap(s: Snap): number;
}

export interface Route {
  meters: number;
  coordinates: [number, number][];
  /** which of the targets it reaches */
  target: number;
}

export class WalkGraph {
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly segA: Int32Array;
  readonly segB: Int32Array;
  readonly segLen: Float64Array;
  private adjStart: Int32Array;
  private adjNode: Int32Array;
  private adjLen: Float64Array;
  private index: Flatbush;
  private k: { x: number; y: number }; // projection for the segment index: metres at a reference latitude
  private lat0: number;
  // scratch for searches: `stamp[n] === run` marks dist/prev as this search's
  private dist: Float64Array;
  private prev: Int32Array;
  private stamp: Uint32Array;
  private run = 0;
  private heap = new Heap();

  /** Lines as coordinate arrays; vertices equal to 1e-7° are one node. */
  constructor(lines: [number, number][][]) {
    const ids = new Map<string, number>();
    const lon: number[] = [];
    const lat: number[] = [];
    const node = (c: [number, number]) => {
      const key = `${Math.round(c[0] * 1e7)},${Math.round(c[1] * 1e7)}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = lon.length;
        ids.set(key, id);
        lon.push(c[0]);
        lat.push(c[1]);
      }
      return id;
    };
    const segA: number[] = [];
    const segB: number[] = [];
    const seen = new Set<string>();
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const p = node(line[i - 1]);
        const q = node(line[i]);
        if (p === q) continue; // repeated vertex
        const key = p < q ? `${p}:${q}` : `${q}:${p}`;
        if (seen.has(key)) continue; // two lines drawn over each other
        seen.add(key);
        segA.push(p);
        segB.push(q);
      }
    }
    this.lon = Float64Array.from(lon);
    this.lat = Float64Array.from(lat);
    this.segA = Int32Array.from(segA);
    this.segB = Int32Array.from(segB);
    const n = lon.length;
    const m = segA.length;
    this.segLen = new Float64Array(m);
    for (let s = 0; s < m; s++) this.segLen[s] = metres(lon[segA[s]], lat[segA[s]], lon[segB[s]], lat[segB[s]]);

    // adjacency in compressed rows: node n's neighbours are adjNode[adjStart[n] .. adjStart[n + 1])
    this.adjStart = new Int32Array(n + 1);
    for (let s = 0; s < m; s++) { this.adjStart[segA[s] + 1]++; this.adjStart[segB[s] + 1]++; }
    for (let i = 0; i < n; i++) this.adjStart[i + 1] += this.adjStart[i];
    this.adjNode = new Int32Array(2 * m);
    this.adjLen = new Float64Array(2 * m);
    const fill = this.adjStart.slice(0, n);
    for (let s = 0; s < m; s++) {
      const p = segA[s], q = segB[s];
      this.adjNode[fill[p]] = q; this.adjLen[fill[p]++] = this.segLen[s];
      this.adjNode[fill[q]] = p; this.adjLen[fill[q]++] = this.segLen[s];
    }

    let sum = 0;
    for (const y of lat) sum += y;
    this.lat0 = n ? sum / n : 0;
    this.k = scales(this.lat0);
    this.index = new Flatbush(Math.max(1, m));
    for (let s = 0; s < m; s++) {
      const x1 = this.lon[segA[s]] * this.k.x, y1 = this.lat[segA[s]] * this.k.y;
      const x2 = this.lon[segB[s]] * this.k.x, y2 = this.lat[segB[s]] * this.k.y;
      this.index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
    }
    if (!m) this.index.add(0, 0, 0, 0);
    this.index.finish();

    this.dist = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.stamp = new Uint32Array(n);
  }

  get nodeCount() { return this.lon.length; }
  get segmentCount() { return this.segA.length; }
  /** bytes held by the graph's arrays and index: the "memory small" check */
  get bytes() {
    return [this.lon, this.lat, this.segA, this.segB, this.segLen, this.adjStart, this.adjNode, this.adjLen, this.dist, this.prev, this.stamp]
      .reduce((sum, arr) => sum + arr.byteLength, 0) + (this.index as any).data.byteLength;
  }

  /** The nearest position on the network, or null when none is within `maxMeters`. */
  snap(lon: number, lat: number, maxMeters = Infinity): Snap | null {
    if (!this.segmentCount) return null;
    const x = lon * this.k.x, y = lat * this.k.y;
    // the nearest box gives an upper bound; every segment that could be nearer has a box within it
    const [first] = this.index.neighbors(x, y, 1);
    if (first === undefined) return null;
    const bound = this.project(first, x, y).d2;
    const r = Math.sqrt(bound) + 1e-6;
    let best = first, bestD2 = bound, bestT = this.project(first, x, y).t;
    for (const s of this.index.search(x - r, y - r, x + r, y + r)) {
      const p = this.project(s, x, y);
      if (p.d2 < bestD2 || (p.d2 === bestD2 && s < best)) { best = s; bestD2 = p.d2; bestT = p.t; }
    }
    const A = this.segA[best], B = this.segB[best];
    const sLon = this.lon[A] + (this.lon[B] - this.lon[A]) * bestT;
    const sLat = this.lat[A] + (this.lat[B] - this.lat[A]) * bestT;
    const meters = metres(lon, lat, sLon, sLat);
    if (meters > maxMeters) return null;
    return { segment: best, t: bestT, meters, lon: sLon, lat: sLat };
  }

  /** Squared planar distance from (x, y) to a segment and the fraction along it. */
  private project(s: number, x: number, y: number) {
    const A = this.segA[s], B = this.segB[s];
    const x1 = this.lon[A] * this.k.x, y1 = this.lat[A] * this.k.y;
    const dx = this.lon[B] * this.k.x - x1, dy = this.lat[B] * this.k.y - y1;
    const len2 = dx * dx + dy * dy;
    const t = len2 ? Math.min(1, Math.max(0, ((x - x1) * dx + (y - y1) * dy) / len2)) : 0;
    const ex = x1 + t * dx - x, ey = y1 + t * dy - y;
    return { d2: ex * ex + ey * ey, t };
  }

  /** The two ends of a snapped position's segment with the walk to each (off-network leg included). */
  ends(s: Snap, extra = 0): { node: number; cost: number }[] {
    const len = this.segLen[s.segment];
    return [
      { node: this.segA[s.segment], cost: extra + s.meters + s.t * len },
      { node: this.segB[s.segment], cost: extra + s.meters + (1 - s.t) * len },
    ];
  }

  /**
   * Dijkstra from several sources at once (a binary heap, lazy deletion), settling nodes up to
   * `maxMeters`. `onSettle(node, meters)` may return true to stop early. The answer stays valid
   * until the next search on this graph.
   */
  search(sources: { node: number; cost: number }[], maxMeters = Infinity, onSettle?: (node: number, meters: number) => boolean | void): Reach {
    if (++this.run === 0xffffffff) { this.stamp.fill(0); this.run = 1; }
    const { dist, prev, stamp, heap, adjStart, adjNode, adjLen } = this;
    const stampNow = this.run;
    heap.clear();
    for (const { node, cost } of sources) {
      if (cost > maxMeters) continue;
      if (stamp[node] !== stampNow || cost < dist[node]) {
        stamp[node] = stampNow; dist[node] = cost; prev[node] = -1;
        heap.push(node, cost);
      }
    }
    while (heap.size) {
      const d = heap.peekKey();
      const n = heap.pop();
      if (d > dist[n]) continue; // stale entry
      if (onSettle?.(n, d)) break;
      for (let i = adjStart[n]; i < adjStart[n + 1]; i++) {
        const q = adjNode[i];
        const nd = d + adjLen[i];
        if (nd > maxMeters) continue;
        if (stamp[q] !== stampNow || nd < dist[q]) {
          stamp[q] = stampNow; dist[q] = nd; prev[q] = n;
          heap.push(q, nd);
        }
      }
    }
    const node = (n: number) => (stamp[n] === stampNow ? dist[n] : Infinity);
    return {
      node,
      snap: (s: Snap) => {
        if (this.run !== stampNow) throw new Error('a newer search has replaced this one: read its distances before searching again');
        const len = this.segLen[s.segment];
        return s.meters + Math.min(node(this.segA[s.segment]) + s.t * len, node(this.segB[s.segment]) + (1 - s.t) * len);
      },
    };
  }

  /**
   * The shortest walk from `from` to the nearest of `targets`, with its geometry from the point
   * itself to the target point (off-network legs included, so the line's length is `meters`).
   */
  route(from: { lon: number; lat: number; snap: Snap }, targets: { lon: number; lat: number; snap: Snap }[]): Route | null {
    if (!targets.length) return null;
    const len = (s: Snap) => this.segLen[s.segment];
    // a target on the start's own segment may be reached along it without passing a node
    let best: { meters: number; target: number; via: 'direct' | 'A' | 'B' } | null = null;
    targets.forEach((t, i) => {
      if (t.snap.segment !== from.snap.segment) return;
      const meters = from.snap.meters + Math.abs(from.snap.t - t.snap.t) * len(t.snap) + t.snap.meters;
      if (!best || meters < best.meters) best = { meters, target: i, via: 'direct' };
    });
    const wanted = new Set<number>();
    for (const t of targets) { wanted.add(this.segA[t.snap.segment]); wanted.add(this.segB[t.snap.segment]); }
    let left = wanted.size;
    const reach = this.search(this.ends(from.snap), Infinity, (n, d) => {
      if (best && d >= (best as { meters: number }).meters) return true;
      if (wanted.has(n) && --left === 0) return true;
      return false;
    });
    targets.forEach((t, i) => {
      const s = t.snap;
      const viaA = reach.node(this.segA[s.segment]) + s.t * len(s) + s.meters;
      const viaB = reach.node(this.segB[s.segment]) + (1 - s.t) * len(s) + s.meters;
      const meters = Math.min(viaA, viaB);
      if (Number.isFinite(meters) && (!best || meters < best.meters)) best = { meters, target: i, via: viaA <= viaB ? 'A' : 'B' };
    });
    if (!best) return null;
    const { meters, target, via } = best as { meters: number; target: number; via: 'direct' | 'A' | 'B' };
    const to = targets[target];
    const coordinates: [number, number][] = [[from.lon, from.lat]];
    const push = (c: [number, number]) => {
      const last = coordinates[coordinates.length - 1];
      if (last[0] !== c[0] || last[1] !== c[1]) coordinates.push(c);
    };
    push([from.snap.lon, from.snap.lat]);
    if (via !== 'direct') {
      const end = via === 'A' ? this.segA[to.snap.segment] : this.segB[to.snap.segment];
      const chain: number[] = [];
      for (let n = end; n !== -1; n = this.prev[n]) chain.push(n);
      chain.reverse();
      for (const n of chain) push([this.lon[n], this.lat[n]]);
    }
    push([to.snap.lon, to.snap.lat]);
    push([to.lon, to.lat]);
    return { meters, coordinates, target };
  }

  /** The length of a line as this graph measures it (for checks and tests). */
  static lineMeters(coordinates: [number, number][]): number {
    let sum = 0;
    for (let i = 1; i < coordinates.length; i++) sum += metres(coordinates[i - 1][0], coordinates[i - 1][1], coordinates[i][0], coordinates[i][1]);
    return sum;
  }
}

/** A binary min-heap of (node, key) in typed arrays, growing as needed. */
class Heap {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024);
  size = 0;
  clear() { this.size = 0; }
  peekKey() { return this.keys[0]; }
  push(value: number, key: number) {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2); keys.set(this.keys); this.keys = keys;
      const values = new Int32Array(this.size * 2); values.set(this.values); this.values = values;
    }
    let i = this.size++;
    const { keys, values } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent]; values[i] = values[parent];
      i = parent;
    }
    keys[i] = key; values[i] = value;
  }
  pop(): number {
    const { keys, values } = this;
    const top = values[0];
    const n = --this.size;
    if (n > 0) {
      const key = keys[n], value = values[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= key) break;
        keys[i] = keys[c]; values[i] = values[c];
        i = c;
      }
      keys[i] = key; values[i] = value;
    }
    return top;
  }
}

/** The graph of a database's roads, built on first use and kept (one per Database object). */
const graphs = new WeakMap<Database, Promise<WalkGraph>>();

export function walkGraph(database: Database): Promise<WalkGraph> {
  let graph = graphs.get(database);
  if (!graph) {
    graph = loadWalkGraph(database);
    graphs.set(database, graph);
    graph.catch(() => graphs.delete(database)); // a failed load is retried by the next caller
  }
  return graph;
}

/**
 * Rebuild from the roads table: call after roads change. A graph never built for this database
 * is left to be built on first use (with a replica, the routes walk the replica's graph and the
 * primary's is never wanted: api/db/replica.ts).
 */
export async function reload(database: Database): Promise<WalkGraph | null> {
  if (!graphs.delete(database)) return null;
  return walkGraph(database);
}

async function loadWalkGraph(database: Database): Promise<WalkGraph> {
  const rows = await database.rows<{ geometry: string }>(sql`SELECT ST_AsGeoJSON(geom, 7) AS geometry FROM roads ORDER BY id`);
  return new WalkGraph(rows.map((r) => JSON.parse(r.geometry).coordinates));
}
