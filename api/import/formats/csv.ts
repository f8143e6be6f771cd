import type { RawRecord } from './index.ts';
import { decodeText } from './text.ts';

/**
 * CSV as Excel, WPS and QGIS write it: comma, semicolon or tab separated (guessed from the
 * heading line), fields in double quotes with "" inside, UTF-8 with or without BOM or GB18030.
 * The first line names the columns; `n` is the line's row number as a spreadsheet shows it.
 */
export async function readCsv(bytes: Uint8Array): Promise<RawRecord[]> {
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const separator = [',', ';', '\t'].map((s) => [s, firstLine.split(s).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const rows = parseRows(text, separator);
  const heading = (rows.shift() ?? []).map((h) => h.trim());
  if (!heading.some(Boolean)) throw new Error('the first line names no columns');
  const records: RawRecord[] = [];
  rows.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return; // blank lines
    const values: Record<string, unknown> = {};
    heading.forEach((h, c) => { if (h) values[h] = cells[c]?.trim() ?? ''; });
    records.push({ n: i + 2, values, geometry: null });
  });
  return records;
}

function parseRows(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === separator) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted field is never closed');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
