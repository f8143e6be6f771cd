import type { ExpressionSpecification } from 'maplibre-gl';
import { api, read, signalled, type Answer } from '../api/client.ts';
import { fetchItems } from '../api/collections.ts';

// The 15-minute circle (docs/api.md "The 15-minute circle"): the gaps list and the buildings layer.

export type CircleAnswer = Answer<typeof api.circle.$get>;
export type CircleGap = CircleAnswer['gaps'][number];
export type CircleBuilding = CircleAnswer['buildings'][number];

export const fetchCircle = (signal?: AbortSignal) => read(api.circle.$get({ query: {} }, signalled(signal)));

export const circleBuildingsUrl = () => api.circle['buildings.geojson'].$url().href;

export const fetchCompounds = (signal?: AbortSignal) => fetchItems('compounds', 1000, signal);

/** Shades for "how many categories are missing": white-green when none, to deep red at 4 and more. */
export const missingShades = ['#e7f5e1', '#fde2b0', '#f9a65a', '#e4572e', '#a3141b'] as const;

export const missingColour: ExpressionSpecification = [
  'step', ['coalesce', ['get', 'missingCount'], 0],
  missingShades[0], 1, missingShades[1], 2, missingShades[2], 3, missingShades[3], 4, missingShades[4],
];
