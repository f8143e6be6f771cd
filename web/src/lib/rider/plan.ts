import type { LonLat, RiderBuilding, RiderGuide } from '../api/rider.ts';

/**
 * A compound drawn to scale on a phone: lon/lat → screen pixels with a local equirectangular
 * projection (a compound is a few hundred metres across; the error is far below a pixel).
 */
export type Projection = { toPx: (p: LonLat) => [number, number]; width: number; height: number; metresPerPx: number };

const METRES_PER_DEGREE_LAT = 110_574;

export function fitProjection(bounds: [number, number, number, number], widthPx: number, heightPx: number, marginPx = 28): Projection {
  const [minLon, minLat, maxLon, maxLat] = bounds;
  const lat0 = (minLat + maxLat) / 2;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const widthM = Math.max((maxLon - minLon) * kx, 1);
  const heightM = Math.max((maxLat - minLat) * METRES_PER_DEGREE_LAT, 1);
  const scale = Math.min((widthPx - 2 * marginPx) / widthM, (heightPx - 2 * marginPx) / heightM); // px per metre
  const offsetX = (widthPx - widthM * scale) / 2;
  const offsetY = (heightPx - heightM * scale) / 2;
  return {
    toPx: ([lon, lat]) => [offsetX + (lon - minLon) * kx * scale, offsetY + (maxLat - lat) * METRES_PER_DEGREE_LAT * scale],
    width: widthPx,
    height: heightPx,
    metresPerPx: 1 / scale,
  };
}

/** SVG path data for a polygon or multipolygon (all rings: holes draw with evenodd). */
export function polygonPath(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon, projection: Projection): string {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flatMap((rings) => rings.map((ring) => lineData(ring as LonLat[], projection) + 'Z')).join('');
}

export function lineData(points: LonLat[], projection: Projection): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${projection.toPx(p).map((v) => v.toFixed(1)).join(',')}`).join('');
}

/** The centre of a building's outer ring (where its number is written). */
export function footprintCentre(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): LonLat {
  const ring = (geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0]).slice(0, -1);
  const [x, y] = ring.reduce((acc, [lon, lat]) => [acc[0] + lon, acc[1] + lat], [0, 0]);
  return [x / ring.length, y / ring.length];
}

/** The box around everything the guide draws: buildings, gates, lanes and services close by. */
export function guideBounds(guide: RiderGuide, nearMetres = 120): [number, number, number, number] {
  let [minLon, minLat, maxLon, maxLat] = guide.bounds;
  const cx = (minLon + maxLon) / 2;
  const cy = (minLat + maxLat) / 2;
  const include = ([lon, lat]: LonLat) => {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  };
  for (const gate of guide.gates) include([gate.lon, gate.lat]);
  for (const service of guide.services) if (metres([cx, cy], [service.lon, service.lat]) <= nearMetres) include([service.lon, service.lat]);
  return [minLon, minLat, maxLon, maxLat];
}

export function metres(a: LonLat, b: LonLat): number {
  const kx = 111_320 * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * METRES_PER_DEGREE_LAT);
}

/** The building whose number is "3号楼" (or "3"), matched on the digits. */
export function buildingByNumber(buildings: RiderBuilding[], digits: string): RiderBuilding | null {
  return buildings.find((b) => (b.number ?? '').replace(/\D+/g, '') === digits) ?? null;
}

/**
 * The box to show while a building is found: its footprint and the path from the gate, with
 * room around them and never closer than `minMetres` across, so the numbers stay legible.
 */
export function focusBounds(points: LonLat[], marginMetres = 18, minMetres = 90): [number, number, number, number] {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const lat0 = (minLat + maxLat) / 2;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const padLon = (m: number) => m / kx;
  const padLat = (m: number) => m / METRES_PER_DEGREE_LAT;
  const growLon = Math.max(marginMetres, (minMetres - (maxLon - minLon) * kx) / 2);
  const growLat = Math.max(marginMetres, (minMetres - (maxLat - minLat) * METRES_PER_DEGREE_LAT) / 2);
  return [minLon - padLon(growLon), minLat - padLat(growLat), maxLon + padLon(growLon), maxLat + padLat(growLat)];
}
