import ExcelJS from 'exceljs';
import type { RawRecord } from './index.ts';

/** The first sheet of an .xlsx workbook: its first non-empty row names the columns. */
export async function readXlsx(bytes: Uint8Array): Promise<RawRecord[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  const heading: string[] = [];
  let headingRow = 0;
  const records: RawRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, r) => {
    if (!headingRow) {
      row.eachCell((cell, c) => { heading[c] = cellValue(cell.value)?.toString().trim() ?? ''; });
      headingRow = r;
      return;
    }
    const values: Record<string, unknown> = {};
    let empty = true;
    heading.forEach((h, c) => {
      if (!h) return;
      const v = cellValue(row.getCell(c).value);
      values[h] = v ?? '';
      if (v !== null && v !== '') empty = false;
    });
    if (!empty) records.push({ n: r, values, geometry: null });
  });
  if (!headingRow) throw new Error('the first sheet is empty');
  return records;
}

/** A cell as a number, boolean or text (formulas by their result, rich text joined). */
function cellValue(value: ExcelJS.CellValue): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim();
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
  if ('text' in value) return String(value.text).trim();
  if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  return String(value);
}
