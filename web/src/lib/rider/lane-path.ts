import type { LonLat, RiderGuide } from '../api/rider.ts';
import { metres } from './plan.ts';

/**
 * The walking path along the compound's lanes, computed on the phone: the guide's offline
 * fallback when `/find` cannot be asked (the server computes the same thing online).
 * Lanes are noded where they share a vertex; the ends snap to the nearest lane vertex.
 */
export function lanePath(guide: RiderGuide, from: LonLat, to: LonLat): { path: LonLat[]; meters: number } | null {
  const key = ([lon, lat]: LonLat) => `${lon.toFixed(7)},${lat.toFixed(7)}`;
  const nodes = new Map<string, LonLat>();
  const edges = new Map<string, { to: string; w: number }[]>();
  const link = (a: LonLat, b: LonLat) => {
    const ka = key(a), kb = key(b), w = metres(a, b);
    nodes.set(ka, a).set(kb, b);
    (edges.get(ka) ?? edges.set(ka, []).get(ka)!).push({ to: kb, w });
    (edges.get(kb) ?? edges.set(kb, []).get(kb)!).push({ to: ka, w });
  };
  for (const feature of guide.lanes.features) {
    const lines = feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const line of lines) for (let i = 1; i < line.length; i++) link(line[i - 1] as LonLat, line[i] as LonLat);
  }
  if (!nodes.size) return null;
  const nearest = (p: LonLat) => [...nodes.entries()].reduce((best, entry) => (metres(p, entry[1]) < metres(p, best[1]) ? entry : best))[0];
  const start = nearest(from), goal = nearest(to);

  // Dijkstra over at most a few hundred vertices: a linear scan for the minimum is enough
  const dist = new Map<string, number>([[start, 0]]);
  const prev = new Map<string, string>();
  const open = new Set([start]);
  while (open.size) {
    let current = '';
    let best = Infinity;
    for (const k of open) if (dist.get(k)! < best) (best = dist.get(k)!), (current = k);
    open.delete(current);
    if (current === goal) break;
    for (const { to: next, w } of edges.get(current) ?? []) {
      const d = best + w;
      if (d < (dist.get(next) ?? Infinity)) {
        dist.set(next, d);
        prev.set(next, current);
        open.add(next);
      }
    }
  }
  if (!dist.has(goal)) return null;
  const path: LonLat[] = [to];
  for (let k: string | undefined = goal; k; k = prev.get(k)) path.push(nodes.get(k)!);
  path.push(from);
  path.reverse();
  const meters = path.slice(1).reduce((sum, p, i) => sum + metres(path[i], p), 0);
  return { path, meters };
}
