import {
  areaKinds, areaLevels, poiCategories, requestCategories, requestChannels, requestStatuses, staffRoles,
} from '../../api/contract/vocabulary.ts';
// Helpers shared by the demo-data tests: parse the generated files once, walk coordinates.

import { generateDemoFiles } from './generate.ts';

export type F = { type: string; id: string; properties: Record<string, any>; geometry: null | { type: string; coordinates: any } };
export type Files = Record<string, string>;

let cached: { files: Files; layers: Record<string, F[]> } | null = null;
export function demo() {
  if (!cached) {
    const files = generateDemoFiles();
    const layers: Record<string, F[]> = {};
    for (const [name, text] of Object.entries(files)) if (name.endsWith('.geojson')) layers[name.replace('.geojson', '')] = JSON.parse(text).features;
    cached = { files, layers };
  }
  return cached;
}

/** Every [lon, lat] position in a geometry. */
export function positions(g: F['geometry']): number[][] {
  if (!g) return [];
  const out: number[][] = [];
  const walk = (c: any) => (typeof c[0] === 'number' ? out.push(c) : c.forEach(walk));
  walk(g.coordinates);
  return out;
}

/** Polygons of a Polygon/MultiPolygon as arrays of rings. */
export function polygons(g: F['geometry']): number[][][][] {
  if (!g) return [];
  return g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
}

export const key = (p: number[]) => `${p[0]},${p[1]}`;

/** Metres per degree near the street: for distance checks. */
const KX = 111320 * Math.cos((35.216 * Math.PI) / 180), KY = 110574;
export function metres(a: number[], b: number[]) {
  return Math.hypot((a[0] - b[0]) * KX, (a[1] - b[1]) * KY);
}
export function distToSegment(p: number[], a: number[], b: number[]) {
  const P = [p[0] * KX, p[1] * KY], A = [a[0] * KX, a[1] * KY], B = [b[0] * KX, b[1] * KY];
  const dx = B[0] - A[0], dy = B[1] - A[1];
  const t = Math.max(0, Math.min(1, ((P[0] - A[0]) * dx + (P[1] - A[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(P[0] - A[0] - t * dx, P[1] - A[1] - t * dy);
}

/** Enumerated property values from docs/data-contract.md. */
export const ENUMS: Record<string, Record<string, string[]>> = {
  areas: { level: [...areaLevels], kind: [...areaKinds] },
  buildings: { use: ['residential', 'public', 'commercial', 'school', 'medical'] },
  roads: { class: ['primary', 'secondary', 'tertiary', 'lane', 'footway'] },
  landuse: { class: ['park', 'water', 'school', 'hospital', 'plaza', 'green'] },
  pois: { category: [...poiCategories] },
  staff: { role: [...staffRoles] },
  // the demo's past requests came by every channel but Open311 (no outside system filed them), the
  // residents' own page (`web`) and 12345 transfers (`hotline`), both recorded apart (from QR codes
  // and phone calls) only since the demo was generated
  requests: { category: [...requestCategories], channel: requestChannels.filter((c) => !['open311', 'web', 'hotline'].includes(c)), status: [...requestStatuses] },
};
