import { api, read, signalled, type Answer } from './client.ts';

// The rider guide's calls (docs/api.md "Riders"): one answer with the whole compound, so the
// service worker can keep it and the guide works offline; `find` only adds the walking path.

export type LonLat = [number, number];

const guide = api.rider[':compoundId'];
export type RiderGuide = Answer<typeof guide.$get>;
export type RiderGate = RiderGuide['gates'][number];
export type RiderBuilding = RiderGuide['buildings'][number];
export type RiderEntrance = RiderBuilding['entrances'][number];
export type RiderService = RiderGuide['services'][number];
export type FoundPlace = Answer<typeof guide.find.$get>;

/** The guide's path (what the service worker keeps for offline use). */
export const riderGuideUrl = (compoundId: string) => guide.$url({ param: { compoundId } }).pathname;

export const fetchRiderGuide = (compoundId: string, signal?: AbortSignal) => read(guide.$get({ param: { compoundId } }, signalled(signal)));

export const findInCompound = (compoundId: string, q: string, signal?: AbortSignal) =>
  read(guide.find.$get({ param: { compoundId }, query: { q } }, signalled(signal)));
