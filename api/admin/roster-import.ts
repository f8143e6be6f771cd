import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { staffRoles, type StaffRole } from '../contract/vocabulary.ts';
import { enNames, zhCNNames } from '../contract/names.ts';
import { phonePattern } from '../contract/admin.ts';
import type { StaffUser } from '../contract/wire.ts';
import { newStaffId } from '../auth/admin.ts';
import { ApiError } from '../errors.ts';
import { assignableRoles, inManagedAreas } from './scope.ts';

// The 花名册 a street keeps, imported whole: upload → preview with every problem of every row →
// import all or nothing → report. Columns by their Chinese headings (English ones work too):
// 姓名 name, 职务 role, 所属网格 area (its id or its name), 电话 phone, 是否公开 public phone.

export const rosterColumns = {
  name: ['姓名', 'name'],
  role: ['职务', '岗位', 'role'],
  area: ['所属网格', '所属区域', '网格', 'area', 'areaid'],
  phone: ['电话', '手机', '联系电话', 'phone'],
  phonePublic: ['是否公开', '电话公开', 'public', 'phonepublic'],
} as const;
type Column = keyof typeof rosterColumns;

/** Why a row cannot be imported; `row` is the spreadsheet's own row number (as Excel shows it). */
export type RosterProblem = { row: number; field: Column | 'file'; code: RosterProblemCode; value: string; message: string };
export const rosterProblemCodes = ['missing_column', 'missing_name', 'unknown_role', 'role_not_allowed', 'unknown_area', 'ambiguous_area',
  'area_out_of_scope', 'bad_phone', 'bad_public', 'duplicate_in_file', 'already_on_roster'] as const;
export type RosterProblemCode = (typeof rosterProblemCodes)[number];

export type RosterRow = { row: number; name: string; role: StaffRole; areaId: string; areaName: string; phone: string | null; phonePublic: boolean };
export type RosterPreview = { rows: RosterRow[]; problems: RosterProblem[]; total: number };

const maxRows = 5000;
const yes = new Set(['是', '公开', 'y', 'yes', 'true', '1', '√', '✓']);
const no = new Set(['否', '不公开', 'n', 'no', 'false', '0', '']);

/** 职务 as written (网格员, 社区党委书记, 书记, grid_worker …) → the role code. */
const roleByWord = new Map<string, StaffRole>([
  ...staffRoles.map((r) => [r, r] as [string, StaffRole]),
  ...staffRoles.map((r) => [zhCNNames.roles[r], r] as [string, StaffRole]),
  ...staffRoles.map((r) => [enNames.roles[r].toLowerCase(), r] as [string, StaffRole]),
  ['书记', 'secretary'], ['社区书记', 'secretary'], ['党员户', 'party_household'], ['专职网格员', 'grid_worker'], ['兼职网格员', 'grid_worker'],
]);

const text = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('text' in value) return String(value.text).trim();
    if ('result' in value) return String(value.result ?? '').trim();
    if (value instanceof Date) return value.toISOString();
  }
  return String(value).trim();
};

/** The rows of the first sheet, by column, each with its row number; a missing column is a problem of the file. */
export async function readRosterFile(bytes: ArrayBuffer | Buffer): Promise<{ rows: { row: number; cells: Record<Column, string> }[]; problems: RosterProblem[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as ArrayBuffer);
  } catch (error) {
    throw new ApiError('import_unreadable', 'this is not an .xlsx workbook: save the roster from Excel or WPS as .xlsx and upload it again', { file: 'xlsx' }, { cause: error });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ApiError('import_unreadable', 'the workbook has no sheet', { file: 'xlsx' });
  // the heading row: the first of the first ten rows that names a 姓名 column (a title row may stand above it)
  let headingRow = 0;
  const at: Partial<Record<Column, number>> = {};
  for (let r = 1; r <= Math.min(10, sheet.rowCount) && !headingRow; r++) {
    const cells = sheet.getRow(r);
    cells.eachCell((cell, col) => {
      const heading = text(cell.value).replace(/\s+/g, '').toLowerCase();
      for (const [column, names] of Object.entries(rosterColumns) as [Column, readonly string[]][]) {
        if (names.includes(heading) && at[column] === undefined) at[column] = col;
      }
    });
    if (at.name !== undefined) headingRow = r;
  }
  const problems: RosterProblem[] = [];
  for (const column of ['name', 'role', 'area'] as const) {
    if (at[column] === undefined) {
      problems.push({ row: headingRow || 1, field: 'file', code: 'missing_column', value: rosterColumns[column][0],
        message: `no column ${rosterColumns[column][0]}: the heading row must name it (download the template)` });
    }
  }
  if (problems.length) return { rows: [], problems };
  const rows: { row: number; cells: Record<Column, string> }[] = [];
  for (let r = headingRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = Object.fromEntries((Object.keys(rosterColumns) as Column[]).map((c) => [c, at[c] ? text(row.getCell(at[c]!).value) : ''])) as Record<Column, string>;
    if (Object.values(cells).every((v) => v === '')) continue; // blank lines between blocks
    rows.push({ row: r, cells });
    if (rows.length > maxRows) throw new ApiError('import_unreadable', `more than ${maxRows} people in one roster: split the file`, { file: 'xlsx', maximum: maxRows });
  }
  return { rows, problems };
}

/** Every row checked against the vocabulary, the areas this administrator manages and the roster as it stands. */
export async function previewRoster(database: Database, user: StaffUser, bytes: ArrayBuffer | Buffer): Promise<RosterPreview> {
  const file = await readRosterFile(bytes);
  const problems = [...file.problems];
  const areas = await database.rows<{ id: string; name: string; managed: boolean }>(sql`
    SELECT id, name, ${inManagedAreas(user, sql`id`)} AS managed FROM areas`);
  const byId = new Map(areas.map((a) => [a.id.toLowerCase(), a]));
  const byName = new Map<string, typeof areas>();
  for (const a of areas) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
  const onRoster = new Set((await database.rows<{ key: string }>(sql`SELECT name || '|' || coalesce(area_id, '') AS key FROM staff`)).map((r) => r.key));
  const allowed = assignableRoles(user);
  const seen = new Map<string, number>();
  const rows: RosterRow[] = [];

  for (const { row, cells } of file.rows) {
    const problem = (field: Column, code: RosterProblemCode, message: string) => problems.push({ row, field, code, value: cells[field], message });
    const before = problems.length;
    if (!cells.name) problem('name', 'missing_name', 'the name (姓名) is empty');
    const role = roleByWord.get(cells.role) ?? roleByWord.get(cells.role.toLowerCase());
    if (!role) problem('role', 'unknown_role', `unknown role (职务) "${cells.role}": write one of ${staffRoles.map((r) => zhCNNames.roles[r]).join('、')}`);
    else if (!allowed.includes(role)) problem('role', 'role_not_allowed', `you cannot give the role ${zhCNNames.roles[role]}`);
    const matches = byId.has(cells.area.toLowerCase()) ? [byId.get(cells.area.toLowerCase())!] : (byName.get(cells.area) ?? []);
    if (matches.length === 0) problem('area', 'unknown_area', `no grid or community "${cells.area}": write its code (e.g. MS-XSL-G01) or its exact name`);
    else if (matches.length > 1) problem('area', 'ambiguous_area', `"${cells.area}" names ${matches.length} areas: write the code instead (${matches.map((m) => m.id).join(', ')})`);
    else if (!matches[0].managed) problem('area', 'area_out_of_scope', `${cells.area} is outside your area`);
    const phone = cells.phone.replace(/[（(].*$/, '').trim() || null;
    if (phone && !phonePattern.test(phone)) problem('phone', 'bad_phone', `"${cells.phone}" is not a phone number (digits, spaces, dashes; 5–20 characters)`);
    const publicWord = cells.phonePublic.toLowerCase();
    if (!yes.has(publicWord) && !no.has(publicWord)) problem('phonePublic', 'bad_public', `是否公开 must be 是 or 否, not "${cells.phonePublic}"`);
    const area = matches.length === 1 ? matches[0] : null;
    if (cells.name && area) {
      const key = `${cells.name}|${area.id}`;
      if (seen.has(key)) problem('name', 'duplicate_in_file', `${cells.name} of ${area.name} is also on row ${seen.get(key)}`);
      else if (onRoster.has(key)) problem('name', 'already_on_roster', `${cells.name} of ${area.name} is on the roster already: edit them in the console instead`);
      seen.set(key, seen.get(key) ?? row);
    }
    if (problems.length === before && role && area) {
      rows.push({ row, name: cells.name, role, areaId: area.id, areaName: area.name, phone, phonePublic: yes.has(publicWord) });
    }
  }
  return { rows, problems, total: file.rows.length };
}

/**
 * Imports the roster all or nothing: with any problem nothing is written (422 import_problems with
 * every problem); else every person in one transaction, with one admin_events row for the file.
 * Accounts are made afterwards, one by one, in the console or with `npm run user`.
 */
export async function importRoster(database: Database, user: StaffUser, bytes: ArrayBuffer | Buffer, fileName: string) {
  const preview = await previewRoster(database, user, bytes);
  if (preview.problems.length) {
    throw new ApiError('import_problems', `${preview.problems.length} problem(s) in the roster; nothing was imported`, { problems: preview.problems });
  }
  const ids = preview.rows.map(() => newStaffId());
  await database.db.transaction(async (tx) => {
    for (const [i, r] of preview.rows.entries()) {
      await tx.execute(sql`INSERT INTO staff (id, name, role, phone, phone_public, area_id)
        VALUES (${ids[i]}, ${r.name}, ${r.role}, ${r.phone}, ${r.phonePublic}, ${r.areaId})`);
    }
    await tx.execute(sql`INSERT INTO admin_events (actor, action, subject, note)
      VALUES (${user.username}, 'staff_imported', ${fileName.slice(0, 200)}, ${`${preview.rows.length} people`})`);
  });
  return { imported: preview.rows.length, staffIds: ids };
}

/** The template to fill in: the headings, two example lines, and a sheet naming the roles and areas. */
export async function rosterTemplate(database: Database, user: StaffUser): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.columns = [
    { header: '姓名', key: 'name', width: 12 }, { header: '职务', key: 'role', width: 14 }, { header: '所属网格', key: 'area', width: 22 },
    { header: '电话', key: 'phone', width: 16 }, { header: '是否公开', key: 'public', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  const areas = await database.rows<{ id: string; name: string; level: string }>(sql`
    SELECT id, name, level FROM areas WHERE ${inManagedAreas(user, sql`id`)} ORDER BY id`);
  const grid = areas.find((a) => a.level === 'grid') ?? areas[0];
  sheet.addRow({ name: '张三（示例，请删除）', role: zhCNNames.roles.grid_worker, area: grid?.id ?? 'MS-XSL-G01', phone: '139-0000-0000', public: '是' });
  const help = workbook.addWorksheet('填写说明');
  help.addRow(['职务可填', ...assignableRoles(user).map((r) => zhCNNames.roles[r])]);
  help.addRow(['是否公开', '是 / 否（公开的电话居民可以看到）']);
  help.addRow([]);
  help.addRow(['所属网格（填编号或名称）', '名称', '层级']).font = { bold: true };
  for (const a of areas) help.addRow([a.id, a.name, zhCNNames.levels[a.level as keyof typeof zhCNNames.levels] ?? a.level]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
