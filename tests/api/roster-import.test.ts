import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../api/db/client.ts';
import { emptyDatabaseFor, modes } from '../helpers/databases.ts';
import { runScript } from '../helpers/server.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { signIn } from '../helpers/staff.ts';

// The 花名册 from Excel (issue 8): the template, a preview that lists every problem of every row,
// an import that writes all or nothing. Workbooks are made here, as a street office fills them in.

/** A roster workbook: a title line above the headings, as offices write them, then the rows. */
async function roster(rows: (string | number)[][], headings = ['姓名', '职务', '所属网格', '电话', '是否公开']): Promise<Blob> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow(['民生街道网格员花名册（2026年12月）']);
  sheet.addRow(headings);
  for (const row of rows) sheet.addRow(row);
  return new Blob([await workbook.xlsx.writeBuffer()]);
}

describe.each(modes())('the roster import on %s', (mode) => {
  let t: TestApp;
  let admin: string;
  let secretary: string;
  const upload = (cookie: string, file: Blob, dryRun: boolean, name = '花名册.xlsx') => {
    const form = new FormData();
    form.set('file', file, name);
    return t.app.request(`http://localhost/api/admin/staff/import${dryRun ? '/preview' : ''}`, { method: 'POST', headers: { cookie }, body: form });
  };
  const staffCount = async () => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM staff`))[0].n;

  beforeAll(async () => {
    t = await openTestApp(mode);
    admin = await signIn(t, 'admin');
    secretary = await signIn(t, 'xsl-shuji');
  });
  afterAll(async () => { await t?.close(); });

  it('hands out a template whose headings the import reads back', async () => {
    const res = await t.app.request('http://localhost/api/admin/staff/template', { headers: { cookie: secretary } });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = await res.arrayBuffer();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes);
    expect(workbook.worksheets[0].getRow(1).values).toEqual([undefined, '姓名', '职务', '所属网格', '电话', '是否公开']);
    const help = JSON.stringify(workbook.getWorksheet('填写说明')!.getSheetValues());
    expect(help).toContain('MS-XSL-G01');
    expect(help).not.toContain('MS-MZL'); // a secretary's template names their own community's areas only
    const preview = await (await upload(secretary, new Blob([bytes]), true)).json();
    expect(preview.preview).toMatchObject({ total: 1, problems: [] });
  });

  it('lists every problem of every row with its row number, and imports nothing', async () => {
    const file = await roster([
      ['钱一', '网格员', 'MS-XSL-G01', '139-1111-0001', '是'],
      ['孙二', '网格员', '不存在的网格', '139-1111-0002', '否'],
      ['李三', '网格员', '学生路社区第一网格', '12ab', '否'],
      ['钱一', '网格员', 'MS-XSL-G01', '139-1111-0003', '否'],
      ['周四', '队长', 'MS-XSL-G02', '', '否'],
      ['吴五', '网格员', 'MS-XSL-G02', '139-1111-0005', '也许'],
      ['', '网格员', 'MS-XSL-G02', '', ''],
      ['吴明理', '网格长', 'MS-XSL-G01', '', '否'], // on the demo roster already
    ]);
    const before = await staffCount();
    const res = await upload(admin, file, false);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.code).toBe('import_problems');
    expect(body.problems.map((p: any) => [p.row, p.field, p.code])).toEqual([
      [4, 'area', 'unknown_area'],
      [5, 'phone', 'bad_phone'],
      [6, 'name', 'duplicate_in_file'],
      [7, 'role', 'unknown_role'],
      [8, 'phonePublic', 'bad_public'],
      [9, 'name', 'missing_name'],
      [10, 'name', 'already_on_roster'],
    ]);
    expect(body.problems[0].message).toContain('MS-XSL-G01'); // says what to write instead
    expect(body.problems[2].message).toContain('row 3');
    expect(await staffCount()).toBe(before);
  });

  it('imports a clean roster whole, with names of areas and of roles as a street writes them, audited once', async () => {
    const file = await roster([
      ['郑六', '网格员', '学生路社区第二网格', '139-2222-0001', '是'],
      ['王七', '党员中心户', 'MS-XSL-G02-M1', '', '否'],
      ['冯八', '兼职网格员', 'ms-xsl-g03', '0371-2222002（办）', '不公开'],
    ]);
    const preview = (await (await upload(secretary, file, true)).json()).preview;
    expect(preview.problems).toEqual([]);
    expect(preview.rows.map((r: any) => [r.name, r.role, r.areaId, r.phone, r.phonePublic])).toEqual([
      ['郑六', 'grid_worker', 'MS-XSL-G02', '139-2222-0001', true],
      ['王七', 'party_household', 'MS-XSL-G02-M1', null, false],
      ['冯八', 'grid_worker', 'MS-XSL-G03', '0371-2222002', false],
    ]);
    const before = await staffCount();
    const res = await upload(secretary, file, false, '学生路花名册.xlsx');
    expect(res.status).toBe(201);
    expect((await res.json()).report.imported).toBe(3);
    expect(await staffCount()).toBe(before + 3);
    expect(await t.database.rows(sql`SELECT actor, subject, note FROM admin_events WHERE action = 'staff_imported'`))
      .toEqual([{ actor: 'xsl-shuji', subject: '学生路花名册.xlsx', note: '3 people' }]);
    const again = await (await upload(secretary, file, true)).json();
    expect(again.preview.problems.map((p: any) => p.code)).toEqual(['already_on_roster', 'already_on_roster', 'already_on_roster']);
  });

  it('refuses a secretary rows of another community and roles above theirs', async () => {
    const file = await roster([['陈九', '网格员', 'MS-MZL', '', '否'], ['褚十', '街道管理员', 'MS-XSL-G01', '', '否']]);
    const body = await (await upload(secretary, file, false)).json();
    expect(body.problems.map((p: any) => p.code)).toEqual(['area_out_of_scope', 'role_not_allowed']);
  });

  it('says what is wrong with a file that is no roster', async () => {
    const notXlsx = await (await upload(admin, new Blob(['姓名,职务\n张三,网格员']), true, 'roster.csv')).json();
    expect(notXlsx.code).toBe('import_unreadable');
    const noColumns = await (await upload(admin, await roster([['张三', '网格员']], ['名字', '岗']), true)).json();
    expect(noColumns.preview.problems.map((p: any) => [p.code, p.value])).toEqual([['missing_column', '姓名'], ['missing_column', '职务'], ['missing_column', '所属网格']]);
    const noFile = await t.app.request('http://localhost/api/admin/staff/import', { method: 'POST', headers: { cookie: admin }, body: new FormData() });
    expect(await noFile.json()).toMatchObject({ code: 'required', field: 'file' });
    const worker = await signIn(t, 'xsl-g01-zhao');
    expect((await (await upload(worker, await roster([]), true)).json()).code).toBe('not_admin');
  });
});

describe('npm run import -- staff on an embedded database', () => {
  let database: Awaited<ReturnType<typeof emptyDatabaseFor>>;
  let dir: string;
  const file = join(tmpdir(), `roster-${process.pid}.xlsx`);

  beforeAll(async () => {
    database = await emptyDatabaseFor('pglite');
    dir = database.env.DATA_DIR;
    const db = await openDatabase({ dataDir: dir });
    await db.rows(sql`INSERT INTO areas (id, level, name, geom) VALUES ('S1', 'street', '测试街道',
      ST_Multi(ST_MakeEnvelope(113.2, 35.2, 113.3, 35.3, 4326))) RETURNING id`);
    await db.close();
  });
  afterAll(async () => { await database?.drop(); });

  it('lists the problems with their rows and exits 1, then imports a clean file', async () => {
    writeFileSync(file, Buffer.from(await (await roster([['张三', '网格员', '没有的网格', '', '否'], ['李四', '书记', 'S1', '12', '是']])).arrayBuffer()));
    const refused = await runScript('scripts/import.ts', ['staff', file], { DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/第 3 行 row 3 · area: no grid or community "没有的网格"/);
    expect(refused.output).toMatch(/第 4 行 row 4 · phone/);
    writeFileSync(file, Buffer.from(await (await roster([['李四', '书记', '测试街道', '139-0000-1234', '是']])).arrayBuffer()));
    const dry = await runScript('scripts/import.ts', ['staff', file, '--dry-run'], { DATA_DIR: dir });
    expect(dry.output).toContain('1 人 people would be imported');
    const done = await runScript('scripts/import.ts', ['staff', file], { DATA_DIR: dir });
    expect(done.code, done.output).toBe(0);
    const db = await openDatabase({ dataDir: dir });
    expect(await db.rows(sql`SELECT name, role, area_id FROM staff`)).toEqual([{ name: '李四', role: 'secretary', area_id: 'S1' }]);
    await db.close();
  }, 120_000); // three runs of the command, each a PGlite start on disk: ≈10–40 s each on a loaded machine (as durability.test.ts)
});
