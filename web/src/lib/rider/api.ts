import { getJson } from '../api/http.ts';

// The rider guide's calls (docs/api-residents.md): one answer with the whole compound, so the
// service worker can keep it and the guide works offline; `find` only adds the walking path.

export type LonLat = [number, number];

export type RiderGate = { id: string; name: string; lon: number; lat: number; main?: boolean };
export type RiderEntrance = { id?: string; unit: number; name: string; lon: number; lat: number };
export type RiderBuilding = {
  id: string;
  number: string | null;
  name?: string | null;
  floors: number | null;
  units: number | null;
  use?: string | null;
  footprint: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  entrances: RiderEntrance[];
};
export type RiderService = {
  id: string;
  category: string;
  name: string;
  lon: number;
  lat: number;
  walkMeters?: number | null;
  phone?: string | null;
  openingHours?: string | null;
};
export type RiderContact = { name: string; role: string; phone: string | null };

export type RiderGuide = {
  compound: { id: string; name: string; address?: string | null; footprint?: GeoJSON.Polygon | GeoJSON.MultiPolygon | null };
  bounds: [number, number, number, number];
  gates: RiderGate[];
  buildings: RiderBuilding[];
  lanes: GeoJSON.FeatureCollection<GeoJSON.LineString | GeoJSON.MultiLineString>;
  services: RiderService[];
  gridTeam: RiderContact[];
};

export type FoundPlace = {
  building: { id: string; number: string | null } | null;
  entrance: { unit: number; name: string; lon: number; lat: number } | null;
  gate: { id?: string; name: string; lon: number; lat: number } | null;
  path: GeoJSON.LineString | null;
  meters: number | null;
};

export const riderGuideUrl = (compoundId: string) => `/api/rider/${encodeURIComponent(compoundId)}`;

export const fetchRiderGuide = (compoundId: string, signal?: AbortSignal) =>
  getJson<RiderGuide>(riderGuideUrl(compoundId), signal);

export const findInCompound = (compoundId: string, q: string, signal?: AbortSignal) =>
  getJson<FoundPlace>(`${riderGuideUrl(compoundId)}/find?q=${encodeURIComponent(q)}`, signal);
