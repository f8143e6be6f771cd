import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Database } from '../db/client.ts';
import { layerFields, type ExportFormat, type PlaceLayer } from '../contract/layers.ts';
import { fieldColumn, layerSpecs } from './layers.ts';

// Every place layer out as GeoJSON, .xlsx or .csv (WGS84): edited in Excel or QGIS and imported
// again (api/import/layers.ts), a file that nobody edited changes nothing. Columns carry the
// field names the import recognises; points as lon/lat, other shapes as a GeoJSON geometry column.

/** The layer's rows as features, ordered by id; coordinates at full precision, so a re-import compares equal. */
export async function layerFeatures(database: Database, layer: PlaceLayer): Promise<FeatureCollection> {
  const fields = layerFields[layer];
  const select = sql.join(fields.map((f) => sql`${sql.identifier(fieldColumn(f))} AS ${sql.identifier(f)}`), sql`, `);
  const rows = await database.rows<Record<string, unknown> & { g: string }>(sql`
    SELECT ${select}, ST_AsGeoJSON(geom, 15) AS g FROM ${sql.identifier(layer)} ORDER BY id`);
  return {
    type: 'FeatureCollection',
    features: rows.map(({ g, ...properties }): Feature => ({ type: 'Feature', id: properties.id as string, properties, geometry: JSON.parse(g) as Geometry })),
  };
}

/** The table an export writes to .xlsx/.csv: the fields, then lon/lat (points) or geometry. */
export function layerTable(layer: PlaceLayer, collection: FeatureCollection): { columns: string[]; rows: unknown[][] } {
  const point = layerSpecs[layer].geometry === 'Point';
  const fields = layerFields[layer] as readonly string[];
  const columns = [...fields, ...(point ? ['lon', 'lat'] : ['geometry'])];
  const rows = collection.features.map((f) => {
    const p = f.properties ?? {};
    const cells: unknown[] = fields.map((field) => (field === 'activities' ? JSON.stringify(p[field] ?? []) : p[field] ?? null));
    if (f.geometry.type === 'Point') cells.push(f.geometry.coordinates[0], f.geometry.coordinates[1]);
    else cells.push(JSON.stringify(f.geometry));
    return cells;
  });
  return { columns, rows };
}

export async function exportLayer(database: Database, layer: PlaceLayer, format: ExportFormat): Promise<Uint8Array> {
  const collection = await layerFeatures(database, layer);
  if (format === 'geojson') return new TextEncoder().encode(JSON.stringify(collection));
  const { columns, rows } = layerTable(layer, collection);
  if (format === 'csv') {
    const cell = (v: unknown) => {
      const text = v === null || v === undefined ? '' : String(v);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    };
    // the BOM makes Excel read the file as UTF-8 (Chinese names), not the system's code page
    return new TextEncoder().encode(`\uFEFF${[columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`);
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(layer);
  sheet.addRow(columns).font = { bold: true };
  for (const r of rows) sheet.addRow(r.map((v) => (v === null ? undefined : v)));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
