import { ApiError } from '../errors.ts';

/** A box in CRS84 degrees: [minLon, minLat, maxLon, maxLat]. */
export type Bbox = [number, number, number, number];

/** `bbox=minLon,minLat,maxLon,maxLat` in CRS84 (OGC's form), checked once at the boundary. */
export function bboxParam(value: string | undefined): Bbox | null {
  if (value === undefined || value === '') return null;
  const parts = value.split(',').map(Number);
  const [w, s, e, n] = parts;
  if (parts.length !== 4 || parts.some((x) => !Number.isFinite(x))) {
    throw new ApiError('invalid_value', 'bbox must be four numbers: minLon,minLat,maxLon,maxLat', { field: 'bbox' });
  }
  if (w < -180 || e > 180 || s < -90 || n > 90 || s > n || w > e) {
    throw new ApiError('out_of_range', 'bbox must lie within -180,-90,180,90 with min ≤ max', { field: 'bbox' });
  }
  return [w, s, e, n];
}
