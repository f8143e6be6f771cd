import type { Feature, Geometry } from 'geojson';
import type { RawRecord } from './index.ts';
import { decodeText } from './text.ts';

/** A FeatureCollection, a single Feature, or a bare geometry: each feature's properties and geometry. */
export async function readGeoJson(bytes: Uint8Array): Promise<RawRecord[]> {
  const value = JSON.parse(decodeText(bytes)) as { type?: string; features?: unknown };
  return fromGeoJson(value);
}

export function fromGeoJson(value: { type?: string; features?: unknown }): RawRecord[] {
  const features: unknown[] = value?.type === 'FeatureCollection' && Array.isArray(value.features) ? value.features
    : value?.type === 'Feature' ? [value]
      : typeof value?.type === 'string' && 'coordinates' in value ? [{ type: 'Feature', properties: {}, geometry: value }]
        : (() => { throw new Error('expected a GeoJSON FeatureCollection'); })();
  return features.map((f, i) => {
    const feature = (f ?? {}) as Partial<Feature>;
    const values: Record<string, unknown> = { ...(feature.properties ?? {}) };
    // a feature's own "id" member counts when its properties name none
    if (values.id === undefined && (typeof feature.id === 'string' || typeof feature.id === 'number')) values.id = feature.id;
    return { n: i + 1, values, geometry: (feature.geometry ?? null) as Geometry | null };
  });
}
