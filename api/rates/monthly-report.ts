import ExcelJS from 'exceljs';
import type { RateRow, RatesAnswer, RatesTrend } from '../contract/rates.ts';
import { enRateNames, zhCNRateNames, type RateKey, type RateNames } from '../contract/rate-names.ts';
import { enListNames, zhCNListNames } from '../contract/lists.ts';
import { enCareNames, zhCNCareNames } from '../contract/care.ts';
import type { WorkReport } from './work-report.ts';

const rateKeys: RateKey[] = ['response', 'resolution', 'satisfaction'];
const percent = '0.0%';

/**
 * The monthly report a street (or community) sends up, as an .xlsx workbook: the summary with the
 * three rates and their counts, the rates by area and by worker, the 12-month trend, and each
 * rate's definition — the same figures /rates shows, from the same `loadRates`.
 */
export async function monthlyReport(parts: RatesAnswer, workers: RatesAnswer | null, trend: RatesTrend, work: WorkReport, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Buffer> {
  const words = lang === 'en' ? enRateNames : zhCNRateNames;
  const areaName = parts.area.name || words.wholeInstallation;
  const month = parts.period.from.slice(0, 7);
  const book = new ExcelJS.Workbook();
  book.creator = '一图 Grid Map';
  book.created = new Date(parts.asOf);

  const summary = book.addWorksheet(words.report.sheets.summary);
  summary.columns = [{ width: 22 }, { width: 14 }, { width: 10 }, { width: 10 }, { width: 90 }];
  summary.addRow([words.report.title(areaName, month)]).font = { bold: true, size: 14 };
  summary.addRow([`${parts.period.from} – ${parts.period.to}`, '', '', '', words.cohortNote]);
  summary.addRow([words.report.generated, shanghaiTime(parts.asOf)]);
  summary.addRow([]);
  summary.addRow([words.report.figure, words.report.rate, words.counts.met, words.counts.due]).font = { bold: true };
  for (const key of rateKeys) {
    const r = parts.total[key];
    const row = summary.addRow([words.rates[key].name, r.rate, r.met, r.due, words.rates[key].definition]);
    row.getCell(2).numFmt = percent;
    row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
  }
  summary.addRow([]);
  for (const key of ['filed', 'open', 'overdueOpen', 'resolved', 'notYetDue', 'refused'] as const) {
    summary.addRow([words.counts[key], parts.total[key]]);
  }
  summary.addRow([]);
  summary.addRow([words.refusedNote]);

  rateTable(book.addWorksheet(words.report.sheets.parts), words, words.report.part, parts.rows);
  if (workers) rateTable(book.addWorksheet(words.report.sheets.workers), words, words.report.worker, workers.rows);
  rateTable(book.addWorksheet(words.report.sheets.trend), words, words.report.month, trend.months.map((t) => ({ ...t, name: t.month })));

  workSheet(book.addWorksheet(words.report.sheets.work), work, lang);

  const definitions = book.addWorksheet(words.report.sheets.definitions);
  definitions.columns = [{ width: 22 }, { width: 100 }];
  for (const key of rateKeys) {
    definitions.addRow([words.rates[key].name, words.rates[key].definition]).getCell(2).alignment = { wrapText: true };
  }
  definitions.addRow([words.counts.refused, words.refusedNote]);
  definitions.addRow(['', words.cohortNote]);

  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One row per area, worker or month: name, counts, then each rate as a percentage with met/due. */
function rateTable(sheet: ExcelJS.Worksheet, words: RateNames, first: string, rows: RateRow[]) {
  sheet.columns = [
    { header: first, width: 22 },
    ...(['filed', 'open', 'overdueOpen', 'resolved', 'refused'] as const).map((k) => ({ header: words.counts[k], width: 10 })),
    ...rateKeys.flatMap((k) => [
      { header: words.rates[k].name, width: 12 },
      { header: `${words.rates[k].name} ${words.counts.met}/${words.counts.due}`, width: 16 },
    ]),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) {
    const row = sheet.addRow([
      r.name ?? words.unassigned, r.filed, r.open, r.overdueOpen, r.resolved, r.refused,
      ...rateKeys.flatMap((k) => [r[k].rate, `${r[k].met}/${r[k].due}`]),
    ]);
    rateKeys.forEach((_, i) => { row.getCell(7 + i * 2).numFmt = percent; });
  }
}

const shanghaiTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The month's work: the needs and projects lists, wishes by step, care households by colour, visits. */
function workSheet(sheet: ExcelJS.Worksheet, work: WorkReport, lang: 'zh-CN' | 'en') {
  const w = (lang === 'en' ? enRateNames : zhCNRateNames).report.work;
  const lists = lang === 'en' ? enListNames : zhCNListNames;
  const care = lang === 'en' ? enCareNames : zhCNCareNames;
  const name = <K extends string>(names: Record<K, string>, key: string) => names[key as K] ?? key;
  sheet.columns = [{ width: 24 }, { width: 16 }, { width: 28 }, { width: 12 }, { width: 12 }, { width: 40 }, { width: 50 }];
  const heading = (text: string, columns: string[] = []) => {
    sheet.addRow([]);
    sheet.addRow([text]).font = { bold: true, size: 12 };
    if (columns.length) sheet.addRow(columns).font = { bold: true };
  };
  heading(w.needs, w.needColumns);
  for (const n of work.needs) sheet.addRow([n.grid, name(lists.needKinds, n.kind), n.title, n.households, name(lists.needStatuses, n.status), n.projects]);
  if (!work.needs.length) sheet.addRow([w.none]);
  heading(w.projects, w.projectColumns);
  for (const p of work.projects) sheet.addRow([p.title, name(lists.projectStatuses, p.status), p.startsOn ?? '', p.endsOn ?? '', p.participants ?? '', p.outcome ?? '', p.progress ?? '']);
  if (!work.projects.length) sheet.addRow([w.none]);
  heading(w.wishes);
  for (const s of work.wishes) sheet.addRow([name(lists.wishStatuses, s.status), s.n]);
  if (!work.wishes.length) sheet.addRow([w.none]);
  heading(w.care, w.careColumns);
  for (const c of work.care) sheet.addRow([name(care.schemes, c.scheme), name(care.colours, c.colour), c.households, c.visited]);
  if (!work.care.length) sheet.addRow([w.none]);
  heading(w.visits);
  for (const key of Object.keys(w.visitRows) as (keyof typeof w.visitRows)[]) sheet.addRow([w.visitRows[key], work.visits[key]]);
  sheet.getColumn(6).alignment = { wrapText: true, vertical: 'top' };
  sheet.getColumn(7).alignment = { wrapText: true, vertical: 'top' };
}
