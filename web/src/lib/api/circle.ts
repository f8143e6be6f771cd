import { api, read, signalled, type Answer } from './client.ts';
import { fetchItems } from './collections.ts';

// The 15-minute circle (docs/api.md "The 15-minute circle"): the gaps list and the buildings layer.

export type CircleAnswer = Answer<typeof api.circle.$get>;
export type CircleGap = CircleAnswer['gaps'][number];
export type CircleBuilding = CircleAnswer['buildings'][number];

export const fetchCircle = (signal?: AbortSignal) => read(api.circle.$get({ query: {} }, signalled(signal)));

export const circleBuildingsUrl = () => api.circle['buildings.geojson'].$url().href;

export const fetchCompounds = (signal?: AbortSignal) => fetchItems('compounds', 1000, signal);
