import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type SQL } from 'drizzle-orm';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { dataChangedChannel, rowsOf, type Database, type Db } from '../db/client.ts';
import {
  buildingUses, layerFields, positionFields, roadClasses,
  type ColumnMapping, type ImportProgress, type LayerImportReport, type LayerProblem, type LayerProblemCode, type PlaceLayer,
} from '../contract/layers.ts';
import { enNames, zhCNNames } from '../contract/names.ts';
import { poiCategories } from '../contract/vocabulary.ts';
import { toWgs84, type InputCrs } from '../geo/crs.ts';
import { readableOpeningHours } from '../geo/opening.ts';
import { reload as reloadWalkGraph } from '../geo/walk-graph.ts';
import { ApiError } from '../errors.ts';
import { readLayerFile, type RawFile, type RawRecord } from './formats/index.ts';

// Compounds, gates, buildings, entrances, service points and roads from the files offices have
// (GeoJSON, Shapefile .zip, KML, CSV, .xlsx): read → map columns to fields → check each feature
// → convert to WGS84 → in one transaction, stage them, let PostGIS check the shapes and parents,
// compare with what is stored, write only what changed → tell running servers (tiles, walking
// network). Any error refuses the whole file; warnings (outside every street) are imported.

type Kind = 'text' | 'int' | 'bool' | 'json' | 'category' | 'use' | 'class' | 'hours';
type GeometryKind = 'Polygon' | 'Point' | 'LineString';

interface LayerSpec {
  geometry: GeometryKind;
  /** each entry: one of these fields must have a value */
  required: string[][];
  parent?: { field: string; table: 'areas' | 'compounds' | 'buildings'; level?: 'microgrid' };
  /** generated ids start so (IMP-B-…): visibly imported, never clashing with a street's own codes */
  idPrefix: string;
  /** a building or point outside every street is reported; roads run on beyond them */
  outsideStreets: boolean;
}

export const layerSpecs: Record<PlaceLayer, LayerSpec> = {
  compounds: { geometry: 'Polygon', required: [['name']], parent: { field: 'microgridId', table: 'areas', level: 'microgrid' }, idPrefix: 'IMP-C', outsideStreets: true },
  gates: { geometry: 'Point', required: [['compoundId'], ['name']], parent: { field: 'compoundId', table: 'compounds' }, idPrefix: 'IMP-GATE', outsideStreets: true },
  buildings: { geometry: 'Polygon', required: [['number', 'name']], parent: { field: 'compoundId', table: 'compounds' }, idPrefix: 'IMP-B', outsideStreets: true },
  entrances: { geometry: 'Point', required: [['buildingId'], ['unit']], parent: { field: 'buildingId', table: 'buildings' }, idPrefix: 'IMP-U', outsideStreets: true },
  pois: { geometry: 'Point', required: [['category'], ['name']], idPrefix: 'IMP-P', outsideStreets: true },
  roads: { geometry: 'LineString', required: [['class']], idPrefix: 'IMP-R', outsideStreets: false },
};

/** Each field: its column in the table, how its value is read, and the headings that name it (compared lower-case, without spaces, _ or -). */
const fieldSpecs: Record<string, { column: string; kind: Kind; headings: string[] }> = {
  id: { column: 'id', kind: 'text', headings: ['id', '编号', '编码', '代码', 'code', 'osmid', '@id'] },
  name: { column: 'name', kind: 'text', headings: ['name', '名称', '名字', '小区名称', '楼栋名称', '门名称', '服务点名称', '道路名称', '路名', 'name:zh', 'title'] },
  address: { column: 'address', kind: 'text', headings: ['address', '地址', '详细地址', 'addr:full'] },
  microgridId: { column: 'microgrid_id', kind: 'text', headings: ['microgridid', 'microgrid', '微网格', '所属微网格', '微网格编号'] },
  compoundId: { column: 'compound_id', kind: 'text', headings: ['compoundid', 'compound', '小区', '所属小区', '小区编号', '院落'] },
  buildingId: { column: 'building_id', kind: 'text', headings: ['buildingid', 'building', '楼栋', '所属楼栋', '楼栋编号'] },
  number: { column: 'number', kind: 'text', headings: ['number', '楼号', '楼栋号', '门牌号', '门牌', '栋号', 'addr:housenumber', 'housenumber'] },
  floors: { column: 'floors', kind: 'int', headings: ['floors', '层数', '楼层', '楼层数', 'building:levels', 'levels'] },
  units: { column: 'units', kind: 'int', headings: ['units', '单元数'] },
  use: { column: 'use', kind: 'use', headings: ['use', '用途', '类型', '建筑用途'] },
  unit: { column: 'unit', kind: 'int', headings: ['unit', '单元', '单元号'] },
  main: { column: 'main', kind: 'bool', headings: ['main', '主门', '是否主门', '主入口'] },
  category: { column: 'category', kind: 'category', headings: ['category', '类别', '分类', '类型', '服务类型', 'amenity'] },
  phone: { column: 'phone', kind: 'text', headings: ['phone', '电话', '联系电话', '服务电话', 'contact:phone'] },
  openingHours: { column: 'opening_hours', kind: 'hours', headings: ['openinghours', '营业时间', '开放时间', '服务时间'] },
  activities: { column: 'activities', kind: 'json', headings: ['activities', '活动', '服务活动'] },
  class: { column: 'class', kind: 'class', headings: ['class', '等级', '道路等级', '道路类型', 'highway', 'fclass'] },
  lon: { column: '', kind: 'text', headings: ['lon', 'lng', 'long', 'longitude', '经度', 'x', '东经'] },
  lat: { column: '', kind: 'text', headings: ['lat', 'latitude', '纬度', 'y', '北纬'] },
  geometry: { column: '', kind: 'text', headings: ['geometry', 'wkt', 'geom', 'thegeom', 'shape', '几何', '坐标串'] },
};

const yes = new Set(['是', '主', 'y', 'yes', 'true', '1', '√', '✓']);
const no = new Set(['否', 'n', 'no', 'false', '0', '']);
const useWords: Record<string, (typeof buildingUses)[number]> = {
  住宅: 'residential', 居民楼: 'residential', 居住: 'residential', 公共: 'public', 公建: 'public', 办公: 'public',
  学校: 'school', 教育: 'school', 医疗: 'medical', 医院: 'medical', 卫生: 'medical', 商业: 'commercial', 商铺: 'commercial',
  apartments: 'residential', house: 'residential', yes: 'residential', retail: 'commercial', hospital: 'medical',
};
const classWords: Record<string, (typeof roadClasses)[number]> = {
  主干路: 'primary', 主干道: 'primary', 次干路: 'secondary', 次干道: 'secondary', 支路: 'tertiary', 巷道: 'lane', 小巷: 'lane',
  胡同: 'lane', 步行道: 'footway', 人行道: 'footway', 小路: 'footway', 步道: 'footway',
  trunk: 'primary', residential: 'lane', service: 'lane', living_street: 'lane', unclassified: 'tertiary',
  path: 'footway', pedestrian: 'footway', steps: 'footway', cycleway: 'footway', track: 'footway',
};
const categoryWords = new Map<string, string>([
  ...poiCategories.map((c) => [c, c] as [string, string]),
  ...poiCategories.map((c) => [zhCNNames.poiCategories[c], c] as [string, string]),
  ...poiCategories.map((c) => [enNames.poiCategories[c].toLowerCase(), c] as [string, string]),
]);

/** The table column a field is stored in (compoundId → compound_id). */
export const fieldColumn = (field: string): string => fieldSpecs[field].column;

const heading = (name: string) => name.toLowerCase().replace(/[\s_\-]+/g, '');

export const fieldsOf = (layer: PlaceLayer): readonly string[] => layerFields[layer];

/** Which column of the file most likely feeds each field (by name, in Chinese or English). */
export function suggestMapping(layer: PlaceLayer, columns: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  for (const field of [...layerFields[layer], ...positionFields]) {
    const names = [heading(field), ...fieldSpecs[field].headings.map(heading)];
    for (const name of names) {
      const column = columns.find((c) => heading(c) === name && !taken.has(c));
      if (column) { mapping[field] = column; taken.add(column); break; }
    }
  }
  return mapping;
}

/** `--map number=门牌号,name=名称` → { number: '门牌号', name: '名称' }; fields checked against the layer. */
export function parseMapping(layer: PlaceLayer, text: string | undefined): ColumnMapping {
  const mapping: ColumnMapping = {};
  if (!text?.trim()) return mapping;
  const known = [...layerFields[layer], ...positionFields] as string[];
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const field = pair.slice(0, at).trim();
    const column = pair.slice(at + 1).trim();
    if (at < 1 || !column) throw new ApiError('invalid_value', `--map takes field=column pairs separated by commas, found "${pair.trim()}"`, { field: 'mapping' });
    if (!known.includes(field)) throw new ApiError('invalid_value', `${layer} has no field "${field}": map one of ${known.join(', ')}`, { field: 'mapping', allowed: known });
    mapping[field] = column;
  }
  return mapping;
}

export interface LayerImportOptions {
  layer: PlaceLayer;
  crs: InputCrs;
  /** field → column, over the suggested one */
  mapping?: ColumnMapping;
  /** the parent (micro-grid, compound, building) of every feature that names none */
  parent?: string;
  dryRun?: boolean;
  /** who imports: a username or 'cli', for the audit trail */
  actor: string;
  fileName: string;
  /** a secretary's community (an area id): every feature, and every stored one it replaces, must lie inside it */
  scope?: string;
  /** told as the import moves on, at least once per 1,000 rows (api/import/jobs.ts makes the console's progress bar of it) */
  onProgress?: (progress: ImportProgress) => void;
}

/** A feature ready to stage: its number in the file, id, fields (table columns) and WGS84 geometry. */
interface Incoming {
  n: number;
  id: string;
  values: Record<string, unknown>;
  geometry: Geometry;
}

export interface LayerPreview {
  format: RawFile['format'];
  columns: string[];
  /** the mapping found by column names, and the one used (with the caller's choices over it) */
  suggested: ColumnMapping;
  mapping: ColumnMapping;
  report: LayerImportReport;
  /** up to 5,000 of the features, WGS84, for a map: id, name, number (n) and problem code */
  features: FeatureCollection;
}

const maxProblems = 1000;
const previewFeatures = 5000;

/** The whole import of one file: all or nothing. */
export async function importLayerFile(database: Database, bytes: Uint8Array, options: LayerImportOptions): Promise<LayerImportReport> {
  options.onProgress?.({ phase: 'read', done: 0, total: 0 });
  return (await runImport(database, await readLayerFile(bytes, options.fileName), options)).report;
}

/** Dry run with the columns, mappings and features a console shows before importing. */
export async function previewLayerFile(database: Database, bytes: Uint8Array, options: Omit<LayerImportOptions, 'dryRun'>): Promise<LayerPreview> {
  const file = await readLayerFile(bytes, options.fileName);
  const { report, incoming, mapping } = await runImport(database, file, { ...options, dryRun: true });
  const flagged = new Map<number, LayerProblemCode>();
  for (const p of report.problems) if (!flagged.has(p.n) || p.severity === 'error') flagged.set(p.n, p.code);
  const features: Feature[] = incoming.slice(0, previewFeatures).map((f) => ({
    type: 'Feature', geometry: f.geometry,
    properties: { n: f.n, id: f.id, name: (f.values.name ?? f.values.number ?? null) as string | null, problem: flagged.get(f.n) ?? null },
  }));
  return { format: file.format, columns: file.columns, suggested: suggestMapping(options.layer, file.columns), mapping, report, features: { type: 'FeatureCollection', features } };
}

async function runImport(database: Database, file: RawFile, options: LayerImportOptions) {
  const started = performance.now();
  const { layer } = options;
  const spec = layerSpecs[layer];
  if (options.parent && !spec.parent) throw new ApiError('invalid_value', `${layer} have no parent: --parent is for compounds, gates, buildings and entrances`, { field: 'parent' });
  const mapping = { ...suggestMapping(layer, file.columns), ...options.mapping };
  for (const [field, column] of Object.entries(options.mapping ?? {})) {
    if (!file.columns.includes(column)) {
      throw new ApiError('invalid_value', `the mapping sends column "${column}" to ${field}, but the file has no such column (it has ${file.columns.slice(0, 30).join(', ')})`, { field: 'mapping', allowed: file.columns.slice(0, 100) });
    }
  }
  const problems: LayerProblem[] = [];
  const incoming = await readRecords(layer, file, mapping, options, problems);
  const report: LayerImportReport = {
    ok: false, dryRun: !!options.dryRun, layer, format: file.format, crs: options.crs, features: file.records.length,
    inserted: 0, updated: 0, unchanged: 0, problems, problemsTotal: 0, ms: 0,
  };
  const present = presentFields(layer, mapping, options);
  // the features read well are staged and checked by PostGIS even when others were not: every problem at once
  if (incoming.length) await writeLayer(database, layer, incoming, present, options, report);
  report.ok = !problems.some((p) => p.severity === 'error');
  if (!report.ok) { report.inserted = 0; report.updated = 0; report.unchanged = 0; }
  problems.sort((a, b) => a.n - b.n);
  report.problemsTotal = problems.length;
  report.problems = problems.slice(0, maxProblems);
  report.ms = Math.round(performance.now() - started);
  if (report.ok && !report.dryRun && layer === 'roads' && report.inserted + report.updated > 0) {
    await reloadWalkGraph(database); // this process at once; other servers on the NOTIFY (api/server.ts)
  }
  return { report, incoming, mapping };
}

/** The fields this file gives a value to (mapped, or set by --parent or a default): only those are compared and written. */
function presentFields(layer: PlaceLayer, mapping: ColumnMapping, options: LayerImportOptions): string[] {
  const spec = layerSpecs[layer];
  return layerFields[layer].filter((f) => f !== 'id' && (mapping[f] !== undefined
    || (f === spec.parent?.field && !!options.parent) || (layer === 'entrances' && f === 'name' && mapping.unit !== undefined)));
}

async function readRecords(layer: PlaceLayer, file: RawFile, mapping: ColumnMapping, options: LayerImportOptions, problems: LayerProblem[]): Promise<Incoming[]> {
  const spec = layerSpecs[layer];
  const out: Incoming[] = [];
  const seen = new Map<string, number>();
  for (const [i, record] of file.records.entries()) {
    if (i % chunk === 0) { // a turn of the event loop now and then: the server answers the progress polls meanwhile
      options.onProgress?.({ phase: 'read', done: i, total: file.records.length });
      await nextTurn();
    }
    const raw = (field: string) => (mapping[field] === undefined ? undefined : record.values[mapping[field]]);
    const shown = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)).slice(0, 200);
    const idText = raw('id') === undefined || raw('id') === null ? '' : String(raw('id')).trim();
    const problem = (field: string, code: LayerProblemCode, value: unknown, message: string, severity: LayerProblem['severity'] = 'error') =>
      problems.push({ n: record.n, id: idText || null, field, code, severity, value: shown(value), message: `${where(file, record)}${idText ? ` (${idText})` : ''}: ${message}` });
    const before = problems.length;

    const values: Record<string, unknown> = {};
    for (const field of layerFields[layer]) {
      if (field === 'id') continue;
      const value = readValue(field, raw(field), (code, message, allowed) => problem(field, code, raw(field), message + (allowed ? `: write one of ${allowed.join(', ')}` : '')));
      values[field] = value;
    }
    if (spec.parent && options.parent && (values[spec.parent.field] === null || values[spec.parent.field] === undefined)) values[spec.parent.field] = options.parent;
    if (layer === 'entrances' && !values.name && typeof values.unit === 'number') values.name = `${values.unit}单元`;
    if (layer === 'buildings' && mapping.use !== undefined && !values.use) values.use = 'residential';
    if (layer === 'gates' && mapping.main !== undefined && values.main === null) values.main = false;
    if (layer === 'pois' && mapping.activities !== undefined && values.activities === null) values.activities = [];
    for (const alternatives of spec.required) {
      if (alternatives.some((f) => values[f] !== null && values[f] !== undefined && values[f] !== '')) continue;
      if (problems.slice(before).some((p) => alternatives.includes(p.field))) continue; // said already: a value that could not be read
      const unmapped = alternatives.every((f) => mapping[f] === undefined) && !(alternatives[0] === spec.parent?.field && options.parent);
      problem(alternatives[0], 'layer_missing_field', '', unmapped
        ? `no column gives ${alternatives.join(' or ')}: name one with --map ${alternatives[0]}=COLUMN${alternatives[0] === spec.parent?.field ? ` or give --parent ID` : ''}`
        : `${alternatives.join(' or ')} is empty`);
    }

    const geometry = readGeometry(layer, record, raw, problem);
    if (problems.length > before || !geometry) continue;
    const wgs84 = toWgs84(geometry, options.crs);
    const id = idText || `${spec.idPrefix}-${createHash('sha1').update(`${layer}|${JSON.stringify(wgs84.type === 'Point' ? wgs84.coordinates : wgs84)}|${values.name ?? values.number ?? ''}`).digest('hex').slice(0, 12)}`;
    if (seen.has(id)) {
      problem('id', 'layer_duplicate_id', id, `the id ${id} is used twice in this file, also by ${file.format === 'csv' || file.format === 'xlsx' ? 'row' : 'feature'} ${seen.get(id)}${idText ? '' : ' (the same shape and name twice)'}`);
      continue;
    }
    seen.set(id, record.n);
    out.push({ n: record.n, id, values, geometry: wgs84 });
  }
  return out;
}

const where = (file: RawFile, record: RawRecord) => (file.format === 'csv' || file.format === 'xlsx' ? `row ${record.n}` : `feature ${record.n}`);

type Complain = (code: LayerProblemCode, message: string, allowed?: readonly string[]) => void;

/** A cell or property read for its field: null when empty; a problem (and null) when it cannot be read. */
function readValue(field: string, value: unknown, complain: Complain): unknown {
  const kind = fieldSpecs[field].kind;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value).trim();
  switch (kind) {
    case 'text':
      return text.slice(0, 500);
    case 'int': {
      const n = typeof value === 'number' ? value : Number(text.match(/^\d+/)?.[0] ?? NaN);
      if (!Number.isInteger(n) || n < 0 || n > 32767) { complain('layer_bad_value', `${field} must be a whole number, found "${text.slice(0, 40)}"`); return null; }
      return n;
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const word = text.toLowerCase();
      if (yes.has(word)) return true;
      if (no.has(word)) return false;
      complain('layer_bad_value', `${field} must be 是 or 否 (yes/no), found "${text.slice(0, 40)}"`, ['是', '否']);
      return null;
    }
    case 'json': {
      let list: unknown = value;
      if (typeof value === 'string') { try { list = JSON.parse(text); } catch { list = null; } }
      if (!Array.isArray(list) || !list.every((a) => a && typeof a.name === 'string' && typeof a.schedule === 'string')) {
        complain('layer_bad_value', `${field} must be a JSON list of {"name", "schedule"}, found "${text.slice(0, 60)}"`);
        return null;
      }
      return list.map((a) => ({ name: a.name, schedule: a.schedule }));
    }
    case 'category': {
      const code = categoryWords.get(text) ?? categoryWords.get(text.toLowerCase());
      if (!code) complain('layer_bad_value', `unknown category "${text.slice(0, 40)}"`, poiCategories.map((c) => `${c} (${zhCNNames.poiCategories[c]})`));
      return code ?? null;
    }
    case 'use': {
      const code = (buildingUses as readonly string[]).includes(text.toLowerCase()) ? text.toLowerCase() : useWords[text] ?? useWords[text.toLowerCase()];
      if (!code) complain('layer_bad_value', `unknown building use "${text.slice(0, 40)}"`, buildingUses);
      return code ?? null;
    }
    case 'class': {
      const code = (roadClasses as readonly string[]).includes(text.toLowerCase()) ? text.toLowerCase() : classWords[text] ?? classWords[text.toLowerCase()];
      if (!code) complain('layer_bad_value', `unknown road class "${text.slice(0, 40)}"`, roadClasses);
      return code ?? null;
    }
    case 'hours':
      if (!readableOpeningHours(text)) { complain('layer_bad_opening_hours', `opening hours "${text.slice(0, 80)}" are not OpenStreetMap opening_hours syntax (e.g. Mo-Fr 08:00-12:00,14:30-17:30; Sa 09:00-12:00)`); return null; }
      return text;
  }
}

// editing on the map (api/places/edit.ts): one geometry or value, checked by the import's own rules
/** One geometry for a layer, as the import checks a feature's: the layer's kind, numbers, not swapped, within ±180/±90. */
export function checkPlaceGeometry(layer: PlaceLayer, geometry: unknown): { geometry: Geometry } | { code: LayerProblemCode; message: string } {
  let found: { code: LayerProblemCode; message: string } | null = null;
  const shape = geometry !== null && typeof geometry === 'object' ? geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown } : null;
  // readGeometry trusts a file reader's shapes: an object from the wire gets its arrays checked first
  const g = shape && typeof shape.type === 'string' && (Array.isArray(shape.coordinates) || Array.isArray(shape.geometries)) ? geometry as Geometry : null;
  const checked = readGeometry(layer, { n: 1, values: {}, geometry: g }, () => undefined, (_field, code, _value, message) => { found ??= { code, message }; });
  return checked && !found ? { geometry: checked } : found ?? { code: 'layer_bad_geometry', message: 'no geometry' };
}

/** One field's value (number, units …), read as the import reads a cell: null when empty. */
export function checkPlaceValue(field: string, value: unknown): { value: unknown } | { code: LayerProblemCode; message: string } {
  let found: { code: LayerProblemCode; message: string } | null = null;
  const read = readValue(field, value, (code, message, allowed) => { found ??= { code, message: message + (allowed ? `: write one of ${allowed.join(', ')}` : '') }; });
  return found ?? { value: read };
}

/** The feature's geometry, of the layer's kind, with sane coordinates: from the file, lon/lat columns, or a GeoJSON/WKT column. */
function readGeometry(layer: PlaceLayer, record: RawRecord, raw: (field: string) => unknown,
  problem: (field: string, code: LayerProblemCode, value: unknown, message: string) => void): Geometry | null {
  const want = layerSpecs[layer].geometry;
  let g: Geometry | null = record.geometry;
  if (!g && raw('lon') !== undefined && raw('lat') !== undefined && want === 'Point') {
    const lon = Number(String(raw('lon') ?? '').trim());
    const lat = Number(String(raw('lat') ?? '').trim());
    if (String(raw('lon') ?? '').trim() === '' || String(raw('lat') ?? '').trim() === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      problem('lon', 'layer_bad_geometry', `${raw('lon')}, ${raw('lat')}`, `longitude and latitude must be numbers, found "${String(raw('lon') ?? '')}", "${String(raw('lat') ?? '')}"`);
      return null;
    }
    g = { type: 'Point', coordinates: [lon, lat] };
  } else if (!g && raw('geometry') !== undefined) {
    const text = String(raw('geometry') ?? '').trim();
    g = text.startsWith('{') ? (() => { try { return JSON.parse(text) as Geometry; } catch { return null; } })() : wktGeometry(text);
    if (!g) { problem('geometry', 'layer_bad_geometry', text, 'the geometry column holds neither GeoJSON nor WKT'); return null; }
  }
  if (!g) {
    const how = want === 'Point' ? 'a point: the file needs longitude/latitude columns (经度/纬度, lon/lat) or a geometry' : `a ${want === 'Polygon' ? 'polygon' : 'line'}: a geometry column (GeoJSON or WKT) or a geographic file`;
    problem('geometry', 'layer_bad_geometry', '', `no geometry: ${layer} are ${how}`);
    return null;
  }
  // one-part multi geometries count as their single part (Shapefiles and KML often write them so)
  if (g.type === 'MultiPoint' && g.coordinates.length === 1) g = { type: 'Point', coordinates: g.coordinates[0] };
  if (g.type === 'MultiLineString' && g.coordinates.length === 1) g = { type: 'LineString', coordinates: g.coordinates[0] };
  if (g.type === 'GeometryCollection' && g.geometries.length === 1) g = g.geometries[0];
  const accepted = want === 'Polygon' ? ['Polygon', 'MultiPolygon'] : [want];
  if (!accepted.includes(g.type)) {
    problem('geometry', 'layer_bad_geometry', g.type, `${layer} are ${want === 'Polygon' ? 'polygons' : want === 'Point' ? 'points' : 'lines'}, found a ${g.type}${g.type === 'MultiLineString' ? ': split it into one line a feature' : ''}`);
    return null;
  }
  const positions = flatPositions(g);
  if (!positions || positions.length === 0) { problem('geometry', 'layer_bad_geometry', g.type, `the ${g.type} has no coordinates (or ones that are not numbers)`); return null; }
  const inChina = (lon: number, lat: number) => lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54;
  const [lon, lat] = positions[0];
  if (!inChina(lon, lat) && inChina(lat, lon)) {
    problem('geometry', 'layer_swapped_coordinates', `${lon}, ${lat}`, `longitude ${lon} and latitude ${lat} look swapped: in China the longitude is 73–135 and the latitude 3–54 (swap the columns with --map lon=…,lat=…)`);
    return null;
  }
  if (positions.some(([x, y]) => Math.abs(x) > 180 || Math.abs(y) > 90)) {
    problem('geometry', 'layer_bad_geometry', `${lon}, ${lat}`, `coordinates beyond longitude ±180 / latitude ±90 (${lon}, ${lat}): projected coordinates (metres)? export the file as longitude/latitude (EPSG:4326), or zip its .prj with the Shapefile`);
    return null;
  }
  return g;
}

function flatPositions(g: Geometry): Position[] | null {
  if (g.type === 'GeometryCollection') return null;
  const out: Position[] = [];
  const walk = (c: unknown): boolean => {
    if (!Array.isArray(c) || c.length === 0) return false;
    if (typeof c[0] !== 'number') return c.every(walk);
    if (c.length < 2 || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return false;
    out.push(c as Position);
    return true;
  };
  return walk((g as { coordinates: unknown }).coordinates) ? out : null;
}

/** POINT, LINESTRING, POLYGON, MULTILINESTRING, MULTIPOLYGON in WKT (QGIS's "WKT" column), Z/M dropped; null if unreadable. */
export function wktGeometry(text: string): Geometry | null {
  const m = text.match(/^\s*(?:SRID=\d+;)?\s*(POINT|LINESTRING|POLYGON|MULTILINESTRING|MULTIPOLYGON)\s*(?:ZM|Z|M)?\s*(\(.*\))\s*$/is);
  if (!m) return null;
  const number = String.raw`-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?`;
  const json = m[2]
    .replace(new RegExp(String.raw`(${number})\s+(${number})(?:\s+${number})*`, 'g'), '[$1,$2]')
    .replace(/\(/g, '[').replace(/\)/g, ']');
  let coordinates: unknown;
  try { coordinates = JSON.parse(json); } catch { return null; }
  const type = ({ POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon', MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon' } as const)[m[1].toUpperCase() as 'POINT'];
  if (type === 'Point') coordinates = (coordinates as unknown[])[0];
  return { type, coordinates } as Geometry;
}

const stage = sql.identifier('layer_import_stage');
/** rows per statement: each statement short (well under a second on PGlite) so progress is told, and polls answered, between them */
const chunk = 1000;
const sqlType: Record<Kind, string> = { text: 'text', int: 'smallint', bool: 'boolean', json: 'jsonb', category: 'text', use: 'text', class: 'text', hours: 'text' };

/**
 * Stage, check in PostGIS, compare and write, in one transaction; a dry run or any error rolls it
 * all back. Every step runs over the staged rows a chunk at a time (`k`, the row's place in the
 * file), telling the progress after each: check (stage, shapes, parents; then scope, streets,
 * what changed), then write.
 */
async function writeLayer(database: Database, layer: PlaceLayer, incoming: Incoming[], present: string[], options: LayerImportOptions, report: LayerImportReport) {
  const spec = layerSpecs[layer];
  const fields = layerFields[layer].filter((f) => f !== 'id');
  const col = (f: string) => sql.identifier(fieldSpecs[f].column);
  const table = sql.identifier(layer);
  const geom = spec.geometry === 'Polygon' ? sql`ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(x.g::text), 4326)))` : sql`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(x.g::text), 4326))`;
  const problem = (n: number, id: string, field: string, code: LayerProblemCode, value: string, message: string, severity: LayerProblem['severity'] = 'error') =>
    report.problems.push({ n, id, field, code, severity, value, message: `${report.format === 'csv' || report.format === 'xlsx' ? 'row' : 'feature'} ${n} (${id}): ${message}` });
  const total = incoming.length;
  const chunks = Array.from({ length: Math.ceil(total / chunk) }, (_, i) => ({ from: i * chunk, to: Math.min(total, (i + 1) * chunk) }));
  const within = (c: { from: number; to: number }) => sql`s.k >= ${c.from} AND s.k < ${c.to}`;
  // after telling, a turn of the event loop: PGlite answers inside the process, and a transaction's
  // statements would otherwise follow one another without the server ever reading a poll
  const told = async (phase: ImportProgress['phase'], done: number) => {
    options.onProgress?.({ phase, done: Math.round(done), total });
    await nextTurn();
  };
  class Refused extends Error {}
  try {
    await database.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const rows = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));
      await db.execute(sql`CREATE TEMP TABLE ${stage} (k int, n int, id text, ${sql.join(fields.map((f) => sql`${col(f)} ${sql.raw(sqlType[fieldSpecs[f].kind])}`), sql`, `)},
        geom geometry, state text) ON COMMIT DROP`);
      const recordset = sql.join([sql`k int, n int, id text`, ...fields.map((f) => sql`${sql.identifier(f)} ${sql.raw(sqlType[fieldSpecs[f].kind])}`), sql`g json`], sql`, `);
      await told('check', 0); // two passes over the rows: each counts half
      // first pass: stage each chunk, then what any feature can get wrong by itself
      for (const c of chunks) {
        const batch = incoming.slice(c.from, c.to).map((f, i) => ({ k: c.from + i, n: f.n, id: f.id, ...f.values, g: f.geometry }));
        await db.execute(sql`INSERT INTO ${stage} (k, n, id, ${sql.join(fields.map(col), sql`, `)}, geom)
          SELECT x.k, x.n, x.id, ${sql.join(fields.map((f) => sql`x.${sql.identifier(f)}`), sql`, `)}, ${geom}
          FROM json_to_recordset(${JSON.stringify(batch)}::json) AS x(${recordset})`);
        for (const r of await rows<{ n: number; id: string; reason: string }>(sql`
          SELECT n, id, ST_IsValidReason(geom) AS reason FROM ${stage} s WHERE ${within(c)} AND (NOT ST_IsValid(geom) OR ST_IsEmpty(geom)) ORDER BY n`)) {
          problem(r.n, r.id, 'geometry', 'layer_bad_geometry', r.reason, `the shape is not valid: ${r.reason} — redraw it there`);
        }
        if (spec.parent) {
          const p = spec.parent;
          for (const r of await rows<{ n: number; id: string; parent: string }>(sql`
            SELECT s.n, s.id, s.${col(p.field)} AS parent FROM ${stage} s
            WHERE ${within(c)} AND s.${col(p.field)} IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM ${sql.identifier(p.table)} t WHERE t.id = s.${col(p.field)} ${p.level ? sql`AND t.level = ${p.level}` : sql``})
            ORDER BY s.n`)) {
            problem(r.n, r.id, p.field, 'layer_unknown_parent', r.parent, `${p.field} "${r.parent}" is no ${p.level ?? p.table.replace(/s$/, '')} in the database: import the ${p.table === 'areas' ? 'micro-grids' : p.table} first, or check the id`);
          }
        }
        await told('check', c.to / 2);
      }
      if (report.problems.some((p) => p.severity === 'error')) throw new Refused();
      // second pass, on valid shapes: where each lies, and what it changes
      const same = sql.join([sql`ST_OrderingEquals(t.geom, s.geom)`, ...present.map((f) => sql`t.${col(f)} IS NOT DISTINCT FROM s.${col(f)}`)], sql` AND `);
      for (const c of chunks) {
        if (options.scope) {
          // a secretary's: the feature (a point on it) inside their community, and so is any stored one it replaces
          for (const r of await rows<{ n: number; id: string; inside: boolean }>(sql`
            SELECT s.n, s.id, ST_Covers(a.geom, ST_PointOnSurface(s.geom)) AS inside FROM ${stage} s, areas a
            WHERE a.id = ${options.scope} AND ${within(c)} AND (NOT ST_Covers(a.geom, ST_PointOnSurface(s.geom))
              OR EXISTS (SELECT 1 FROM ${table} t WHERE t.id = s.id AND NOT ST_Covers(a.geom, ST_PointOnSurface(t.geom))))
            ORDER BY s.n`)) {
            problem(r.n, r.id, 'geometry', 'layer_outside_scope', options.scope, r.inside // so it is the stored one that lies outside
              ? `replaces ${r.id}, which lies outside your community ${options.scope}: only its community's secretary or the street administrator changes it`
              : `lies outside your community ${options.scope}: a secretary imports the places of their own community (or check the coordinate system)`);
          }
        }
        if (spec.outsideStreets) {
          for (const r of await rows<{ n: number; id: string }>(sql`
            SELECT s.n, s.id FROM ${stage} s
            WHERE ${within(c)} AND NOT EXISTS (SELECT 1 FROM areas a WHERE a.level = 'street' AND a.geom && s.geom AND ST_Intersects(a.geom, s.geom)) ORDER BY s.n`)) {
            problem(r.n, r.id, 'geometry', 'layer_outside_streets', '', 'lies outside every street: imported, but no street or grid will see it — check where it lies (or the coordinate system)', 'warning');
          }
        }
        // what changed: only the fields this file gives are compared and written
        await db.execute(sql`UPDATE ${stage} s SET state = CASE WHEN ${same} THEN 'same' ELSE 'update' END FROM ${table} t WHERE t.id = s.id AND ${within(c)}`);
        await told('check', (total + c.to) / 2);
      }
      if (report.problems.some((p) => p.severity === 'error')) throw new Refused();
      const [counts] = await rows<{ inserted: number; updated: number; unchanged: number }>(sql`
        SELECT count(*) FILTER (WHERE state IS NULL)::int AS inserted, count(*) FILTER (WHERE state = 'update')::int AS updated,
               count(*) FILTER (WHERE state = 'same')::int AS unchanged FROM ${stage}`);
      Object.assign(report, counts);
      const written = [...present.map(col), sql`geom`];
      if (counts.inserted + counts.updated > 0) {
        await told('write', 0);
        for (const c of chunks) {
          await db.execute(sql`
            INSERT INTO ${table} (id, ${sql.join(written, sql`, `)})
            SELECT id, ${sql.join(written, sql`, `)} FROM ${stage} s WHERE ${within(c)} AND state IS DISTINCT FROM 'same' ORDER BY n
            ON CONFLICT (id) DO UPDATE SET ${sql.join(written.map((c) => sql`${c} = EXCLUDED.${c}`), sql`, `)}`);
          await told('write', c.to);
        }
        await db.execute(sql`INSERT INTO admin_events (actor, action, subject, note)
          VALUES (${options.actor}, 'layer_imported', ${layer}, ${`${options.fileName.slice(-120)}: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged`})`);
        // delivered on commit: running servers re-cut their tiles and rebuild the walking network (api/server.ts)
        await db.execute(sql`SELECT pg_notify(${dataChangedChannel}, ${layer})`);
      }
      if (options.dryRun) throw new Refused();
    });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
  }
}
