import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { getCookie } from 'hono/cookie';
import { currentUser, sessionCookie } from '../auth/session.ts';
import { exportFormats, isPlaceLayer, AreaImportForm, LayerImportForm, placeLayers, type ExportFormat } from '../contract/layers.ts';
import { importLayerFile, parseMapping, previewLayerFile, type LayerImportOptions } from '../import/layers.ts';
import { exportLayer } from '../import/layer-export.ts';
import { importJobOf, liveImportJob, startLayerImport } from '../import/jobs.ts';
import { importAreas, parseAreaMap } from '../import/areas.ts';
import { formatOf, readFeatureCollection } from '../import/formats/index.ts';
import { decodeText } from '../import/formats/text.ts';
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

/** The street administrator imports anywhere; a community secretary inside their community only (`scope`). */
function importer(user: StaffUser): { user: StaffUser; scope?: string } {
  if (user.role === 'street_admin') return { user };
  if (user.role === 'secretary' && user.areaId) return { user, scope: user.areaId };
  throw new ApiError('not_admin', 'only the street administrator and community secretaries import place layers');
}

/** An uploaded boundary file as GeoJSON: parsed as it is (the area import checks it path by path), or read from a Shapefile or KML. */
async function featuresOf(bytes: Uint8Array, fileName: string): Promise<unknown> {
  if (formatOf(fileName) !== 'geojson') return readFeatureCollection(bytes, fileName);
  try {
    return JSON.parse(decodeText(bytes));
  } catch (error) {
    throw new ApiError('import_unreadable', `this is not a readable GeoJSON file: ${(error as Error).message}`.slice(0, 300), { file: 'geojson' }, { cause: error });
  }
}

/** The multipart body of an import: the file, and layer, crs, mapping (JSON object or field=column,…), parent beside it. */
async function importRequest(c: Parameters<typeof uploaded>[0], { user, scope }: ReturnType<typeof importer>): Promise<{ bytes: Uint8Array; options: LayerImportOptions }> {
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
  return { bytes: new Uint8Array(file.bytes), options: { layer, crs, mapping: columns, parent, actor: user.username, fileName: file.name, scope } };
}

/**
 * /api/admin/import and /export: the place layers (compounds, gates, buildings, entrances, service
 * points, roads) from GeoJSON, Shapefile, KML, CSV and .xlsx, and out as GeoJSON, .xlsx, .csv
 * (api/import/). Importing is the street administrator's; exporting any administrator's.
 */
export const layerRoutes = (database: Database) => new Hono()
  .post('/import/preview', async (c) => {
    const { bytes, options } = await importRequest(c, importer(administrator(await currentUser(c, database))));
    return c.json({ preview: await previewLayerFile(database, bytes, options) }, 200, noStore);
  })
  .post('/import', async (c) => {
    const { bytes, options } = await importRequest(c, importer(administrator(await currentUser(c, database))));
    const report = await importLayerFile(database, bytes, options);
    if (!report.ok) {
      const errors = report.problems.filter((p) => p.severity === 'error');
      throw new ApiError('import_problems', `${errors.length} problem(s) in the file; nothing was imported`, { problems: report.problems, report });
    }
    return c.json({ report }, 201, noStore);
  })
  // the same import as a job with a progress bar (api/import/jobs.ts): 202 at once, then poll
  .post('/import/jobs', async (c) => {
    const { bytes, options } = await importRequest(c, importer(administrator(await currentUser(c, database))));
    return c.json({ job: await startLayerImport(database, bytes, options, getCookie(c, sessionCookie)) }, 202, noStore);
  })
  .get('/import/jobs/:id', async (c) => {
    const here = liveImportJob(c.req.param('id'), getCookie(c, sessionCookie)); // no query while the import holds PGlite
    if (here) return c.json({ job: here }, 200, noStore);
    const user = administrator(await currentUser(c, database));
    return c.json({ job: await importJobOf(database, c.req.param('id'), user.username) }, 200, noStore);
  })
  // area boundaries (api/import/areas.ts): a secretary's grids and micro-grids below their community only
  .post('/import/areas', async (c) => {
    const { scope } = importer(administrator(await currentUser(c, database)));
    const file = await uploaded(c);
    const fields = Object.fromEntries([...file.form.entries()].filter(([k, v]) => k !== 'file' && typeof v === 'string' && v !== ''));
    const parsed = AreaImportForm.safeParse(fields);
    if (!parsed.success) throw inputError(parsed.error, fields);
    let map: ReturnType<typeof parseAreaMap>;
    try {
      map = parseAreaMap(parsed.data.map ?? '');
    } catch (error) {
      throw new ApiError('invalid_value', (error as Error).message, { field: 'map' });
    }
    const report = await importAreas(database, await featuresOf(new Uint8Array(file.bytes), file.name), {
      crs: parsed.data.crs, dryRun: parsed.data.dryRun === 'true', repair: parsed.data.repair === 'true', scope,
      map, level: parsed.data.level, parentId: parsed.data.parentId,
    });
    if (!report.ok) throw new ApiError('import_problems', `${report.errors.length} problem(s) in the file; nothing was imported`, { problems: report.errors, report });
    return c.json({ report }, report.dryRun ? 200 : 201, noStore);
  })
  .get('/export/:file', async (c) => {
    administrator(await currentUser(c, database));
    const [layer, format] = c.req.param('file').split('.') as [string, ExportFormat];
    if (!isPlaceLayer(layer)) throw new ApiError('unknown_layer', `no layer "${layer.slice(0, 40)}": export one of ${placeLayers.join(', ')}`, { allowed: [...placeLayers] });
    if (!exportFormats.includes(format)) throw new ApiError('unsupported_format', `export writes ${exportFormats.join(', ')}`, { allowed: [...exportFormats] });
    const bytes = await exportLayer(database, layer, format);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': contentType[format], 'content-disposition': `attachment; filename="${layer}.${format}"`, ...noStore });
  });
