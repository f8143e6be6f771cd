// shpjs 6.2 ships no types: the one function we call, with the parts of a Shapefile already unzipped.
declare module 'shpjs' {
  import type { FeatureCollection } from 'geojson';
  export default function getShapefile(parts: { shp: Uint8Array; dbf?: Uint8Array; cpg?: string; prj?: string }): Promise<FeatureCollection>;
}
