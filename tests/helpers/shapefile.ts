import { crc32 } from 'node:zlib';

// Test fixtures of the kinds offices send: a zipped point Shapefile (.shp + .dbf + .cpg),
// written here byte by byte from the ESRI and dBase specifications, so the reader is tested
// against a file no library of ours produced.

/** A point Shapefile of these features, zipped; text columns as UTF-8 declared in a .cpg, or as the bytes given and no .cpg (`cpg: null`). */
export function pointShapefileZip(points: { lon: number; lat: number; values: Record<string, Cell> }[], options: { cpg?: string | null } = {}): Uint8Array {
  const shp = Buffer.alloc(100 + points.length * 28);
  shp.writeInt32BE(9994, 0);
  shp.writeInt32BE(shp.length / 2, 24);
  shp.writeInt32LE(1000, 28);
  shp.writeInt32LE(1, 32); // point
  const xs = points.map((p) => p.lon);
  const ys = points.map((p) => p.lat);
  [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => shp.writeDoubleLE(v, 36 + 8 * i));
  points.forEach((p, i) => {
    const at = 100 + i * 28;
    shp.writeInt32BE(i + 1, at);
    shp.writeInt32BE(10, at + 4); // 20 bytes of content, in 16-bit words
    shp.writeInt32LE(1, at + 8);
    shp.writeDoubleLE(p.lon, at + 12);
    shp.writeDoubleLE(p.lat, at + 20);
  });
  const cpg = options.cpg === undefined ? 'UTF-8' : options.cpg;
  return storedZip({ 'places.shp': shp, 'places.dbf': dbfOf(points.map((p) => p.values)), ...(cpg ? { 'places.cpg': Buffer.from(cpg) } : {}) });
}

/** A cell's bytes: text as UTF-8, or bytes given as they are (a GBK fixture writes its own). */
type Cell = string | Uint8Array;

/** A dBase III table of text columns (80 bytes wide): every column any row has, blank where a row has none. */
function dbfOf(rows: Record<string, Cell>[]): Buffer {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = 80;
  const dbf = Buffer.alloc(32 + 32 * columns.length + 1 + rows.length * (1 + width * columns.length) + 1, 0);
  dbf.writeUInt8(3, 0);
  dbf.writeUInt32LE(rows.length, 4);
  dbf.writeUInt16LE(32 + 32 * columns.length + 1, 8);
  dbf.writeUInt16LE(1 + width * columns.length, 10);
  columns.forEach((c, i) => {
    dbf.write(c.slice(0, 10), 32 + 32 * i, 'latin1');
    dbf.write('C', 32 + 32 * i + 11, 'latin1');
    dbf.writeUInt8(width, 32 + 32 * i + 16);
  });
  let at = 32 + 32 * columns.length;
  dbf.writeUInt8(0x0d, at++);
  for (const row of rows) {
    dbf.write(' ', at++, 'latin1');
    for (const c of columns) {
      const cell = Buffer.alloc(width, ' ');
      const value = row[c] ?? '';
      Buffer.from(typeof value === 'string' ? Buffer.from(value, 'utf8') : value).copy(cell, 0, 0, width);
      cell.copy(dbf, at);
      at += width;
    }
  }
  dbf.writeUInt8(0x1a, at);
  return dbf;
}

/** The .prj ArcGIS and QGIS write for longitude/latitude on WGS84 (EPSG:4326). */
export const wgs84Prj = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/**
 * A polygon Shapefile (.shp + .shx + .dbf, a .prj and a .cpg when given), zipped: one ring a
 * feature, written clockwise as ESRI's outer rings are. Without `cpg` the .dbf says nothing of its
 * encoding — as files from Chinese GIS tools come.
 */
export function polygonShapefileZip(polygons: { ring: number[][]; values: Record<string, Cell> }[], options: { prj?: string; cpg?: string } = {}): Uint8Array {
  const rings = polygons.map(({ ring }) => (clockwise(ring) ? ring : [...ring].reverse()));
  const sizes = rings.map((r) => 44 + 4 + 16 * r.length); // bytes of each record's content
  const shp = Buffer.alloc(100 + sizes.reduce((a, b) => a + 8 + b, 0));
  const shx = Buffer.alloc(100 + 8 * rings.length);
  const all = rings.flat();
  for (const [file, length] of [[shp, shp.length], [shx, shx.length]] as const) {
    file.writeInt32BE(9994, 0);
    file.writeInt32BE(length / 2, 24);
    file.writeInt32LE(1000, 28);
    file.writeInt32LE(5, 32); // polygon
    [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))]
      .forEach((v, i) => file.writeDoubleLE(v, 36 + 8 * i));
  }
  let at = 100;
  rings.forEach((ring, i) => {
    shx.writeInt32BE(at / 2, 100 + 8 * i);
    shx.writeInt32BE(sizes[i] / 2, 104 + 8 * i);
    shp.writeInt32BE(i + 1, at);
    shp.writeInt32BE(sizes[i] / 2, at + 4);
    const c = at + 8;
    shp.writeInt32LE(5, c);
    [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))]
      .forEach((v, k) => shp.writeDoubleLE(v, c + 4 + 8 * k));
    shp.writeInt32LE(1, c + 36); // parts
    shp.writeInt32LE(ring.length, c + 40);
    shp.writeInt32LE(0, c + 44);
    ring.forEach(([x, y], k) => { shp.writeDoubleLE(x, c + 48 + 16 * k); shp.writeDoubleLE(y, c + 56 + 16 * k); });
    at += 8 + sizes[i];
  });
  const files: Record<string, Buffer> = { 'areas.shp': shp, 'areas.shx': shx, 'areas.dbf': dbfOf(polygons.map((p) => p.values)) };
  if (options.prj) files['areas.prj'] = Buffer.from(options.prj);
  if (options.cpg) files['areas.cpg'] = Buffer.from(options.cpg);
  return storedZip(files);
}

/** Shoelace: a ring whose signed area is negative turns clockwise. */
const clockwise = (ring: number[][]) => ring.slice(1).reduce((sum, [x, y], i) => sum + (x - ring[i][0]) * (y + ring[i][1]), 0) > 0;

/** A zip archive with its files stored (not compressed). */
export function storedZip(files: Record<string, Buffer>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += 30 + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
