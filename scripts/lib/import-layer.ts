import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LayerImportReport, PlaceLayer } from '../../api/contract/layers.ts';
import { inputCrs, type InputCrs } from '../../api/geo/crs.ts';
import { importLayerFile, parseMapping } from '../../api/import/layers.ts';
import { ApiError } from '../../api/errors.ts';
import { fail, openForScript } from './open-database.ts';

const shown = 50; // problems printed; the rest are counted

/** `npm run import -- LAYER FILE …` for a place layer: the same checks and report as the console; answers the exit code. */
export async function importPlaceLayer(layer: PlaceLayer, args: string[], usage: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { crs: { type: 'string', default: 'wgs84' }, map: { type: 'string' }, parent: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) fail(`需要一个文件 / one file is needed\n${usage}`);
  const crs = values.crs!.toLowerCase() as InputCrs;
  if (!inputCrs.includes(crs)) fail(`未知坐标系 unknown --crs "${values.crs}": 高德/腾讯 Amap/Tencent = gcj02, 百度 Baidu = bd09, GPS/QGIS EPSG:4326 = wgs84`);
  const file = resolve(positionals[0]);
  if (!existsSync(file)) fail(`找不到文件 file not found: ${file}`);

  const database = await openForScript();
  let report: LayerImportReport;
  try {
    report = await importLayerFile(database, new Uint8Array(readFileSync(file)), {
      layer, crs, mapping: parseMapping(layer, values.map), parent: values.parent, dryRun: values['dry-run'], actor: 'cli', fileName: basename(file),
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await database.close();
    console.error(`✗ ${error.message} (${error.code})`);
    return 1;
  }
  await database.close();
  print(file, report);
  return report.ok ? 0 : 1;
}

function print(file: string, r: LayerImportReport) {
  console.log(`${r.dryRun ? '试运行 dry run — 未写入 nothing written' : '导入 import'}: ${r.layer} ← ${file} (${r.format})`);
  console.log(`坐标系 CRS: ${r.crs}${r.crs === 'wgs84' ? '' : ' → 已转换为 converted to WGS84'}; 要素 features: ${r.features}`);
  const errors = r.problems.filter((p) => p.severity === 'error');
  const warnings = r.problems.filter((p) => p.severity === 'warning');
  for (const [title, list] of [['错误 errors', errors], ['提醒 warnings', warnings]] as const) {
    if (!list.length) continue;
    console.log(`${title}:`);
    for (const p of list.slice(0, shown)) console.log(`  - ${p.message} [${p.field} · ${p.code}]`);
    if (list.length > shown) console.log(`  … 另有 and ${list.length - shown} more`);
  }
  if (r.problemsTotal > r.problems.length) console.log(`  … 共 ${r.problemsTotal} 处问题 problems in all`);
  if (!r.ok) {
    console.log('✗ 未导入：请修正以上错误后重试，数据库未改变 / not imported: fix the errors above and try again; the database is unchanged');
    return;
  }
  console.log(`✓ 新增 inserted ${r.inserted}; 更新 updated ${r.updated}; 未变 unchanged ${r.unchanged} (${(r.ms / 1000).toFixed(1)} s)`);
  if (!r.dryRun && r.inserted + r.updated > 0) console.log('运行中的服务器会自动更新地图和步行路网 / running servers on this database re-cut their tiles and rebuild the walking network by themselves');
}
