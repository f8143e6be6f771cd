// Import a layer from a file (docs/import.md):
//   npm run import -- staff FILE.xlsx [--dry-run]     the 花名册 (姓名, 职务, 所属网格, 电话, 是否公开)
//   npm run import -- areas FILE.geojson [--crs …]    boundaries: the same as npm run import:areas
//   npm run import -- LAYER FILE [--crs wgs84|gcj02|bd09] [--map field=column,…] [--parent ID] [--dry-run]
//     LAYER compounds, gates, buildings, entrances, pois or roads; FILE .geojson, .zip (Shapefile), .kml, .csv or .xlsx
// Opens the database as api/server.ts does (DATABASE_URL, or DATA_DIR for PGlite: stop the server
// first). Same checks and report as the console; all or nothing; exit code 1 when refused.
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { importRoster, previewRoster } from '../api/admin/roster-import.ts';
import type { StaffUser } from '../api/contract/wire.ts';
import { ApiError } from '../api/errors.ts';
import { fail, openForScript } from './lib/open-database.ts';
import { isPlaceLayer, placeLayers } from '../api/contract/layers.ts';
import { importPlaceLayer } from './lib/import-layer.ts';

const layers = ['staff', 'areas', ...placeLayers] as const;
const usage = `用法 usage:
  npm run import -- staff FILE.xlsx [--dry-run]
  npm run import -- areas FILE.geojson [--crs wgs84|gcj02|bd09] [--map …] [--level LEVEL] [--parent ID] [--repair [--gap-threshold M2]] [--dry-run]
  npm run import -- LAYER FILE [--crs wgs84|gcj02|bd09] [--map field=column,…] [--parent ID] [--dry-run]
LAYER: ${layers.join(', ')}; FILE: .geojson .zip(Shapefile) .kml .csv .xlsx — see docs/import.md`;

const [layer, ...rest] = process.argv.slice(2);
if (!layer || layer === '--help' || layer === '-h') {
  console.log(usage);
  process.exit(layer ? 0 : 1);
}
if (layer === 'areas') {
  // the boundary import keeps its own script (npm run import:areas); this is the same command
  const run = spawnSync(process.execPath, ['--import', 'tsx', resolve('scripts/import-areas.ts'), ...rest], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
if (isPlaceLayer(layer)) {
  process.exit(await importPlaceLayer(layer, rest, usage));
}
if (!(layers as readonly string[]).includes(layer)) fail(`未知图层 unknown layer "${layer}"\n${usage}`);

const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });
if (positionals.length !== 1) fail(`需要一个文件 / one file is needed\n${usage}`);
const file = resolve(positionals[0]);
if (!existsSync(file)) fail(`找不到文件 file not found: ${file}`);
if (!/\.xlsx$/i.test(file)) fail(`花名册请用 .xlsx 文件 / the roster must be an .xlsx workbook: ${file}`);

/** The command line acts as the installation's administrator: every area, every role. */
const cli: StaffUser = { username: 'cli', staffId: 'cli', name: 'cli', role: 'street_admin', areaId: null, areaName: null, areaLevel: null };
const bytes = readFileSync(file);
const database = await openForScript();
let refused: string | null = null; // said after the database is closed: PGlite must close to free its directory
try {
  const preview = await previewRoster(database, cli, bytes);
  for (const p of preview.problems) console.error(`✗ 第 ${p.row} 行 row ${p.row} · ${p.field}: ${p.message}${p.value ? ` [${p.value}]` : ''} (${p.code})`);
  if (preview.problems.length) {
    refused = `✗ ${preview.problems.length} 处问题，未导入任何人 / ${preview.problems.length} problem(s): nothing imported`;
  } else if (values['dry-run']) {
    console.log(`✓ 预检通过 dry run: ${preview.rows.length} 人 people would be imported (${preview.total} rows read)`);
  } else {
    const report = await importRoster(database, cli, bytes, basename(file));
    console.log(`✓ 已导入 imported ${report.imported} 人 people from ${basename(file)}`);
  }
} catch (error) {
  if (!(error instanceof ApiError)) throw error;
  refused = `✗ ${error.message} (${error.code})`;
} finally {
  await database.close();
}
if (refused) fail(refused);
