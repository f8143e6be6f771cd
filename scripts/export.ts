// Export a place layer (docs/import.md):
//   npm run export -- LAYER FILE       LAYER compounds, gates, buildings, entrances, pois or roads;
//                                      FILE .geojson, .xlsx or .csv (by its extension), WGS84
// Opens the database as api/server.ts does (DATABASE_URL, or DATA_DIR for PGlite: stop the server first).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportFormats, isPlaceLayer, placeLayers, type ExportFormat } from '../api/contract/layers.ts';
import { exportLayer } from '../api/import/layer-export.ts';
import { fail, openForScript } from './lib/open-database.ts';

const usage = `用法 usage: npm run export -- LAYER FILE.geojson|.xlsx|.csv\nLAYER: ${placeLayers.join(', ')}`;
const [layer, file, ...rest] = process.argv.slice(2);
if (!layer || layer === '--help' || layer === '-h') {
  console.log(usage);
  process.exit(layer ? 0 : 1);
}
if (!isPlaceLayer(layer)) fail(`未知图层 unknown layer "${layer}"\n${usage}`);
if (!file || rest.length) fail(`需要一个文件 / one file is needed\n${usage}`);
const format = file.toLowerCase().match(/\.([a-z]+)$/)?.[1]?.replace('json', 'geojson').replace('geogeojson', 'geojson') as ExportFormat;
if (!exportFormats.includes(format)) fail(`文件名须以 .geojson、.xlsx 或 .csv 结尾 / the file name must end in .geojson, .xlsx or .csv: ${file}`);

const database = await openForScript();
try {
  const bytes = await exportLayer(database, layer, format);
  writeFileSync(resolve(file), bytes);
  console.log(`✓ ${layer} → ${resolve(file)} (${(bytes.length / 1024).toFixed(0)} KB)`);
} finally {
  await database.close();
}
