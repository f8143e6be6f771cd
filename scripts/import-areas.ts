// Import street / community / grid / micro-grid boundaries from a GeoJSON file:
//   npx tsx scripts/import-areas.ts FILE.geojson|.zip|.kml [--crs wgs84|gcj02|bd09] [--map field=column,…] [--level LEVEL] [--parent ID] [--repair [--gap-threshold M2]] [--dry-run]
// Opens the database as api/server.ts does: DATABASE_URL, or the PGlite data directory DATA_DIR
// (default ./.data). Exit code 1 when the file is refused. See docs/import.md.
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fail, openForScript } from './lib/open-database.ts';
import { inputCrs, type InputCrs } from '../api/geo/crs.ts';
import { formatIssue, parseGeoJSON } from '../api/geo/geojson.ts';
import { readFeatureCollection } from '../api/import/formats/index.ts';
import { importAreas, parseAreaMap, type ImportOptions, type ImportProblem, type ImportReport } from '../api/import/areas.ts';
import { areaLevels as levels, type AreaLevel as Level } from '../api/contract/vocabulary.ts';
import type { RepairReport } from '../api/import/repair.ts';

const shown = 50; // problems printed per list; the rest are counted
const kindLabel: Record<ImportProblem['kind'], string> = {
  geojson: 'GeoJSON 格式', property: '属性', invalid: '多边形无效', gap: '缝隙', overlap: '重叠', outside: '超出上级', scope: '超出管辖范围',
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    crs: { type: 'string', default: 'wgs84' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
    // repair on import (issue 8)
    repair: { type: 'boolean', default: false }, 'gap-threshold': { type: 'string' },
    // files without our property names (issue 8)
    map: { type: 'string' }, level: { type: 'string' }, parent: { type: 'string' },
  },
});
const usage = '用法 usage: npx tsx scripts/import-areas.ts FILE.geojson [--crs wgs84|gcj02|bd09] [--map id=adcode,name=name,parentId=parent] [--level LEVEL] [--parent ID] [--repair [--gap-threshold M2]] [--dry-run]';
if (values.help) { console.log(usage); process.exit(0); }
if (positionals.length !== 1) fail(`需要一个 GeoJSON 文件 / one GeoJSON file is needed\n${usage}`);
const crs = values.crs!.toLowerCase() as InputCrs;
if (!inputCrs.includes(crs)) fail(`未知坐标系 unknown --crs "${values.crs}": 高德/腾讯 Amap/Tencent = gcj02, 百度 Baidu = bd09, GPS/QGIS EPSG:4326 = wgs84`);

const gapThresholdM2 = values['gap-threshold'] === undefined ? undefined : Number(values['gap-threshold']);
if (gapThresholdM2 !== undefined && !(gapThresholdM2 >= 0)) fail(`--gap-threshold 需要平方米数 needs a number of m² ≥ 0, found "${values['gap-threshold']}"`);
if (gapThresholdM2 !== undefined && !values.repair) fail('--gap-threshold 只配合 --repair 使用 / only goes with --repair');
let map: ImportOptions['map'] = {};
try {
  map = parseAreaMap(values.map ?? '');
} catch (error) {
  fail(`--map 需要 字段=列 field=column: ${(error as Error).message}`);
}
if (values.level && !levels.includes(values.level as Level)) fail(`--level 必须是 must be one of ${levels.join(', ')}, found "${values.level}"`);

const file = resolve(positionals[0]);
if (!existsSync(file)) fail(`找不到文件 file not found: ${file}`);
// a Shapefile (.zip) or KML is read into GeoJSON first (api/import/formats/); GeoJSON is checked path by path
const geographic = /\.(zip|kml)$/i.test(file);
let text: string;
try {
  text = geographic ? JSON.stringify(await readFeatureCollection(readFileSync(file), basename(file))) : readFileSync(file, 'utf8');
} catch (error) {
  fail(`文件读不出来 the file cannot be read: ${(error as Error).message}`);
}
const parsed = parseGeoJSON(text);
if (!parsed.ok && parsed.errors.some((e) => /not valid JSON/.test(e.message))) {
  fail(`文件不是有效的 JSON / the file is not valid JSON:\n  ${parsed.errors.map(formatIssue).join('\n  ')}`);
}

const database = await openForScript();
try {
  const input = parsed.ok ? parsed.value : JSON.parse(text);
  const report = await importAreas(database, input, {
    crs, dryRun: values['dry-run'], repair: values.repair, gapThresholdM2, map, level: values.level as Level | undefined, parentId: values.parent,
  });
  print(report);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await database.close();
}

function print(r: ImportReport) {
  const mode = r.dryRun ? '试运行 dry run — 未写入 nothing written' : '导入 import';
  console.log(`${mode}: ${file}`);
  console.log(`坐标系 CRS: ${r.crs}${r.crs === 'wgs84' ? '' : ' → 已转换为 converted to WGS84'}; 要素 features: ${r.features}`);
  if (r.repair) printRepair(r.repair);
  list('错误 errors', r.errors);
  list('提醒 warnings', r.warnings);
  if (!r.ok) {
    console.log(`✗ 未导入：请修正以上 ${r.errors.length} 个错误后重试，数据库未改变`);
    console.log(`✗ not imported: fix the ${r.errors.length} error(s) above and try again; the database is unchanged`);
    return;
  }
  console.log(`✓ 新增 inserted: ${r.inserted.length}; 更新 updated: ${r.updated.length}`);
  console.log(`✓ 归属变化的诉求 requests moved to another area: ${r.requestsMoved}`);
  console.log(`✓ 归属变化的关爱对象 care households moved to another area: ${r.householdsMoved ?? 0}`);
  for (const m of r.moves.slice(0, shown)) {
    console.log(`  ${m.ticket}: ${m.from.microgridId ?? m.from.gridId ?? '—'} → ${m.to.microgridId ?? m.to.gridId ?? '—'}`);
  }
  if (r.moves.length > shown) console.log(`  … 另有 and ${r.moves.length - shown} more`);
  if (!r.dryRun) console.log('运行中的服务器会自动更新地图 / running servers on this database re-cut their map tiles by themselves');
}

function printRepair(r: RepairReport) {
  const m2 = (v: number) => (v < 10 ? v.toFixed(2) : Math.round(v).toString());
  const slivers = r.steps.filter((s) => s.m2 >= 1);
  console.log(`修复 repair (缝隙阈值 gap threshold ${r.gapThresholdM2} m²): ${r.areas.length} 个区域有变化 areas changed; ${slivers.length} 块 ≥1 m² slivers:`);
  for (const s of slivers.slice(0, shown)) {
    const where = `${s.at[0].toFixed(6)},${s.at[1].toFixed(6)}`;
    console.log(s.kind === 'outside'
      ? `  - 超出上级 outside: ${s.areaIds[0]} 超出 ${s.areaIds[1]} ${m2(s.m2)} m²，已切除 cut off [${where}]`
      : `  - ${kindLabel[s.kind]} ${s.kind}: ${s.areaIds.join(' / ')} ${m2(s.m2)} m² → 归 given to ${s.keptBy} [${where}]`);
  }
  if (slivers.length > shown) console.log(`  … 另有 and ${slivers.length - shown} more`);
  for (const a of r.areas.slice(0, shown)) {
    console.log(`  ${a.areaId}: ${a.madeValid ? '已修正自相交 made valid; ' : ''}面积 area ${m2(a.beforeM2)} → ${m2(a.afterM2)} m², 变动 changed ${m2(a.changedM2)} m² (${a.changedPct.toFixed(2)} %)`);
  }
  if (r.areas.length > shown) console.log(`  … 另有 and ${r.areas.length - shown} more`);
}

function list(title: string, problems: ImportProblem[]) {
  if (!problems.length) return;
  console.log(`${title} (${problems.length}):`);
  for (const p of problems.slice(0, shown)) {
    const where = p.at ? ` [${kindLabel[p.kind]}；定位 locate: ${p.at[0].toFixed(6)},${p.at[1].toFixed(6)}]` : ` [${kindLabel[p.kind]}]`;
    console.log(`  - ${p.message}${where}`);
  }
  if (problems.length > shown) console.log(`  … 另有 and ${problems.length - shown} more`);
}

