import { Hono } from 'hono';
import type { Database } from '../db/client.ts';
import { currentUser } from '../auth/session.ts';
import { isWorkingRole } from '../contract/vocabulary.ts';
import { MonthlyReportQuery, RatesAnswer, RatesQuery, RatesTrend, TrendQuery } from '../contract/rates.ts';
import { ApiError, unauthorized } from '../errors.ts';
import { query } from '../validate.ts';
import { defaultBreakdown, loadRates, loadTrend, periodOf, ratesArea } from '../rates/rates.ts';
import { monthlyReport } from '../rates/monthly-report.ts';
import { loadWorkReport } from '../rates/work-report.ts';

/** The staff member asking, if they work requests: the rates name workers, so they are never public. */
async function staffUser(c: Parameters<typeof currentUser>[0], database: Database) {
  const user = await currentUser(c, database);
  if (!user) throw unauthorized();
  if (!isWorkingRole(user.role)) throw new ApiError('out_of_scope', 'the rates are for staff who work requests');
  return user;
}

/** /api/rates (三率) and /api/reports/monthly.xlsx (the monthly report): staff in scope only. */
export const rateRoutes = (database: Database) => new Hono()
  .get('/rates', query(RatesQuery), async (c) => {
    const user = await staffUser(c, database);
    const q = c.req.valid('query');
    const area = await ratesArea(database, user, q.area);
    const answer = await loadRates(database, area, periodOf(q), q.by ?? defaultBreakdown(area.level));
    return c.json(RatesAnswer.parse(answer));
  })

  .get('/rates/trend', query(TrendQuery), async (c) => {
    const user = await staffUser(c, database);
    const q = c.req.valid('query');
    const area = await ratesArea(database, user, q.area);
    const month = q.month ?? periodOf({}).to.slice(0, 7);
    return c.json(RatesTrend.parse(await loadTrend(database, area, month)));
  })

  .get('/reports/monthly.xlsx', query(MonthlyReportQuery), async (c) => {
    const user = await staffUser(c, database);
    const q = c.req.valid('query');
    const area = await ratesArea(database, user, q.area);
    const period = periodOf({ month: q.month });
    const asOf = new Date();
    const parts = await loadRates(database, area, period, defaultBreakdown(area.level), asOf);
    const workers = parts.by === 'worker' ? null : await loadRates(database, area, period, 'worker', asOf);
    const trend = await loadTrend(database, area, q.month, asOf);
    const work = await loadWorkReport(database, area, period);
    const body = await monthlyReport(parts, workers, trend, work, q.lang);
    const file = `monthly-report-${area.id ?? 'all'}-${q.month}.xlsx`;
    return c.body(new Uint8Array(body), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    });
  });
