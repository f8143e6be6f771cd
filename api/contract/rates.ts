import { z } from 'zod';

// 三率 (考核): the response, resolution and satisfaction rates of an area and its parts for a
// period, as they cross the wire. The definitions are in api/rates/rates.ts; the pages write them
// beside each figure (web/src/lib/i18n: rates.definitions).

/** How a set of rates is broken down: by the areas one level down, or by the worker who holds each request. */
export const rateBreakdowns = ['street', 'community', 'grid', 'worker'] as const;
export type RateBreakdown = (typeof rateBreakdowns)[number];

/** The breakdowns an area offers, the default first: its parts one level down, then further down, then workers. */
export function breakdownsOf(level: string | null): RateBreakdown[] {
  if (level === 'microgrid') return ['worker']; // below the grid, only people
  // above the street (the installation, a district): everything, streets first
  const first = rateBreakdowns.indexOf(level as RateBreakdown) + 1;
  return rateBreakdowns.slice(Math.min(first, rateBreakdowns.length - 1));
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'must be a real calendar date' });

/** GET /api/rates: an area (default: the staff member's own), a period of Asia/Shanghai days, a breakdown. */
export const RatesQuery = z.object({
  area: z.string().trim().min(1).max(80).optional(),
  from: day.optional(),
  to: day.optional(),
  /** a whole month, YYYY-MM: shorthand for from = its first day, to = its last */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM' }).optional(),
  by: z.enum(rateBreakdowns, { error: `by must be one of: ${rateBreakdowns.join(', ')}` }).optional(),
});
export type RatesQuery = z.infer<typeof RatesQuery>;

/** GET /api/reports/monthly.xlsx */
export const MonthlyReportQuery = z.object({
  area: z.string().trim().min(1).max(80).optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM' }),
  lang: z.enum(['zh-CN', 'en'], { error: 'lang must be zh-CN or en' }).default('zh-CN'),
});

/** One rate: how many met it out of how many were due; `rate` is null when nothing was due (not 0%, not 100%). */
export const Rate = z.object({ met: z.number().int(), due: z.number().int(), rate: z.number().nullable() });
export type Rate = z.infer<typeof Rate>;

/** The counts behind the rates, and the rates, of one row (the area itself, a part of it, or a worker). */
export const RateRow = z.object({
  id: z.string().nullable(), // null: requests nobody holds (worker breakdown)
  name: z.string().nullable(),
  filed: z.number().int(), // filed in the period, refused ones included
  refused: z.number().int(), // rejected or duplicate: outside every rate, counted here
  open: z.number().int(),
  overdueOpen: z.number().int(),
  resolved: z.number().int(),
  notYetDue: z.number().int(), // open and within both deadlines: judged later
  response: Rate,
  resolution: Rate,
  satisfaction: Rate,
});
export type RateRow = z.infer<typeof RateRow>;

export const RatesAnswer = z.object({
  area: z.object({ id: z.string().nullable(), name: z.string(), level: z.string().nullable() }),
  period: z.object({ from: z.string(), to: z.string() }),
  asOf: z.string(),
  by: z.enum(rateBreakdowns).nullable(),
  total: RateRow,
  rows: z.array(RateRow),
});
export type RatesAnswer = z.infer<typeof RatesAnswer>;

/** GET /api/rates/trend: the twelve months ending with `month` (default: the current one), oldest first. */
export const TrendQuery = z.object({
  area: z.string().trim().min(1).max(80).optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM' }).optional(),
});

export const RatesTrend = z.object({
  area: z.object({ id: z.string().nullable(), name: z.string(), level: z.string().nullable() }),
  asOf: z.string(),
  months: z.array(RateRow.extend({ month: z.string() })),
});
export type RatesTrend = z.infer<typeof RatesTrend>;
