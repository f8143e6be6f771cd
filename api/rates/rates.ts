import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { openStatuses, ratingRange, refusedStatuses, resolvedStatuses } from '../contract/vocabulary.ts';
import { breakdownsOf, type Rate, type RateBreakdown, type RateRow, type RatesAnswer, type RatesTrend } from '../contract/rates.ts';
import { sqlList } from '../db/sql-list.ts';
import { settledSql } from '../db/settled.ts';
import { ApiError, forbidden } from '../errors.ts';
import { installationAdmin, type StaffUser } from '../auth/session.ts';

/*
 * 三率 (考核), with honest denominators. The cohort is every request FILED in the period (Asia/Shanghai
 * days, `from` and `to` inclusive), judged as it stands at `asOf` (now):
 *
 * - response rate (响应率): claimed (or dispatched) by its claim deadline ÷ requests whose claim is
 *   due — claimed at any time, or still unclaimed with the claim deadline passed. An unclaimed
 *   request past its deadline counts against the rate; one still within it is not judged yet.
 * - resolution rate (按期解决率): resolved (or revisited, archived) by its resolve deadline ÷ requests
 *   whose resolution is due — resolved at any time, or still open with the resolve deadline passed.
 *   "Closed on time ÷ closed" would read 100% while overdue cases sit open; here they count against.
 *   A poor rating reopens a request and restarts its clock (api/loop/moves.ts rate), so a reopened
 *   request counts as due again, against the new deadline.
 * - satisfaction rate (满意率): ratings above `ratingRange.reopenAtMost` (3–5 stars: 基本满意 and
 *   better) ÷ rated requests. Unrated ones are not guessed either way; `resolved` beside it says how
 *   many could have been rated.
 * - rejected and duplicate requests (不予受理, 重复) are outside all three rates and counted as `refused`:
 *   a duplicate is counted in its original; a rejection is audited with its reason.
 */

const refused = sql`r.status IN ${sqlList(refusedStatuses)}`;
const resolved = sql`r.status IN ${sqlList(resolvedStatuses)}`;
const open = sql`r.status IN ${sqlList(openStatuses)}`;

/** The counts every rate is made of, as aggregate columns over `requests r`, judged at `asOf`. */
function countsSql(asOf: SQL): SQL {
  const kept = sql`NOT ${refused}`;
  const due = sql`(CASE WHEN r.status = 'collected' THEN r.claim_deadline WHEN ${open} THEN r.resolve_deadline END)`;
  return sql`
    count(*)::int AS filed,
    count(*) FILTER (WHERE ${refused})::int AS refused,
    count(*) FILTER (WHERE ${open})::int AS open,
    count(*) FILTER (WHERE ${open} AND ${due} < ${asOf})::int AS overdue_open,
    count(*) FILTER (WHERE ${resolved})::int AS resolved,
    count(*) FILTER (WHERE ${open} AND r.claimed_at IS NOT NULL AND r.resolve_deadline >= ${asOf}
      OR r.status = 'collected' AND r.claim_deadline >= ${asOf})::int AS not_yet_due,
    count(*) FILTER (WHERE ${kept} AND (r.claimed_at IS NOT NULL OR r.claim_deadline < ${asOf}))::int AS claim_due,
    count(*) FILTER (WHERE ${kept} AND r.claimed_at <= r.claim_deadline)::int AS claimed_on_time,
    count(*) FILTER (WHERE ${kept} AND (${resolved} OR r.resolve_deadline < ${asOf}))::int AS resolve_due,
    count(*) FILTER (WHERE ${resolved} AND r.resolved_at <= r.resolve_deadline)::int AS resolved_on_time,
    count(*) FILTER (WHERE ${kept} AND r.rating IS NOT NULL)::int AS rated,
    count(*) FILTER (WHERE ${kept} AND r.rating > ${ratingRange.reopenAtMost})::int AS satisfied`;
}

type Counts = {
  filed: number; refused: number; open: number; overdue_open: number; resolved: number; not_yet_due: number;
  claim_due: number; claimed_on_time: number; resolve_due: number; resolved_on_time: number; rated: number; satisfied: number;
};

const rate = (met: number, due: number): Rate => ({ met, due, rate: due ? Math.round((met / due) * 10_000) / 10_000 : null });

function toRow(id: string | null, name: string | null, c: Partial<Counts> | undefined): RateRow {
  const n = (k: keyof Counts) => Number(c?.[k] ?? 0);
  return {
    id, name,
    filed: n('filed'), refused: n('refused'), open: n('open'), overdueOpen: n('overdue_open'), resolved: n('resolved'), notYetDue: n('not_yet_due'),
    response: rate(n('claimed_on_time'), n('claim_due')),
    resolution: rate(n('resolved_on_time'), n('resolve_due')),
    satisfaction: rate(n('satisfied'), n('rated')),
  };
}

export type RatesArea = { id: string | null; name: string; level: string | null };

/** The column of `requests r` that names the request's area at a level, or null above the district (the installation). */
const requestColumn = (level: string): SQL | null => ({
  district: sql`r.district_id`, street: sql`r.street_id`, community: sql`r.community_id`, grid: sql`r.grid_id`, microgrid: sql`r.microgrid_id`,
} as Record<string, SQL>)[level] ?? null;

/** Requests of an area: by its own column on the request, or, above the street, by the streets it holds. */
function inArea(area: RatesArea): SQL {
  if (!area.id || !area.level) return sql`TRUE`;
  const column = requestColumn(area.level);
  if (column) return sql`${column} = ${area.id}`;
  return sql`r.street_id IN (${descendantsSql(area.id)} WHERE d.level = 'street')`;
}

/** `SELECT d.id … FROM d`: every area below `id`, as a recursive walk of parent ids. */
const descendantsSql = (id: string): SQL => sql`
  WITH RECURSIVE d AS (SELECT id, level, name FROM areas WHERE parent_id = ${id}
    UNION ALL SELECT a.id, a.level, a.name FROM areas a JOIN d ON a.parent_id = d.id)
  SELECT d.id FROM d`;

/** The area a staff member asks about: their own by default; another only when it lies within theirs. */
export async function ratesArea(database: Database, user: StaffUser, asked: string | undefined): Promise<RatesArea> {
  if (!asked) {
    if (installationAdmin(user)) return { id: null, name: '', level: null };
    if (!user.areaId) throw forbidden('rates');
    asked = user.areaId;
  }
  const [row] = await database.rows<{ id: string; name: string; level: string; within: boolean }>(sql`
    WITH RECURSIVE up AS (
      SELECT id, parent_id FROM areas WHERE id = ${asked}
      UNION ALL SELECT a.id, a.parent_id FROM areas a JOIN up ON a.id = up.parent_id
    )
    SELECT a.id, a.name, a.level, EXISTS (SELECT 1 FROM up WHERE up.id = ${user.areaId ?? null}) AS within
    FROM areas a WHERE a.id = ${asked}`);
  if (!row) throw new ApiError('area_not_found', `no area ${asked}`, { field: 'area' });
  if (!installationAdmin(user) && !row.within) throw forbidden(`area ${asked}`);
  return { id: row.id, name: row.name, level: row.level };
}

/** The breakdown one level down from an area: the installation → streets → communities → grids → workers. */
export const defaultBreakdown = (level: string | null): RateBreakdown => breakdownsOf(level)[0];

export type Period = { from: string; to: string };

/** `from`/`to`, or a month, as inclusive Asia/Shanghai days; the current month by default. */
export function periodOf(q: { from?: string; to?: string; month?: string }, now = new Date()): Period {
  if (q.month) {
    const [y, m] = q.month.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from: `${q.month}-01`, to: `${q.month}-${String(last).padStart(2, '0')}` };
  }
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = q.from ?? `${(q.to ?? today).slice(0, 7)}-01`;
  const to = q.to ?? today;
  if (from > to) throw new ApiError('invalid_period', `from (${from}) is after to (${to})`, { field: 'from' });
  return { from, to };
}

/** Requests filed in the period: from the start of `from` to the end of `to`, Asia/Shanghai days. */
const filedIn = (p: Period): SQL =>
  sql`r.created_at >= (${p.from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
      AND r.created_at < (${p.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`;

/**
 * Where the counts come from: `rollup` reads the settled requests' counts from `rate_months` and
 * counts the rest live (whole months and area breakdowns only; anything else falls back to the
 * requests); `requests` counts every request live. Both give the same figures
 * (tests/api/rates.test.ts); the second is kept as the rule's plain statement and the bench's baseline.
 */
export type CountsSource = 'rollup' | 'requests';

/**
 * The three rates of an area for a period, and of its parts or workers: one statement (GROUPING
 * SETS gives the parts and the total together), from the rollup and the live unsettled requests
 * when the period is whole months, else one scan of the period's requests on the (area, created_at) indexes.
 */
export async function loadRates(database: Database, area: RatesArea, period: Period, by: RateBreakdown | null, asOf = new Date(), source: CountsSource = 'rollup'): Promise<RatesAnswer> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const months = source === 'rollup' && by !== 'worker' && rollupKey(area) ? wholeMonths(period) : null;
  const key = by === 'worker' ? sql`r.assignee_id` : by ? requestColumn(by)! : sql`NULL::text`;
  const partIds = months && by ? (await partsOf(database, area, by as AreaBreakdown)).map((p) => p.id) : [];
  const counts = months
    ? await database.rows<Counts & { id: string | null; whole: boolean }>(sql`
        SELECT id, whole, ${summedCounts} FROM (${rollupCountsSql(area, months, by as AreaBreakdown | null, partIds, at)}) c GROUP BY id, whole`)
    : await database.rows<Counts & { id: string | null; whole: boolean }>(sql`
        SELECT ${key} AS id, GROUPING(${key}) = 1 AS whole, ${countsSql(at)}
        FROM requests r WHERE ${inArea(area)} AND ${filedIn(period)} GROUP BY GROUPING SETS ((${key}), ())`);
  const total = counts.find((c) => c.whole);
  const parts = counts.filter((c) => !c.whole);
  return {
    area, period, asOf: asOf.toISOString(), by,
    total: toRow(area.id, area.name, total),
    rows: by ? await breakdown(database, area, by, parts) : [],
  };
}

/** The same rates for each of the twelve months ending with `month`, oldest first, each month its own cohort. */
export async function loadTrend(database: Database, area: RatesArea, month: string, asOf = new Date(), source: CountsSource = 'rollup'): Promise<RatesTrend> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const months = monthsEndingWith(month, 12);
  const rows = source === 'rollup' && rollupKey(area)
    ? await database.rows<Counts & { month: string }>(sql`
        SELECT month, ${summedCounts} FROM (${rollupCountsSql(area, months, null, [], at)}) c GROUP BY month`)
    : await database.rows<Counts & { month: string }>(sql`
        SELECT ${monthFiled} AS month, ${countsSql(at)}
        FROM requests r
        WHERE ${inArea(area)} AND ${filedIn({ from: `${months[0]}-01`, to: periodOf({ month }).to })}
        GROUP BY 1`);
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return { area, asOf: asOf.toISOString(), months: months.map((m) => ({ month: m, ...toRow(null, m, byMonth.get(m)) })) };
}

type AreaBreakdown = Exclude<RateBreakdown, 'worker'>;

/** The Asia/Shanghai month a request was filed in, as rate_months keys it. */
const monthFiled = sql`to_char(r.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;

const countNames = ['filed', 'refused', 'open', 'overdue_open', 'resolved', 'not_yet_due', 'claim_due', 'claimed_on_time',
  'resolve_due', 'resolved_on_time', 'rated', 'satisfied'] as const satisfies readonly (keyof Counts)[];
const summedCounts = sql.raw(countNames.map((n) => `sum(c.${n})::int AS ${n}`).join(', '));
/** rate_months holds settled requests only: none of them is open, so none is overdue or not yet due. */
const rollupColumns = sql.raw(countNames.map((n) => (['open', 'overdue_open', 'not_yet_due'].includes(n) ? `0 AS ${n}` : `m.${n}`)).join(', '));

/** The key of an area's own row in rate_months: its id, '*' for the installation; null for a level the requests carry no column of. */
const rollupKey = (area: RatesArea): string | null => (!area.id ? '*' : area.level && requestColumn(area.level) ? area.id : null);

/** The months a period covers when it is whole months (from the 1st of one to the last day of another), else null. */
function wholeMonths(p: Period): string[] | null {
  if (!p.from.endsWith('-01') || periodOf({ month: p.to.slice(0, 7) }).to !== p.to) return null;
  const [fy, fm] = p.from.split('-').map(Number);
  const [ty, tm] = p.to.split('-').map(Number);
  return monthsEndingWith(p.to.slice(0, 7), (ty - fy) * 12 + tm - fm + 1);
}

/**
 * Rows (month, id, whole, the counts) to be summed: the area's own row (`whole`) and, with `by`,
 * its parts' rows of rate_months for the settled requests, and the live counts of the unsettled
 * ones (open, or resolved without a claim) grouped the same way, read on the partial indexes
 * `requests_unsettled_…`. One statement, so one snapshot: a request settling meanwhile is counted once.
 */
function rollupCountsSql(area: RatesArea, months: string[], by: AreaBreakdown | null, partIds: string[], at: SQL): SQL {
  const key = by ? requestColumn(by)! : sql`NULL::text`;
  // the parts' ids as one value: a list the planner sizes right, so each row is read on the primary key
  const parts = by && sql`
    UNION ALL
    SELECT m.month, m.area_id AS id, false AS whole, ${rollupColumns} FROM rate_months m
    WHERE m.month IN ${sqlList(months)} AND m.area_id = ANY (ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(partIds)}::jsonb)))`;
  const from = `${months[0]}-01`;
  const to = periodOf({ month: months[months.length - 1] }).to;
  // the month filed, as the bucket among the months' first instants (worked out once, an InitPlan):
  // cheaper per row than to_char of a time zone conversion, the same month (rates.test.ts compares)
  const starts = [...months, nextMonth(months[months.length - 1])];
  const month = sql`(${`{${months.join(',')}}`}::text[])[width_bucket(r.created_at,
    (SELECT ARRAY[${sql.join(starts.map((m) => sql`(${`${m}-01`}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`), sql`, `)}]))]`;
  return sql`
    SELECT m.month, NULL::text AS id, true AS whole, ${rollupColumns} FROM rate_months m
    WHERE m.area_id = ${rollupKey(area)} AND m.month IN ${sqlList(months)}
    ${parts ?? sql``}
    UNION ALL
    SELECT r.filed_month AS month, ${key} AS id, ${by ? sql`GROUPING(${key}) = 1` : sql`true`} AS whole, ${countsSql(at)}
    FROM (SELECT ${month} AS filed_month, r.* FROM requests r
      WHERE ${inArea(area)} AND ${filedIn({ from, to })} AND NOT ${settledSql()}) r
    GROUP BY ${by ? sql`GROUPING SETS ((r.filed_month, ${key}), (r.filed_month))` : sql`r.filed_month`}`;
}

/** Names the counted parts: every part of the area at that level (those with nothing filed too), or every worker who held one. */
async function breakdown(database: Database, area: RatesArea, by: RateBreakdown, counts: (Counts & { id: string | null })[]): Promise<RateRow[]> {
  const byId = new Map(counts.map((c) => [c.id, c]));
  if (by === 'worker') {
    const ids = counts.map((c) => c.id).filter((id): id is string => id !== null);
    const names = ids.length
      ? await database.rows<{ id: string; name: string }>(sql`SELECT id, name FROM staff WHERE id IN ${sqlList(ids)}`)
      : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    return counts
      .map((c) => toRow(c.id, c.id === null ? null : nameOf.get(c.id) ?? c.id, c))
      .sort((a, b) => (a.id === null ? 1 : b.id === null ? -1 : (a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0));
  }
  return (await partsOf(database, area, by)).map((p) => toRow(p.id, p.name, byId.get(p.id)));
}

/** Every area at level `by` inside the area (all of them for the installation), in id order. */
const partsOf = (database: Database, area: RatesArea, by: AreaBreakdown) => database.rows<{ id: string; name: string }>(area.id
  ? sql`SELECT a.id, a.name FROM areas a WHERE a.level = ${by} AND a.id IN (${descendantsSql(area.id)}) ORDER BY a.id COLLATE "C"`
  : sql`SELECT a.id, a.name FROM areas a WHERE a.level = ${by} ORDER BY a.id COLLATE "C"`);

/** YYYY-MM of the month after `month`. */
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

/** YYYY-MM of the `n` months ending with `last`, oldest first. */
export function monthsEndingWith(last: string, n: number): string[] {
  const [y, m] = last.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}
