// npm run backup -- FILE — the whole database into one file (docs/operations.md).
// PostgreSQL (DATABASE_URL): pg_dump, while the server runs. Embedded PGlite (DATA_DIR, default
// ./.data): PGlite's data-directory tarball; stop the server first (PGlite is one process's).
import { resolve } from 'node:path';
import { backupPglite, backupPostgres, sizeOf } from '../api/db/backup.ts';
import { fail, openForScript } from './lib/open-database.ts';

const file = process.argv[2];
if (!file || file.startsWith('-')) fail('用法 usage: npm run backup -- FILE');
const target = resolve(file);
const t0 = performance.now();
try {
  if (process.env.DATABASE_URL) {
    await backupPostgres(process.env.DATABASE_URL, target);
  } else {
    const database = await openForScript();
    try {
      await backupPglite(database, target);
    } finally {
      await database.close();
    }
  }
} catch (error) {
  fail(`备份失败 backup failed: ${(error as Error).message}`);
}
console.log(`备份完成 backup written: ${target} (${sizeOf(target)}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
