import { crc32 } from 'node:zlib';

// Test fixtures of the kinds offices send: a zipped point Shapefile (.shp + .dbf + .cpg),
// written here byte by byte from the ESRI and dBase specifications, so the reader is tested
// against a file no library of ours produced.

/** A point Shapefile of these features, zipped; text columns as UTF-8 (declared in the .cpg). */
export function pointShapefileZip(points: { lon: number; lat: number; values: Record<string, string> }[]): Uint8Array {
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
  const columns = Object.keys(points[0]?.values ?? {});
  const width = 80;
  const dbf = Buffer.alloc(32 + 32 * columns.length + 1 + points.length * (1 + width * columns.length) + 1, 0);
  dbf.writeUInt8(3, 0);
  dbf.writeUInt32LE(points.length, 4);
  dbf.writeUInt16LE(32 + 32 * columns.length + 1, 8);
  dbf.writeUInt16LE(1 + width * columns.length, 10);
  columns.forEach((c, i) => {
    dbf.write(c.slice(0, 10), 32 + 32 * i, 'latin1');
    dbf.write('C', 32 + 32 * i + 11, 'latin1');
    dbf.writeUInt8(width, 32 + 32 * i + 16);
  });
  let at = 32 + 32 * columns.length;
  dbf.writeUInt8(0x0d, at++);
  for (const p of points) {
    dbf.write(' ', at++, 'latin1');
    for (const c of columns) {
      const cell = Buffer.alloc(width, ' ');
      Buffer.from(p.values[c] ?? '', 'utf8').copy(cell, 0, 0, width);
      cell.copy(dbf, at);
      at += width;
    }
  }
  dbf.writeUInt8(0x1a, at);
  return storedZip({ 'places.shp': shp, 'places.dbf': dbf, 'places.cpg': Buffer.from('UTF-8') });
}

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
