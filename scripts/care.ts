// The care ledger's key, from the command line (docs/care.md, "Key rotation"):
//   npm run care -- rotate-key    re-seals every sealed field under a new key, in one transaction
// Opens the database as the server does (DATABASE_URL, or DATA_DIR for PGlite). Stop every server
// first: a server still running keeps the old key in memory and would seal new rows under it.
import { RotationRefused, rotateKey } from '../api/care/rotate.ts';
import { fail, openForScript } from './lib/open-database.ts';

const [command] = process.argv.slice(2);
if (command !== 'rotate-key') fail('用法 usage: npm run care -- rotate-key   (更换关爱台账密钥并重新加密 / re-seal the care ledger under a new key)');

const database = await openForScript();
let refusal: string | null = null;
try {
  const done = await rotateKey(database);
  const rows = Object.entries(done.tables).map(([table, n]) => `${table} ${n}`).join(', ');
  console.log(`✓ 已用新密钥重新加密 / re-sealed under the new key: ${rows}`);
  if (done.keyFile) {
    console.log(`  新密钥 new key: ${done.keyFile}`);
    console.log(`  旧密钥备份 old key kept at: ${done.backup}`);
    console.log('  旧密钥仍是此前数据库备份的唯一钥匙：不再保留这些备份后再删除它 / backups taken before now open only with the old key: delete it once none is kept');
  } else {
    console.log('  现在把 CARE_KEY 设为 CARE_NEW_KEY 的值，再启动服务器 / now set CARE_KEY to the value of CARE_NEW_KEY, then start the server');
  }
} catch (error) {
  refusal = error instanceof RotationRefused
    ? `✗ 未更换密钥：当前密钥打不开所有记录，什么都没有改动 / key not rotated: ${error.message}\n  先设置这些记录加密时用的密钥（CARE_KEY 或 CARE_KEY_FILE）再试 / set the key they were sealed with and retry`
    : `✗ 未更换密钥，数据库没有改动 / key not rotated, the database is unchanged: ${(error as Error).message}`;
} finally {
  await database.close();
}
if (refusal) fail(refusal);
