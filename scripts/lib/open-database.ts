import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase, type Database } from '../../api/db/client.ts';

/**
 * Opens the database as api/server.ts does — DATABASE_URL, or the PGlite data directory DATA_DIR
 * (default ./.data) — for a command-line script, or exits with a message that says what to do.
 */
export async function openForScript(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    try {
      return await openDatabase({ url });
    } catch (error) {
      fail(`无法连接数据库 cannot connect to DATABASE_URL: ${(error as Error).message}`);
    }
  }
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  // PGlite takes no lock: a second process on the same directory would corrupt it. While a
  // PGlite database is open, its directory holds postmaster.pid (removed on close).
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    fail([
      `数据库正在使用中 the database in ${dataDir} is in use: a running server (npm start) holds it.`,
      '请先停止服务器（Ctrl+C），完成后再启动 / stop the server (Ctrl+C), run this, then start it again.',
      `若没有服务器在运行，说明上次异常退出：删除 ${join(dataDir, 'postmaster.pid')} 后重试`,
      `/ if no server is running, an earlier crash left ${join(dataDir, 'postmaster.pid')} behind: delete it and retry.`,
    ].join('\n'));
  }
  try {
    return await openDatabase({ dataDir });
  } catch (error) {
    fail(`无法打开数据库 cannot open the PGlite database in ${dataDir} (is a server using it? stop it first): ${(error as Error).message}`);
  }
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
