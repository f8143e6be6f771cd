// npm run restore -- FILE [--force] — a backup of `npm run backup` back into a database
// (docs/operations.md): DATABASE_URL for PostgreSQL, else the PGlite data directory DATA_DIR
// (default ./.data; stop the server first). All or nothing; a target holding data is replaced
// only with --force.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupKind, restorePglite, restorePostgres } from '../api/db/backup.ts';
import { fail } from './lib/open-database.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
const [file] = positionals;
if (!file) fail('用法 usage: npm run restore -- FILE [--force]');
if (!existsSync(file)) fail(`找不到备份文件 no such backup file: ${file}`);
const kind = backupKind(file);
const url = process.env.DATABASE_URL;
if (!kind) fail(`${file} 不是一图的备份 is not a backup made by npm run backup`);
if (kind === 'postgres' && !url) fail(`${file} 是 PostgreSQL 备份 is a PostgreSQL backup: set DATABASE_URL to the database to restore into`);
if (kind === 'pglite' && url) fail(`${file} 是内置数据库备份 is an embedded (PGlite) backup: unset DATABASE_URL and set DATA_DIR`);

const t0 = performance.now();
try {
  let counts: Record<string, number>;
  if (url) {
    counts = await restorePostgres(file, url, { force: values.force });
  } else {
    const dataDir = resolve(process.env.DATA_DIR ?? '.data');
    if (existsSync(join(dataDir, 'postmaster.pid'))) fail(`数据库正在使用中 a running server holds ${dataDir}: stop it first`);
    counts = await restorePglite(file, dataDir, { force: values.force });
  }
  const rows = Object.entries(counts).filter(([t]) => t.startsWith('public.')).map(([t, n]) => `${t.slice(7)} ${n}`);
  console.log(`恢复完成 restored in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${rows.join(', ')}`);
} catch (error) {
  fail(`恢复失败，目标未改动 restore failed, the target is unchanged: ${(error as Error).message}`);
}
