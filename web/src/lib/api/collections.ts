import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import type {
  AreaProperties, BuildingProperties, CompoundProperties, PoiProperties, RequestProperties,
} from '../../../../api/contract/wire.ts';
import type { AreaLevel } from '../../../../api/contract/vocabulary.ts';
import { api, read, signalled } from './client.ts';

// The OGC API – Features collections the pages read (docs/api.md). Their answers are GeoJSON
// (`application/geo+json`, which the typed client does not parse for us), so the feature types are
// the API's own wire schemas for each collection's properties.

type Collections = {
  grids: AreaProperties; communities: AreaProperties; streets: AreaProperties; districts: AreaProperties; microgrids: AreaProperties;
  compounds: CompoundProperties; buildings: BuildingProperties; pois: PoiProperties; requests: RequestProperties;
};
type Shape<C extends keyof Collections> = C extends 'requests' | 'pois' ? Point : C extends 'buildings' ? Polygon | MultiPolygon : Geometry;
export type CollectionFeature<C extends keyof Collections> = Feature<Shape<C>, Collections[C]>;

/** One page of a collection (at most `limit` features, the API's own cap is 10,000). */
export const fetchItems = <C extends keyof Collections>(collection: C, limit: number, signal?: AbortSignal) =>
  read(api.collections[':id'].items.$get({ param: { id: collection }, query: { limit: String(limit) } }, signalled(signal))) as unknown as Promise<
    FeatureCollection<Shape<C>, Collections[C]>>;

/** One feature of a collection by its id. */
export const fetchItem = <C extends keyof Collections>(collection: C, id: string, signal?: AbortSignal) =>
  read(api.collections[':id'].items[':featureId'].$get({ param: { id: collection, featureId: id } }, signalled(signal))) as unknown as Promise<CollectionFeature<C>>;

/** The area panel: an area with its public team and request counts. */
export const fetchArea = (id: string, signal?: AbortSignal) => read(api.areas[':id'].$get({ param: { id } }, signalled(signal)));

/** The collection holding the areas of a level. */
export const areaCollection = {
  district: 'districts', street: 'streets', community: 'communities', grid: 'grids', microgrid: 'microgrids',
} as const satisfies Record<AreaLevel, keyof Collections>;
/**
 * Every feature of a collection inside a box, page after page (the API serves at most 10,000 a
 * page): the wall's grids of a street or a county, with none dropped.
 */
export async function fetchAllIn<C extends keyof Collections>(collection: C, bbox: number[], signal?: AbortSignal) {
  const features: CollectionFeature<C>[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await read(api.collections[':id'].items.$get({
      param: { id: collection }, query: { limit: String(pageSize), offset: String(offset), bbox: bbox.join(',') },
    }, signalled(signal))) as unknown as FeatureCollection<Shape<C>, Collections[C]> & { numberMatched: number };
    features.push(...page.features);
    if (page.features.length === 0 || features.length >= page.numberMatched) break;
  }
  return { type: 'FeatureCollection' as const, features };
}
const pageSize = 10_000; // the API's own cap per page
