// The demo street, from the command line (docs/setup.md):
//   npm run demo -- remove     turns a demo database to real use: every demo row goes, in one transaction
// Opens the database as the server does (DATABASE_URL, or DATA_DIR for PGlite: stop the server first).
import { demoState, removeDemo } from '../api/demo/mode.ts';
import { fail, openForScript } from './lib/open-database.ts';

const [command] = process.argv.slice(2);
if (command !== 'remove') fail('用法 usage: npm run demo -- remove   (删除演示数据，转为正式使用 / remove the demo, for real use)');

const database = await openForScript();
try {
  const state = await demoState(database);
  if (state !== 'demo') fail(`✗ 这个数据库没有演示数据 / this database holds no demo data (${state}): nothing removed`);
  const { tables } = await removeDemo(database);
  console.log(`✓ 演示数据已删除（${tables} 张表已清空，演示账号、大屏链接和 API key 均已失效）/ the demo is removed: ${tables} tables emptied, demo accounts, kiosk links and keys are gone`);
  console.log('  下次启动时，服务器日志会给出一次性的初始化链接，用来创建第一个管理员 / the next start prints a one-time setup link for the first administrator');
} finally {
  await database.close();
}
