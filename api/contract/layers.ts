import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import { areaLevels } from './vocabulary.ts';

// The place layers a street imports and exports (issue 8 §2–3): compounds with their gates,
// buildings with their unit entrances, service points and roads. One vocabulary for the
// command line (scripts/import.ts), the API (/api/admin/import…) and the console.

/** The coordinate systems a file may be in (api/geo/crs.ts converts them): GPS/QGIS, Amap/Tencent, Baidu. */
export const layerCrs = ['wgs84', 'gcj02', 'bd09'] as const;

export const placeLayers = ['compounds', 'gates', 'buildings', 'entrances', 'pois', 'roads'] as const;
export type PlaceLayer = (typeof placeLayers)[number];
export const isPlaceLayer = (value: unknown): value is PlaceLayer => typeof value === 'string' && (placeLayers as readonly string[]).includes(value);

/** The file kinds read on import; export writes GeoJSON, .xlsx and .csv. */
export const layerFormats = ['geojson', 'csv', 'xlsx', 'shp', 'kml'] as const;
export type LayerFormat = (typeof layerFormats)[number];
export const exportFormats = ['geojson', 'xlsx', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** How a building is used, and a road's class: the values the map draws. */
export const buildingUses = ['residential', 'public', 'school', 'medical', 'commercial'] as const;
export const roadClasses = ['primary', 'secondary', 'tertiary', 'lane', 'footway'] as const;

/** A layer's fields besides its geometry, in the order an export writes them. */
export const layerFields = {
  compounds: ['id', 'name', 'address', 'microgridId'],
  gates: ['id', 'compoundId', 'name', 'main'],
  buildings: ['id', 'compoundId', 'number', 'name', 'floors', 'units', 'use'],
  entrances: ['id', 'buildingId', 'unit', 'name'],
  pois: ['id', 'category', 'name', 'address', 'phone', 'openingHours', 'activities'],
  roads: ['id', 'name', 'class'],
} as const satisfies Record<PlaceLayer, readonly string[]>;
/** Where a feature's position comes from in a table (CSV, .xlsx): a point's two columns, or a geometry as GeoJSON or WKT. */
export const positionFields = ['lon', 'lat', 'geometry'] as const;
export type LayerField = (typeof layerFields)[PlaceLayer][number] | (typeof positionFields)[number];

/** The problems an import reports per feature; each is also an error code (api/contract/errors.ts), worded by the web. */
export const layerProblemCodes = [
  'layer_missing_field', 'layer_bad_value', 'layer_bad_geometry', 'layer_unknown_parent', 'layer_duplicate_id',
  'layer_bad_opening_hours', 'layer_swapped_coordinates', 'layer_outside_streets',
  'layer_outside_scope',
] as const satisfies readonly ErrorCode[];
export type LayerProblemCode = (typeof layerProblemCodes)[number];

/** One problem: `n` is the feature number (1 = the first feature) or the spreadsheet's row as Excel shows it. */
export const LayerProblem = z.object({
  n: z.number().int(),
  id: z.string().nullable(),
  field: z.string(),
  code: z.enum(layerProblemCodes),
  /** a warning is reported and imported all the same; an error refuses the whole file */
  severity: z.enum(['error', 'warning']),
  value: z.string(),
  message: z.string(),
});
export type LayerProblem = z.infer<typeof LayerProblem>;

export const LayerImportReport = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  layer: z.enum(placeLayers),
  format: z.enum(layerFormats),
  crs: z.enum(layerCrs),
  features: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  problems: z.array(LayerProblem),
  /** all problems found; `problems` lists the first 1,000 */
  problemsTotal: z.number().int(),
  ms: z.number(),
});
export type LayerImportReport = z.infer<typeof LayerImportReport>;

/** `--map field=column,…` as text, or the console's mapping as an object: which column feeds which field. */
export const ColumnMapping = z.record(z.string(), z.string());
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** The multipart fields sent beside `file` to POST /api/admin/import/preview and /api/admin/import. */
export const LayerImportForm = z.object({
  layer: z.enum(placeLayers, { error: `layer must be one of: ${placeLayers.join(', ')}` }),
  crs: z.enum(layerCrs, { error: `crs must be one of: ${layerCrs.join(', ')}` }).default('wgs84'),
  mapping: z.string().max(4000).optional(),
  parent: z.string().trim().max(80).optional(),
});

// import progress (issue 8 §2: a progress bar that moves during a large import)
/** What an import is doing: reading the file, checking it, writing it, reassigning requests (area imports). */
export const importPhases = ['read', 'check', 'write', 'reassign'] as const;
export type ImportPhase = (typeof importPhases)[number];
export const ImportProgress = z.object({ phase: z.enum(importPhases), done: z.number().int(), total: z.number().int() });
export type ImportProgress = z.infer<typeof ImportProgress>;

/** running; done (imported); refused (the report lists why, nothing written); failed (`error`, nothing written). */
export const importJobStates = ['running', 'done', 'refused', 'failed'] as const;
export const ImportJob = ImportProgress.extend({
  id: z.string(),
  layer: z.enum(placeLayers),
  fileName: z.string(),
  state: z.enum(importJobStates),
  report: LayerImportReport.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  updatedAt: z.string(),
});
export type ImportJob = z.infer<typeof ImportJob>;

// area boundaries through the API (issue 8 §2: a secretary's grids and micro-grids, in their community)
/** The multipart fields beside `file` (.geojson, Shapefile .zip, .kml) of POST /api/admin/import/areas. */
export const AreaImportForm = z.object({
  crs: z.enum(layerCrs, { error: `crs must be one of: ${layerCrs.join(', ')}` }).default('wgs84'),
  /** check everything and write nothing: 200 with the report */
  dryRun: z.enum(['true', 'false']).optional(),
  /** make the boundaries valid and tile their parents first (docs/import.md, --repair) */
  repair: z.enum(['true', 'false']).optional(),
  /** files without our property names (the console's 列对应, --map/--level/--parent) */
  map: z.string().max(500, { error: 'map is too long' }).optional(),
  level: z.enum(areaLevels, { error: `level must be one of: ${areaLevels.join(', ')}` }).optional(),
  parentId: z.string().max(100, { error: 'parentId is too long; use an area id such as MS-XSL' }).optional(),
});
