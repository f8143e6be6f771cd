import type { Feature, FeatureCollection, Point } from 'geojson';
import { ApiError, getJson } from './http.ts';

// The few API calls the map makes (docs/api.md). Each takes an AbortSignal so a stale call can be dropped.

export type TileJson = {
  tiles: string[];
  bounds?: [number, number, number, number];
  center?: [number, number, number];
  minzoom?: number;
  maxzoom?: number;
};

export type TeamMember = { name: string; role: string; phone: string | null };

export type AreaDetails = {
  id: string;
  name: string;
  level: 'street' | 'community' | 'grid' | 'microgrid';
  kind: string;
  parentId: string | null;
  parentName: string | null;
  team: TeamMember[];
  openRequests: number;
  totalRequests: number;
};

export type RequestProperties = {
  id: string;
  category: string;
  description: string;
  status: string;
  channel: string;
  createdAt: string;
  updatedAt: string;
  gridId: string | null;
};
export type RequestFeature = Feature<Point, RequestProperties>;

export type PoiProperties = {
  id: string;
  category: string;
  name: string;
  address?: string | null;
  phone?: string | null;
  openingHours?: string | null;
  activities?: { name: string; schedule: string }[] | null;
};

export const tileJsonUrl = () => new URL('/api/tiles.json', location.href).href;

/** The TileJSON; while the API is still starting (503) it waits and asks again. */
export async function fetchTileJson(signal?: AbortSignal): Promise<TileJson> {
  for (;;) {
    try {
      return await getJson<TileJson>('/api/tiles.json', signal);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 503)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      signal?.throwIfAborted();
    }
  }
}

export const fetchRequests = (signal?: AbortSignal) =>
  getJson<FeatureCollection<Point, RequestProperties>>('/api/collections/requests/items?limit=10000', signal);

export const fetchArea = (id: string, signal?: AbortSignal) =>
  getJson<AreaDetails>(`/api/areas/${encodeURIComponent(id)}`, signal);

export const fetchPoi = (id: string, signal?: AbortSignal) =>
  getJson<Feature<Point, PoiProperties>>(`/api/collections/pois/items/${encodeURIComponent(id)}`, signal);
