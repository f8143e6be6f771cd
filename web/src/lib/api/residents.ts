import type { NewRequest } from '../../../../api/contract/wire.ts';
import { api, read, signalled, type Answer } from './client.ts';

// The calls the resident pages make (docs/api.md "Residents"): each one line over the typed client.
// A signal drops a stale call (the pin moved, the chip changed).

export type { Filed, SimilarRequest } from '../../../../api/contract/wire.ts';
export type NearbyAnswer = Answer<typeof api.nearby.$get>;
export type NearbyService = NearbyAnswer['results'][number];
export type SearchHit = Answer<typeof api.search.$get>['results'][number];
export type Located = Answer<typeof api.locate.$get>;

const degrees = (lon: number, lat: number) => ({ lon: String(lon), lat: String(lat) });

export const fetchNearby = (lon: number, lat: number, categories: string[], limit: number, signal?: AbortSignal) =>
  read(api.nearby.$get({ query: { ...degrees(lon, lat), limit: String(limit), ...(categories.length ? { category: categories.join(',') } : {}) } }, signalled(signal)));

export const searchPlaces = (q: string, limit: number, signal?: AbortSignal) =>
  read(api.search.$get({ query: { q, limit: String(limit) } }, signalled(signal)));

export const locate = (lon: number, lat: number, signal?: AbortSignal) => read(api.locate.$get({ query: degrees(lon, lat) }, signalled(signal)));

export const fetchSimilar = (lon: number, lat: number, category: NewRequest['category'], signal?: AbortSignal) =>
  read(api.requests.similar.$get({ query: { ...degrees(lon, lat), category } }, signalled(signal))).then((body) => body.similar);

export const meToo = (ticket: string, signal?: AbortSignal) => read(api.requests[':ticket']['me-too'].$post({ param: { ticket } }, signalled(signal)));

export const fileRequest = (request: NewRequest, signal?: AbortSignal) => read(api.requests.$post({ json: request }, signalled(signal)));

/** Sends the photo of a request just filed; the report token proves the sender filed it. */
export function uploadPhoto(ticket: string, token: string, photo: Blob, signal?: AbortSignal) {
  const form = new FormData();
  form.append('photo', photo, 'photo.jpg');
  return read(api.requests[':ticket'].photos.$post({ param: { ticket }, query: { token } }, { init: { ...signalled(signal).init, method: 'POST', body: form } }));
}

/** A block's centre, for pins that start from a building id (`/report?building=…`). */
export function centreOf(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): [number, number] {
  const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const points = ring.slice(0, -1);
  const sum = points.reduce((acc, [x, y]) => [acc[0] + x, acc[1] + y], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}
