import type { Feature, FeatureCollection } from 'geojson';
import { boundsOf, type Bounds } from '../ui/map/bounds.ts';

export { boundsOf, union, type Bounds } from '../ui/map/bounds.ts';

export type TourStop = { id: string; name: string; bounds: Bounds };

/**
 * The tour: every grid of the screen once, busiest first (what the secretary should see most),
 * then the whole area again. `null` stands for the overview.
 */
export function tourStops(grids: FeatureCollection, order: { id: string; load: number }[]): (TourStop | null)[] {
  const byId = new Map<string, Feature>(grids.features.map((f) => [String(f.properties?.id ?? f.id), f]));
  const stops: (TourStop | null)[] = [];
  for (const g of [...order].sort((a, b) => b.load - a.load || a.id.localeCompare(b.id))) {
    const f = byId.get(g.id);
    if (f?.geometry) stops.push({ id: g.id, name: String(f.properties?.name ?? g.id), bounds: boundsOf(f.geometry) });
  }
  stops.push(null);
  return stops;
}
