import { badRequest } from './errors.ts';

/** lon/lat from a query string or JSON body: numbers in WGS84 range, or a 400 naming the field. */
export function pointParams(input: { lon: unknown; lat: unknown }): { lon: number; lat: number } {
  return { lon: coordinate(input.lon, 'lon', 180), lat: coordinate(input.lat, 'lat', 90) };
}

function coordinate(value: unknown, field: string, limit: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw badRequest(`${field} must be a number (WGS84 degrees), got ${JSON.stringify(value) ?? 'nothing'}`, field);
  }
  if (Math.abs(n) > limit) throw badRequest(`${field} must be between -${limit} and ${limit} (WGS84 degrees)`, field);
  return n;
}
