import type { FeatureCollection, Geometry } from 'geojson';
import type { LayerFormat } from '../../contract/layers.ts';
import { ApiError } from '../../errors.ts';
import { readCsv } from './csv.ts';
import { readGeoJson } from './geojson.ts';
import { readKml } from './kml.ts';
import { readShapefileZip } from './shapefile.ts';
import { readXlsx } from './xlsx.ts';

/**
 * One feature or row of an uploaded file, as read: `n` says where it is (the feature's number
 * from 1, or the spreadsheet row as Excel shows it), `values` its properties or cells by column,
 * `geometry` what a geographic format carries (tables give theirs by lon/lat or geometry columns).
 */
export interface RawRecord {
  n: number;
  values: Record<string, unknown>;
  geometry: Geometry | null;
}

export interface RawFile {
  format: LayerFormat;
  /** the column (property) names, in the order first seen */
  columns: string[];
  records: RawRecord[];
}

/** The format a file name says: .geojson/.json, .csv/.txt, .xlsx, .zip (a Shapefile), .kml. */
export function formatOf(fileName: string): LayerFormat {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  const format = ({ geojson: 'geojson', json: 'geojson', csv: 'csv', txt: 'csv', xlsx: 'xlsx', zip: 'shp', kml: 'kml' } as const)[ext as 'json'];
  if (!format) {
    throw new ApiError('unsupported_format', `"${fileName.slice(-60)}" is not a file kind the import reads: GeoJSON (.geojson), Shapefile (.zip), KML, CSV or .xlsx`,
      { allowed: ['.geojson', '.zip', '.kml', '.csv', '.xlsx'] });
  }
  return format;
}

/** Reads any of the five kinds into records; a file that is not what its name says is `import_unreadable`. */
export async function readLayerFile(bytes: Uint8Array, fileName: string): Promise<RawFile> {
  const format = formatOf(fileName);
  const read = { geojson: readGeoJson, csv: readCsv, xlsx: readXlsx, shp: readShapefileZip, kml: readKml }[format];
  let records: RawRecord[];
  try {
    records = await read(bytes);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('import_unreadable', `this is not a readable ${format} file: ${(error as Error).message}`.slice(0, 300), { file: format }, { cause: error });
  }
  const columns = new Set<string>();
  for (const r of records) for (const key of Object.keys(r.values)) columns.add(key);
  return { format, columns: [...columns], records };
}

/** A Shapefile (.zip) or KML as a GeoJSON FeatureCollection: what the area import (api/import/areas.ts) reads. */
export async function readFeatureCollection(bytes: Uint8Array, fileName: string): Promise<FeatureCollection> {
  const file = await readLayerFile(bytes, fileName);
  return {
    type: 'FeatureCollection',
    features: file.records.map((r) => ({ type: 'Feature', properties: r.values, geometry: r.geometry as Geometry })),
  };
}
