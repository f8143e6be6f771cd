import { inflateRawSync } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import shp from 'shpjs';
import { rewind } from '@turf/turf';
import type { RawRecord } from './index.ts';
import { fromGeoJson } from './geojson.ts';

/**
 * A zipped Shapefile (.shp, .dbf, and .prj/.cpg when present). With a .prj the coordinates are
 * reprojected to longitude/latitude by shpjs (proj4); GCJ-02/BD-09 have no .prj, hence --crs.
 * The .dbf's text encoding is its .cpg's; without one (typical of Chinese GIS tools, which write
 * GBK) it is UTF-8 when its bytes are valid UTF-8, else GB18030 (a superset of GBK).
 */
export async function readShapefileZip(bytes: Uint8Array): Promise<RawRecord[]> {
  const files = unzip(bytes);
  const layers = [...files.keys()].filter((name) => /\.shp$/i.test(name) && !name.includes('__MACOSX'));
  if (layers.length === 0) throw new Error('the zip holds no .shp file');
  if (layers.length > 1) throw new Error(`the zip holds ${layers.length} layers (${layers.join(', ')}): zip one per file`);
  const base = layers[0].slice(0, -4);
  const part = (ext: string) => files.get(`${base}.${ext}`) ?? files.get(`${base}.${ext.toUpperCase()}`);
  const dbf = part('dbf');
  const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b).trim() : undefined);
  const cpg = text(part('cpg')) || (dbf && !dbfIsUtf8(dbf) ? 'gb18030' : undefined);
  // ESRI draws outer rings clockwise; GeoJSON (RFC 7946) the other way round
  return fromGeoJson(rewind(await shp({ shp: part('shp')!, dbf, cpg, prj: text(part('prj')) }), { mutate: true }));
}

/** Whether the .dbf's text (field names, then the records) is valid UTF-8; its header's numbers are not text. */
function dbfIsUtf8(dbf: Uint8Array): boolean {
  const headerLength = dbf.length >= 12 ? dbf[8] | (dbf[9] << 8) : 0;
  for (let at = 32; at + 32 <= headerLength && dbf[at] !== 0x0d; at += 32) {
    if (!isUtf8(dbf.subarray(at, at + 11))) return false;
  }
  return isUtf8(dbf.subarray(headerLength));
}

/**
 * The files of a zip archive by name (stored or deflated: what Windows, QGIS and ArcGIS write),
 * read from its central directory. shpjs reads zips too, but gives no way to choose the encoding
 * of a .dbf that has no .cpg.
 */
function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) { end = at; break; }
  }
  if (end < 0) throw new Error('not a zip archive (no central directory): zip the .shp, .dbf, .prj and .cpg files together');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  const utf8 = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw new Error('the zip archive is damaged (its directory does not read)');
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = utf8.decode(bytes.subarray(at + 46, at + 46 + nameLength)).replace(/^.*\//, '');
    at += 46 + skip;
    if (!/\.(shp|dbf|prj|cpg)$/i.test(name)) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new Error(`the zip archive is damaged (${name} is not where its directory says)`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    if (method === 0) files.set(name, data);
    else if (method === 8) files.set(name, new Uint8Array(inflateRawSync(data)));
    else throw new Error(`${name} is compressed in a way this import does not read (method ${method}): zip it again with the usual "deflate"`);
  }
  return files;
}
