import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import { exportFormats, isPlaceLayer, LayerImportForm, placeLayers, type ExportFormat } from '../contract/layers.ts';
import { importLayerFile, parseMapping, previewLayerFile, type LayerImportOptions } from '../import/layers.ts';
import { exportLayer } from '../import/layer-export.ts';
import { administrator } from '../admin/scope.ts';
import type { StaffUser } from '../contract/wire.ts';
import { uploaded } from '../admin/upload.ts';
import { ApiError } from '../errors.ts';
import { inputError } from '../validate.ts';

const noStore = { 'cache-control': 'no-store' };
const contentType: Record<ExportFormat, string> = {
  geojson: 'application/geo+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Places are the whole street's: only its administrator imports them. */
function importer(user: StaffUser): StaffUser {
  if (user.role !== 'street_admin') throw new ApiError('not_admin', 'only the street administrator imports place layers');
  return user;
}

/** The multipart body of an import: the file, and layer, crs, mapping (JSON object or field=column,…), parent beside it. */
async function importRequest(c: Parameters<typeof uploaded>[0], actor: string): Promise<{ bytes: Uint8Array; options: LayerImportOptions }> {
  const file = await uploaded(c);
  const fields = Object.fromEntries([...file.form.entries()].filter(([k, v]) => k !== 'file' && typeof v === 'string' && v !== ''));
  const parsed = LayerImportForm.safeParse(fields);
  if (!parsed.success) throw inputError(parsed.error, fields);
  const { layer, crs, mapping, parent } = parsed.data;
  let columns: Record<string, string>;
  if (mapping?.trim().startsWith('{')) {
    try {
      columns = parseMapping(layer, Object.entries(JSON.parse(mapping) as Record<string, unknown>).filter(([, v]) => typeof v === 'string' && v).map(([k, v]) => `${k}=${v}`).join(','));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('invalid_value', 'mapping must be a JSON object of field: column, or field=column,…', { field: 'mapping' });
    }
  } else columns = parseMapping(layer, mapping);
  return { bytes: new Uint8Array(file.bytes), options: { layer, crs, mapping: columns, parent, actor, fileName: file.name } };
}

/**
 * /api/admin/import and /export: the place layers (compounds, gates, buildings, entrances, service
 * points, roads) from GeoJSON, Shapefile, KML, CSV and .xlsx, and out as GeoJSON, .xlsx, .csv
 * (api/import/). Importing is the street administrator's; exporting any administrator's.
 */
export const layerRoutes = (database: Database) => new Hono()
  .post('/import/preview', async (c) => {
    const user = importer(administrator(await currentUser(c, database)));
    const { bytes, options } = await importRequest(c, user.username);
    return c.json({ preview: await previewLayerFile(database, bytes, options) }, 200, noStore);
  })
  .post('/import', async (c) => {
    const user = importer(administrator(await currentUser(c, database)));
    const { bytes, options } = await importRequest(c, user.username);
    const report = await importLayerFile(database, bytes, options);
    if (!report.ok) {
      const errors = report.problems.filter((p) => p.severity === 'error');
      throw new ApiError('import_problems', `${errors.length} problem(s) in the file; nothing was imported`, { problems: report.problems, report });
    }
    return c.json({ report }, 201, noStore);
  })
  .get('/export/:file', async (c) => {
    administrator(await currentUser(c, database));
    const [layer, format] = c.req.param('file').split('.') as [string, ExportFormat];
    if (!isPlaceLayer(layer)) throw new ApiError('unknown_layer', `no layer "${layer.slice(0, 40)}": export one of ${placeLayers.join(', ')}`, { allowed: [...placeLayers] });
    if (!exportFormats.includes(format)) throw new ApiError('unsupported_format', `export writes ${exportFormats.join(', ')}`, { allowed: [...exportFormats] });
    const bytes = await exportLayer(database, layer, format);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': contentType[format], 'content-disposition': `attachment; filename="${layer}.${format}"`, ...noStore });
  });
