import { parseZip } from 'shpjs';
import type { RawRecord } from './index.ts';
import { fromGeoJson } from './geojson.ts';

/**
 * A zipped Shapefile (.shp, .dbf, and .prj/.cpg when present). With a .prj the coordinates are
 * reprojected to longitude/latitude by shpjs (proj4); GCJ-02/BD-09 have no .prj, hence --crs.
 */
export async function readShapefileZip(bytes: Uint8Array): Promise<RawRecord[]> {
  // shpjs's unzip (but-unzip 0.1) searches for the end of the zip's directory without end: a file
  // that has none would spin forever, so it must be found here first
  if (!hasZipDirectory(bytes)) throw new Error('not a zip archive (no central directory): zip the .shp, .dbf, .prj and .cpg files together');
  const parsed = await parseZip(bytes);
  if (Array.isArray(parsed)) throw new Error(`the zip holds ${parsed.length} layers (${parsed.map((p) => p.fileName).join(', ')}): zip one per file`);
  return fromGeoJson(parsed);
}

/** Whether the zip's end-of-central-directory record is there (within the last 64 KB + 22 bytes) and points inside the file. */
function hasZipDirectory(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const size = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    return offset + size <= at;
  }
  return false;
}
