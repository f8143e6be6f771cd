// Staff accounts from the command line (docs/setup.md):
//   npm run user -- add USERNAME --role street_admin [--area ID] [--name 姓名] [--phone 电话] [--public]
//   npm run user -- reset-password USERNAME
//   npm run user -- disable USERNAME
//   npm run user -- enable USERNAME
// Opens the database as the server does (DATABASE_URL, or DATA_DIR for PGlite: stop the server first).
// A new or reset password is printed once; only its hash is kept.
import { parseArgs } from 'node:util';
import { createAccount, disableAccount, enableAccount, resetPassword } from '../api/auth/admin.ts';
import { staffRoles, type StaffRole } from '../api/contract/vocabulary.ts';
import { ApiError } from '../api/errors.ts';
import { fail, openForScript } from './lib/open-database.ts';

const usage = `用法 usage:
  npm run user -- add USERNAME --role ROLE [--area AREA_ID] [--name 姓名] [--phone 电话] [--public]
  npm run user -- reset-password USERNAME
  npm run user -- disable USERNAME
  npm run user -- enable USERNAME
ROLE: ${staffRoles.join(', ')}`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' }, area: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' },
    public: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [command, username] = positionals;
if (!command || !username || positionals.length > 2) fail(usage);
if (!['add', 'reset-password', 'disable', 'enable'].includes(command)) fail(`未知命令 unknown command "${command}"\n${usage}`);
if (command === 'add' && !values.role) fail(`需要 --role / add needs --role\n${usage}`);

const database = await openForScript();
try {
  if (command === 'add') {
    const made = await createAccount(database, {
      username, role: values.role as StaffRole, areaId: values.area ?? null, name: values.name, phone: values.phone ?? null,
      phonePublic: values.public, actor: 'cli',
    });
    console.log(`✓ 已创建账号 account created: ${made.username} (${values.role}${values.area ? `, ${values.area}` : ', 全部区域 whole installation'})`);
    console.log(`  初始密码（只显示这一次）/ password, shown this once: ${made.password}`);
  } else if (command === 'reset-password') {
    const password = await resetPassword(database, username, 'cli');
    console.log(`✓ 已重置密码，原有登录已退出 / password reset, every session of ${username} ended`);
    console.log(`  新密码（只显示这一次）/ new password, shown this once: ${password}`);
  } else if (command === 'enable') {
    await enableAccount(database, username, 'cli');
    console.log(`✓ 已恢复 ${username}：可用原密码登录 / enabled: signs in with the password it had`);
  } else {
    await disableAccount(database, username, 'cli');
    console.log(`✓ 已停用 ${username}：不能再登录，原有登录已退出 / disabled: no more sign-ins, every session ended`);
  }
} catch (error) {
  if (error instanceof ApiError) fail(`✗ ${error.message} (${error.code})`);
  throw error;
} finally {
  await database.close();
}
