import type { ExpressionSpecification } from 'maplibre-gl';
import { getJson } from '../api/http.ts';

// The 15-minute circle (docs/api-residents.md): the gaps list and the buildings layer.

export type CircleGap = { category: string; buildings: number; label: string };
export type CircleBuilding = { id: string; number: string | null; compoundName: string | null; missing: string[]; reachable: Record<string, number> };
export type CircleAnswer = { minutes?: number; categories: string[]; buildings: CircleBuilding[]; gaps: CircleGap[]; computedAt?: string };

export const fetchCircle = (signal?: AbortSignal) => getJson<CircleAnswer>('/api/circle', signal);

export const circleBuildingsUrl = () => new URL('/api/circle/buildings.geojson', location.href).href;

export const fetchCompounds = (signal?: AbortSignal) =>
  getJson<GeoJSON.FeatureCollection<GeoJSON.Geometry, { id: string; name: string }>>('/api/collections/compounds/items?limit=1000', signal);

/** Shades for "how many categories are missing": white-green when none, to deep red at 4 and more. */
export const missingShades = ['#e7f5e1', '#fde2b0', '#f9a65a', '#e4572e', '#a3141b'] as const;

export const missingColour: ExpressionSpecification = [
  'step', ['coalesce', ['get', 'missingCount'], 0],
  missingShades[0], 1, missingShades[1], 2, missingShades[2], 3, missingShades[3], 4, missingShades[4],
];
