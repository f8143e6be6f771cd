import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { modes } from '../helpers/databases.ts';
import { call, signIn } from '../helpers/staff.ts';
import { loadRates, loadTrend, periodOf, type RatesArea } from '../../api/rates/rates.ts';
import { findRequest } from '../../api/loop/request-row.ts';
import { rate } from '../../api/loop/moves.ts';

/*
 * The 三率 are checked two ways: on a month of hand-made requests whose every rate is worked out
 * here by hand (the traps among them: an unclaimed request past its deadline, an open one past its
 * resolve deadline, a request filed at 00:10 Beijing time on the 1st, which is still the previous
 * day in UTC), and on the whole demo history against a second implementation in JavaScript.
 */

const grid = 'MS-XSL-G01';
const asOf = new Date('2020-04-15T00:00:00Z');
/** a Beijing wall-clock time as an instant */
const bj = (local: string) => new Date(`${local}+08:00`).toISOString();

type Made = {
  ticket: string; status: string; created: string; claimDeadline: string; resolveDeadline: string;
  claimedAt?: string; resolvedAt?: string; rating?: number; assignee?: string; grid?: string;
};

/** Writes one request straight into the table: the loop's own moves cannot set past times. */
async function make(t: TestApp, r: Made) {
  const g = r.grid ?? grid;
  const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
    SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM areas WHERE id = ${g}`);
  await t.database.rows(sql`
    INSERT INTO requests (ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id,
      created_at, updated_at, geom, claim_deadline, resolve_deadline, claimed_at, resolved_at, rating, rated_at, assignee_id)
    VALUES (${r.ticket}, 'blocked_drain', '考核测试', 'web', ${r.status}, 'MS', 'MS-XSL', ${g}, ${`${g}-M1`},
      ${r.created}::timestamptz, ${r.created}::timestamptz, ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326),
      ${r.claimDeadline}::timestamptz, ${r.resolveDeadline}::timestamptz, ${r.claimedAt ?? null}::timestamptz,
      ${r.resolvedAt ?? null}::timestamptz, ${r.rating ?? null}, ${r.rating ? r.resolvedAt ?? r.created : null}::timestamptz, ${r.assignee ?? null})
    RETURNING id`);
}

/** The month of March 2020 in one grid: every case the definitions distinguish. */
async function makeMarch(t: TestApp) {
  const day = (d: number, h = 10) => bj(`2020-03-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00`);
  const cases: Made[] = [
    // claimed and resolved in time, rated 5: meets all three
    { ticket: 'T-OK', status: 'archived', created: day(2), claimDeadline: day(2, 12), resolveDeadline: day(3), claimedAt: day(2, 11), resolvedAt: day(2, 20), rating: 5, assignee: 'MS-S007' },
    // claimed late, resolved late, rated 2: due everywhere, meets none
    { ticket: 'T-LATE', status: 'archived', created: day(4), claimDeadline: day(4, 12), resolveDeadline: day(5), claimedAt: day(4, 15), resolvedAt: day(6), rating: 2, assignee: 'MS-S007' },
    // never claimed, deadlines long past: counts against response and resolution
    { ticket: 'T-IGNORED', status: 'collected', created: day(10), claimDeadline: day(10, 12), resolveDeadline: day(11) },
    // claimed in time, still being resolved past its resolve deadline: response met, resolution missed
    { ticket: 'T-STUCK', status: 'resolving', created: day(12), claimDeadline: day(12, 12), resolveDeadline: day(13), claimedAt: day(12, 11), assignee: 'MS-S008' },
    // resolved exactly at the deadline: on time; not rated: outside satisfaction
    { ticket: 'T-EDGE', status: 'resolved', created: day(14), claimDeadline: day(14, 12), resolveDeadline: day(15), claimedAt: day(14, 12), resolvedAt: day(15), assignee: 'MS-S008' },
    // filed late in the month, deadlines after asOf: not judged yet
    { ticket: 'T-FRESH', status: 'collected', created: day(31, 9), claimDeadline: '2020-05-01T00:00:00Z', resolveDeadline: '2020-05-10T00:00:00Z' },
    // rejected and duplicate: outside the rates, counted as refused
    { ticket: 'T-REJ', status: 'rejected', created: day(20), claimDeadline: day(20, 12), resolveDeadline: day(21) },
    { ticket: 'T-DUP', status: 'duplicate', created: day(21), claimDeadline: day(21, 12), resolveDeadline: day(22) },
    // 00:10 on 1 March in Beijing is 29 February in UTC: in March
    { ticket: 'T-FIRST', status: 'revisited', created: bj('2020-03-01T00:10:00'), claimDeadline: bj('2020-03-01T02:00:00'), resolveDeadline: bj('2020-03-02T00:00:00'), claimedAt: bj('2020-03-01T01:00:00'), resolvedAt: bj('2020-03-01T20:00:00'), rating: 4, assignee: 'MS-S007' },
    // 23:30 on 29 February in Beijing: not in March
    { ticket: 'T-FEB', status: 'collected', created: bj('2020-02-29T23:30:00'), claimDeadline: bj('2020-03-01T01:00:00'), resolveDeadline: bj('2020-03-02T00:00:00') },
  ];
  for (const c of cases) await make(t, c);
}

describe.each(modes())('三率 and the monthly report on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode);
    await makeMarch(t);
  });
  afterAll(async () => t?.close());

  it('counts an unclaimed or unresolved request past its deadline against the rates, and leaves what is not yet due out', async () => {
    const a = await loadRates(t.database, { id: grid, name: '', level: 'grid' }, periodOf({ month: '2020-03' }), 'worker', asOf);
    // kept: OK, LATE, IGNORED, STUCK, EDGE, FRESH, FIRST; refused: REJ, DUP
    expect(a.total).toMatchObject({ filed: 9, refused: 2, open: 3, overdueOpen: 2, resolved: 4, notYetDue: 1 });
    // claim due: OK, LATE, IGNORED (past, unclaimed), STUCK, EDGE, FIRST = 6; on time: OK, STUCK, EDGE (at the deadline), FIRST
    expect(a.total.response).toEqual({ met: 4, due: 6, rate: 0.6667 });
    // resolve due: OK, LATE, IGNORED, STUCK, EDGE, FIRST = 6; on time: OK, EDGE, FIRST
    expect(a.total.resolution).toEqual({ met: 3, due: 6, rate: 0.5 });
    // rated: OK (5), LATE (2), FIRST (4): 3 or more is satisfied
    expect(a.total.satisfaction).toEqual({ met: 2, due: 3, rate: 0.6667 });
  });

  it('breaks a grid down by worker, with the requests nobody claimed on a row of their own', async () => {
    const a = await loadRates(t.database, { id: grid, name: '', level: 'grid' }, periodOf({ month: '2020-03' }), 'worker', asOf);
    const byId = Object.fromEntries(a.rows.map((r) => [r.id ?? 'nobody', r]));
    expect(byId['MS-S007']).toMatchObject({ filed: 3, response: { met: 2, due: 3 }, satisfaction: { met: 2, due: 3 } });
    expect(byId['MS-S008']).toMatchObject({ filed: 2, response: { met: 2, due: 2 }, resolution: { met: 1, due: 2 } });
    expect(byId.nobody).toMatchObject({ filed: 4, refused: 2, response: { met: 0, due: 1 }, resolution: { met: 0, due: 1 } });
    expect(a.rows.at(-1)!.id).toBeNull();
  });

  it('says null, not 0% or 100%, for a rate with nothing due', async () => {
    const a = await loadRates(t.database, { id: 'MS-XSL-G02', name: '', level: 'grid' }, periodOf({ month: '2020-03' }), null, asOf);
    expect(a.total.filed).toBe(0);
    expect(a.total.response).toEqual({ met: 0, due: 0, rate: null });
  });

  it('lists every grid of a community, those with nothing filed too, and twelve months of trend ending with the period', async () => {
    const a = await loadRates(t.database, { id: 'MS-XSL', name: '学生路社区', level: 'community' }, periodOf({ month: '2020-03' }), 'grid', asOf);
    expect(a.rows).toHaveLength(12);
    expect(a.rows.find((r) => r.id === grid)!.filed).toBe(9);
    expect(a.rows.filter((r) => r.id !== grid).every((r) => r.filed === 0)).toBe(true);
    const trend = await loadTrend(t.database, { id: 'MS-XSL', name: '学生路社区', level: 'community' }, '2020-03', asOf);
    expect(trend.months.map((m) => m.month)).toEqual(['2019-04', '2019-05', '2019-06', '2019-07', '2019-08', '2019-09', '2019-10', '2019-11', '2019-12', '2020-01', '2020-02', '2020-03']);
    expect(trend.months.at(-1)!).toMatchObject({ filed: 9, response: { met: 4, due: 6 } });
    expect(trend.months.at(-2)!.filed).toBe(1); // T-FEB
  });

  it('agrees with a second implementation over the whole demo history, per community', async () => {
    const now = new Date();
    const rows = await t.database.rows<{
      community_id: string; status: string; created_at: string; claimed_at: string | null; resolved_at: string | null;
      claim_deadline: string; resolve_deadline: string; rating: number | null;
    }>(sql`SELECT community_id, status, to_json(created_at) #>> '{}' AS created_at, to_json(claimed_at) #>> '{}' AS claimed_at,
      to_json(resolved_at) #>> '{}' AS resolved_at, to_json(claim_deadline) #>> '{}' AS claim_deadline,
      to_json(resolve_deadline) #>> '{}' AS resolve_deadline, rating FROM requests`);
    const from = new Date(now.getTime() - 120 * 86400_000);
    const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const period = { from: day(from), to: day(now) };
    const start = Date.parse(`${period.from}T00:00:00+08:00`);
    const a = await loadRates(t.database, { id: 'MS', name: '民生街道', level: 'street' }, period, 'community', now);
    expect(a.rows.length).toBeGreaterThan(1);
    let judged = 0;
    for (const row of a.rows) {
      const mine = rows.filter((r) => r.community_id === row.id && Date.parse(r.created_at) >= start && Date.parse(r.created_at) <= now.getTime());
      const kept = mine.filter((r) => !['rejected', 'duplicate'].includes(r.status));
      const ms = (s: string | null) => (s === null ? NaN : Date.parse(s));
      const done = (r: (typeof rows)[number]) => ['resolved', 'revisited', 'archived'].includes(r.status);
      const claimDue = kept.filter((r) => r.claimed_at !== null || ms(r.claim_deadline) < now.getTime());
      const resolveDue = kept.filter((r) => done(r) || ms(r.resolve_deadline) < now.getTime());
      const rated = kept.filter((r) => r.rating !== null);
      expect(row.filed).toBe(mine.length);
      expect(row.response).toMatchObject({ due: claimDue.length, met: claimDue.filter((r) => ms(r.claimed_at) <= ms(r.claim_deadline)).length });
      expect(row.resolution).toMatchObject({ due: resolveDue.length, met: resolveDue.filter((r) => done(r) && ms(r.resolved_at) <= ms(r.resolve_deadline)).length });
      expect(row.satisfaction).toMatchObject({ due: rated.length, met: rated.filter((r) => r.rating! >= 3).length });
      judged += claimDue.length;
    }
    expect(judged).toBeGreaterThan(50); // the demo history is there, not an empty comparison
  });

  it('answers staff in scope over HTTP, and refuses others with a code', async () => {
    const anonymous = await t.get('/api/rates?month=2020-03');
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).code).toBe('sign_in_required');

    const secretary = await signIn(t, 'xsl-shuji');
    const own = await call(t, 'GET', '/api/rates?month=2020-03', { cookie: secretary });
    expect(own.status).toBe(200);
    const body = await own.json();
    expect(body.area).toMatchObject({ id: 'MS-XSL', level: 'community' });
    expect(body.by).toBe('grid');
    expect(body.total.filed).toBe(9);

    const other = await call(t, 'GET', '/api/rates?month=2020-03&area=MS-MZL', { cookie: secretary });
    expect(other.status).toBe(403);
    expect((await other.json()).code).toBe('out_of_scope');
    const street = await call(t, 'GET', '/api/rates?month=2020-03&area=MS', { cookie: secretary });
    expect(street.status).toBe(403);

    const trend = await call(t, 'GET', '/api/rates/trend?month=2020-03', { cookie: secretary });
    expect(trend.status).toBe(200);
    expect((await trend.json()).months.at(-1).filed).toBe(9);
    expect((await call(t, 'GET', '/api/rates/trend?area=MS-MZL', { cookie: secretary })).status).toBe(403);

    const worker = await signIn(t, 'xsl-g01-zhao');
    const mine = await call(t, 'GET', `/api/rates?month=2020-03&area=${grid}`, { cookie: worker });
    expect(mine.status).toBe(200);
    const neighbour = await call(t, 'GET', '/api/rates?month=2020-03&area=MS-XSL-G02', { cookie: worker });
    expect(neighbour.status).toBe(403);
  });

  it('refuses a bad period with a code that names the field', async () => {
    const cookie = await signIn(t, 'admin');
    const cases: [string, string, string][] = [
      ['/api/rates?month=2020-13', 'invalid_value', 'month'],
      ['/api/rates?from=2020-02-30', 'invalid_value', 'from'],
      ['/api/rates?from=2020-03-10&to=2020-03-01', 'invalid_period', 'from'],
      ['/api/rates?by=planet', 'invalid_value', 'by'],
      ['/api/rates?area=NOPE', 'area_not_found', 'area'],
      ['/api/rates?area=%00', 'nul_character', ''],
      ['/api/reports/monthly.xlsx', 'required', 'month'],
      ['/api/rates/trend?month=2020-1', 'invalid_value', 'month'],
    ];
    for (const [path, code, field] of cases) {
      const res = await call(t, 'GET', path, { cookie });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      const body = await res.json();
      expect(body.code, path).toBe(code);
      if (field) expect(body.field, path).toBe(field);
    }
  });

  it('writes the monthly report as a workbook with the same figures and the definitions, in Chinese', async () => {
    const cookie = await signIn(t, 'xsl-shuji');
    // a need whose residents' words and household are markers: the report names the need, never them
    const marker = `MARKER-${Date.now()}`;
    const added = await call(t, 'POST', '/api/lists/needs', { cookie, body: { gridId: 'MS-XSL-G01', kind: 'other', title: '月报测试需求', households: 3, detail: `${marker}-words`, household: `${marker}-who` } });
    expect(added.status).toBe(201);
    const res = await call(t, 'GET', '/api/reports/monthly.xlsx?month=2020-03', { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['概览', '分区三率', '网格员三率', '近12个月趋势', '清单台账走访', '指标说明']);
    const summary = book.getWorksheet('概览')!;
    expect(String(summary.getCell('A1').value)).toContain('学生路社区 2020年3月');
    const response = summary.getRows(1, 20)!.find((r) => r.getCell(1).value === '响应率')!;
    // judged now, not at asOf: T-FRESH's deadlines have passed since, so it is due (and missed) too
    expect([response.getCell(3).value, response.getCell(4).value]).toEqual([4, 7]);
    expect(String(response.getCell(5).value)).toContain('超时未认领的计入分母');
    const grids = book.getWorksheet('分区三率')!;
    expect(grids.rowCount).toBe(13); // header + 12 grids

    // the lists, the care ledger and the visits of the community (issue 11 §4): staff's words and counts, nothing sealed
    const work = book.getWorksheet('清单台账走访')!;
    const cells = work.getSheetValues().flat().filter((v) => typeof v === 'string' || typeof v === 'number') as (string | number)[];
    expect(cells).toEqual(expect.arrayContaining(['群众需求清单', '项目服务清单', '关爱台账（户数）', '走访巡查（本月）', '金秋养生，健康同行']));
    expect(cells).toContain('月报测试需求');
    const [needs] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM list_needs WHERE community_id = 'MS-XSL'`);
    const needRows = work.getSheetValues().filter((r) => Array.isArray(r) && typeof r[4] === 'number' && typeof r[5] === 'string');
    expect(needRows.length).toBe(needs.n);
    expect(cells.some((v) => String(v).includes(marker))).toBe(false);
  });

  // the rollup (rate_months, kept by a trigger on requests) against the live count of every request
  it('gives the same figures from the rollup as from the requests, at every level, through late resolutions, ratings, reassignment and deletion', async () => {
    const g2 = 'MS-XSL-G02';
    const jan = (d: number, h = 10) => bj(`2020-01-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00`);
    const made: Made[] = [
      // open, past its resolve deadline: counted live, against the resolution rate
      { ticket: 'RU-OPEN', status: 'resolving', grid: g2, created: jan(5), claimDeadline: jan(5, 12), resolveDeadline: jan(6), claimedAt: jan(5, 11) },
      // resolved in time, not yet rated: settled
      { ticket: 'RU-DONE', status: 'resolved', grid: g2, created: jan(7), claimDeadline: jan(7, 12), resolveDeadline: jan(8), claimedAt: jan(7, 11), resolvedAt: jan(7, 18) },
      { ticket: 'RU-GOOD', status: 'revisited', grid: g2, created: jan(9), claimDeadline: jan(9, 12), resolveDeadline: jan(10), claimedAt: jan(9, 13), resolvedAt: jan(11), rating: 4 },
      // resolved without a claim (an imported history): its claim is due only once the deadline passes, so it is counted live
      { ticket: 'RU-NOCLAIM', status: 'archived', grid: g2, created: bj('2020-02-03T10:00:00'), claimDeadline: '2020-05-01T00:00:00Z', resolveDeadline: '2020-05-02T00:00:00Z', resolvedAt: bj('2020-02-04T10:00:00') },
      { ticket: 'RU-WAIT', status: 'collected', grid: g2, created: bj('2020-02-10T10:00:00'), claimDeadline: bj('2020-02-10T12:00:00'), resolveDeadline: bj('2020-02-11T10:00:00') },
      { ticket: 'RU-REJ', status: 'rejected', grid: g2, created: bj('2020-02-12T10:00:00'), claimDeadline: bj('2020-02-12T12:00:00'), resolveDeadline: bj('2020-02-13T10:00:00') },
    ];
    for (const m of made) await make(t, m);
    const now = new Date();
    const thisMonth = periodOf({}, now).to.slice(0, 7);
    const cases = async (): Promise<RatesArea[]> => {
      const districts = await t.database.rows<{ id: string }>(sql`SELECT id FROM areas WHERE level = 'district'`);
      return [
        { id: null, name: '', level: null },
        ...districts.map((d) => ({ id: d.id, name: d.id, level: 'district' })),
        { id: 'MS', name: 'MS', level: 'street' },
        { id: 'MS-XSL', name: 'MS-XSL', level: 'community' },
        { id: grid, name: grid, level: 'grid' },
        { id: g2, name: g2, level: 'grid' },
        { id: `${g2}-M1`, name: g2, level: 'microgrid' },
      ];
    };
    const expectSame = async (step: string) => {
      for (const area of await cases()) {
        for (const [month, at] of [['2020-03', asOf], ['2020-03', now], [thisMonth, now]] as const) {
          const rollup = await loadTrend(t.database, area, month, at);
          expect(rollup, `${step}: trend of ${area.id} to ${month}`).toEqual(await loadTrend(t.database, area, month, at, 'requests'));
        }
        for (const period of [periodOf({ month: '2020-01' }), { from: '2020-01-01', to: '2020-03-31' }, periodOf({ month: thisMonth })]) {
          const by = area.level === 'microgrid' ? null : area.level === 'grid' ? null : 'grid';
          const rollup = await loadRates(t.database, area, period, by, now);
          expect(rollup, `${step}: ${area.id} ${period.from}…${period.to}`).toEqual(await loadRates(t.database, area, period, by, now, 'requests'));
        }
      }
    };
    const janOfG2 = async () => (await t.database.rows<Record<string, number>>(sql`
      SELECT filed, resolved, resolve_due, resolved_on_time, rated, satisfied FROM rate_months WHERE area_id = ${g2} AND month = '2020-01'`))[0];
    await expectSame('written');
    expect(await janOfG2()).toEqual({ filed: 2, resolved: 2, resolve_due: 2, resolved_on_time: 1, rated: 1, satisfied: 1 });

    // a late resolution in April of a January request moves January's figures; a rating closes one, a poor one reopens another
    await t.database.rows(sql`UPDATE requests SET status = 'resolved', resolved_at = ${bj('2020-04-02T10:00:00')}::timestamptz WHERE ticket = 'RU-OPEN'`);
    expect(await janOfG2()).toMatchObject({ filed: 3, resolved: 3, resolved_on_time: 1 });
    await rate(t.database, (await findRequest(t.database, 'RU-DONE'))!, 5, null);
    await rate(t.database, (await findRequest(t.database, 'RU-OPEN'))!, 1, null);
    expect(await janOfG2()).toMatchObject({ filed: 2, resolved: 2, rated: 2, satisfied: 2 });
    await t.database.rows(sql`UPDATE requests SET status = 'claimed', claimed_at = ${bj('2020-02-11T09:00:00')}::timestamptz WHERE ticket = 'RU-WAIT'`);
    await expectSame('resolved late, rated, reopened');

    // an area import moves requests to another grid (api/import/areas.ts), the street is put under a new district, one request is deleted
    await t.database.rows(sql`UPDATE requests SET grid_id = ${g2}, microgrid_id = ${`${g2}-M1`}, updated_at = now() WHERE ticket IN ('T-OK', 'T-LATE', 'RU-GOOD')`);
    await t.database.rows(sql`UPDATE requests SET grid_id = ${grid}, microgrid_id = ${`${grid}-M1`} WHERE ticket = 'RU-DONE'`);
    await t.database.rows(sql`UPDATE requests SET status = 'duplicate' WHERE ticket = 'RU-WAIT'`);
    await t.database.rows(sql`DELETE FROM requests WHERE ticket = 'RU-REJ'`);
    await t.database.rows(sql`
      INSERT INTO areas (id, level, kind, name, geom) SELECT 'RU-D', 'district', 'regular', '测试区', ST_Multi(ST_Envelope(ST_Buffer(geom, 0.01))) FROM areas WHERE id = 'MS'`);
    await t.database.rows(sql`UPDATE areas SET parent_id = 'RU-D' WHERE id = 'MS'`);
    expect(await janOfG2()).toMatchObject({ filed: 1, resolved: 1, rated: 1 }); // RU-GOOD only: RU-DONE went to G01, RU-OPEN is open again
    const [district] = await t.database.rows<{ filed: number }>(sql`SELECT filed FROM rate_months WHERE area_id = 'RU-D' AND month = '2020-03'`);
    expect(district.filed).toBeGreaterThan(0);
    await expectSame('reassigned, deleted, under a district');
  });
});
