import { getJson } from '../api/http.ts';

// The 15-minute circle (docs/api-residents.md): the gaps list and the buildings layer.

export type CircleGap = { category: string; buildings: number; label: string };
export type CircleBuilding = { id: string; number: string | null; compoundName: string | null; missing: string[]; reachable: Record<string, number> };
export type CircleAnswer = { minutes?: number; categories: string[]; buildings: CircleBuilding[]; gaps: CircleGap[]; computedAt?: string };

export const fetchCircle = (signal?: AbortSignal) => getJson<CircleAnswer>('/api/circle', signal);

export const circleBuildingsUrl = () => new URL('/api/circle/buildings.geojson', location.href).href;

export const fetchCompounds = (signal?: AbortSignal) =>
  getJson<GeoJSON.FeatureCollection<GeoJSON.Geometry, { id: string; name: string }>>('/api/collections/compounds/items?limit=1000', signal);
