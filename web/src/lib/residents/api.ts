import type { PoiProperties, TeamMember } from '../api/client.ts';
import { getJson, postJson, requestJson } from '../api/http.ts';

// The calls the resident pages make (docs/api-residents.md, docs/api-loop.md "Residents (public)").
// Each takes an AbortSignal so a stale call (the pin moved, the chip changed) can be dropped.

export type Ref = { id: string; name: string } | null;


/** A point of interest (the same fields as the map's POI popup) with how far it is on foot. */
export type NearbyService = PoiProperties & {
  lon: number;
  lat: number;
  walkMeters: number;
  straightMeters: number;
  walkMinutes: number;
  openNow?: boolean | null;
  opensAt?: string | null;
  closesAt?: string | null;
  status?: string | null;
};

export type NearbyAnswer = { origin: { lon: number; lat: number; snappedMeters?: number }; results: NearbyService[] };

export type SearchHit = {
  type: 'compound' | 'building' | 'entrance' | 'road' | 'poi' | 'area';
  id: string;
  name: string;
  label: string;
  lon: number;
  lat: number;
  compoundId?: string | null;
};

export type Located = {
  street: Ref;
  community: Ref;
  grid: Ref;
  microgrid: Ref;
  building: Ref;
  team: (TeamMember & { areaId?: string })[];
};

export type SimilarRequest = { ticket: string; description: string; meToo: number; distanceMeters: number; category?: string };

export type Filed = {
  id: string;
  ticket: string;
  status: string;
  createdAt: string;
  grid: Ref;
  community: Ref;
  reportToken?: string;
  similar?: SimilarRequest[];
};

export type NewRequest = {
  category: string;
  description: string;
  lon: number;
  lat: number;
  contact?: string;
  channel?: 'qr' | 'rider';
};

const query = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();

export const fetchNearby = (lon: number, lat: number, categories: string[], limit: number, signal?: AbortSignal) =>
  getJson<NearbyAnswer>(`/api/nearby?${query({ lon, lat, category: categories.join(','), limit })}`, signal);

export const searchPlaces = (q: string, limit: number, signal?: AbortSignal) =>
  getJson<{ results: SearchHit[] }>(`/api/search?${query({ q, limit })}`, signal);

export const locate = (lon: number, lat: number, signal?: AbortSignal) =>
  getJson<Located>(`/api/locate?${query({ lon, lat })}`, signal);

export const fetchBuilding = (id: string, signal?: AbortSignal) =>
  getJson<GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { id: string; number?: string; name?: string; compoundId?: string }>>(
    `/api/collections/buildings/items/${encodeURIComponent(id)}`, signal);

export const fetchSimilar = (lon: number, lat: number, category: string, signal?: AbortSignal) =>
  getJson<SimilarRequest[] | { results?: SimilarRequest[]; similar?: SimilarRequest[] }>(
    `/api/requests/similar?${query({ lon, lat, category })}`, signal,
  ).then((body) => (Array.isArray(body) ? body : body.results ?? body.similar ?? []));

export const meToo = (ticket: string, signal?: AbortSignal) =>
  postJson<{ meToo: number }>(`/api/requests/${encodeURIComponent(ticket)}/me-too`, {}, signal);

export const fileRequest = (request: NewRequest, signal?: AbortSignal) => postJson<Filed>('/api/requests', request, signal);

/** Sends the photo of a request just filed; the report token proves the sender filed it. */
export async function uploadPhoto(ticket: string, token: string, photo: Blob, signal?: AbortSignal) {
  const form = new FormData();
  form.append('photo', photo, 'photo.jpg');
  return requestJson<unknown>('POST', `/api/requests/${encodeURIComponent(ticket)}/photos?${query({ token })}`, signal, form);
}

/** A block's centre, for pins that start from a building id (`/report?building=…`). */
export function centreOf(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): [number, number] {
  const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const points = ring.slice(0, -1);
  const sum = points.reduce((acc, [x, y]) => [acc[0] + x, acc[1] + y], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}
