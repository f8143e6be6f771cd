import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStatusSql } from '../../api/db/open-status.ts';
import { overdueSql } from '../../api/loop/deadlines.ts';
import { areaFilter, kioskArea } from '../../api/live/viewer.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { fileIn, pointIn } from '../helpers/staff.ts';

// Requests by viewport (issue 12 §2): the map and the wall read the requests of their view, not
// one list capped at 10,000 by ticket. Each database gets 10,050 more requests filed before the
// demo's, so a request filed now is far beyond the 10,000th by ticket.

const HISTORY = 10_050;
type View = {
  mode: 'markers' | 'areas'; level: string | null; limit: number; shown: number;
  total: { open: number; overdue: number; closed: number };
  markers: { ticket: string; status: string; lon: number; lat: number }[];
  areas: { id: string; level: string; open: number; overdue: number; closed: number }[];
  bounds: number[] | null;
};

describe.each(modes())('requests by viewport on %s', (mode) => {
  let t: TestApp;
  let filed: { ticket: string };
  let at: { lon: number; lat: number };
  const around = (p: { lon: number; lat: number }, d = 0.003) => `${p.lon - d},${p.lat - d},${p.lon + d},${p.lat + d}`;
  const view = async (query: string): Promise<View> => {
    const res = await t.get(`/api/map/requests?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await openTestApp(mode);
    // a long history of open requests in grid G01, every ticket before today's
    await t.database.rows(sql`
      INSERT INTO requests (ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id, geom, created_at, updated_at, claim_deadline, resolve_deadline)
      SELECT 'GM2000-' || lpad(i::text, 6, '0'), r.category, r.description, r.channel, 'collected', r.street_id, r.community_id, r.grid_id, r.microgrid_id, r.geom,
             now() - interval '400 days', now() - interval '400 days', now() - interval '399 days', now() - interval '390 days'
      FROM generate_series(1, ${HISTORY}) i, (SELECT * FROM requests WHERE grid_id = 'MS-XSL-G01' ORDER BY id LIMIT 1) r`);
    filed = (await fileIn(t, 'MS-XSL-G02')) as { ticket: string };
    const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM requests WHERE ticket = ${filed.ticket}`);
    at = { lon: Number(p.lon), lat: Number(p.lat) };
  });
  afterAll(() => t?.close());

  it('shows a request filed after more than 10,000 others, which the one capped list dropped', async () => {
    const [{ rank }] = await t.database.rows<{ rank: number }>(sql`
      SELECT count(*)::int AS rank FROM requests WHERE ticket <= ${filed.ticket}`);
    expect(Number(rank)).toBeGreaterThan(10_000);
    const oneList = await (await t.get('/api/collections/requests/items?limit=10000')).json();
    expect(oneList.features.map((f: { id: string }) => f.id)).not.toContain(filed.ticket);

    const near = await view(`zoom=17&bbox=${around(at)}`);
    expect(near.mode).toBe('markers');
    expect(near.markers.map((m) => m.ticket)).toContain(filed.ticket);
  });

  it('gives each filing past the 10,000th id its own ticket (the number is not cut to four digits)', async () => {
    const more = [await fileIn(t, 'MS-XSL-G02'), await fileIn(t, 'MS-XSL-G02'), await fileIn(t, 'MS-XSL-G02')];
    const tickets = more.map((f) => String(f.ticket));
    expect(new Set(tickets).size).toBe(3);
    for (const ticket of tickets) expect(ticket).toMatch(/-\d{5,}$/);
  });

  it('counts per street at a county’s zoom, equal to a plain COUNT of the same requests', async () => {
    const far = await view('zoom=10&closedFrom=2000-01-01');
    expect(far.mode).toBe('areas');
    expect(far.level).toBe('street');
    expect(far.markers).toEqual([]);
    const plain = await t.database.rows<{ id: string; open: number; overdue: number; closed: number }>(sql`
      SELECT a.id,
        (SELECT count(*) FROM requests r WHERE r.street_id = a.id AND ${openStatusSql()})::int AS open,
        (SELECT count(*) FROM requests r WHERE r.street_id = a.id AND ${overdueSql()})::int AS overdue,
        (SELECT count(*) FROM requests r WHERE r.street_id = a.id AND NOT ${openStatusSql()})::int AS closed
      FROM areas a WHERE a.level = 'street' ORDER BY a.id`);
    expect(far.areas.map(({ id, open, overdue, closed }) => ({ id, open, overdue, closed })))
      .toEqual(plain.map((p) => ({ id: p.id, open: Number(p.open), overdue: Number(p.overdue), closed: Number(p.closed) })));
    expect(far.areas.reduce((n, a) => n + a.open, 0)).toBeGreaterThan(HISTORY);
  });

  it('counts per grid of a community at a nearer zoom, equal to a plain COUNT', async () => {
    const grids = await view('zoom=14.5&area=MS-XSL');
    expect(grids.mode).toBe('areas'); // 10,000 open ones in G01 do not fit as markers
    expect(grids.level).toBe('grid');
    const plain = await t.database.rows<{ id: string; n: number }>(sql`
      SELECT g.id, (SELECT count(*) FROM requests r WHERE r.grid_id = g.id AND ${openStatusSql()})::int AS n
      FROM areas g WHERE g.level = 'grid' AND g.parent_id = 'MS-XSL' ORDER BY g.id`);
    expect(grids.areas.map((a) => [a.id, a.open])).toEqual(plain.map((p) => [p.id, Number(p.n)]));
    expect(grids.bounds).toHaveLength(4);
  });

  it('shows a closed request only when the date filter takes in the day it was filed', async () => {
    const closed = (await fileIn(t, 'MS-XSL-G03')) as { ticket: string };
    await t.database.rows(sql`UPDATE requests SET status = 'archived', created_at = now() - interval '40 days' WHERE ticket = ${closed.ticket}`);
    const where = await t.database.rows<{ lon: number; lat: number }>(sql`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM requests WHERE ticket = ${closed.ticket}`);
    const box = around({ lon: Number(where[0].lon), lat: Number(where[0].lat) });
    const day = (daysAgo: number) => new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);

    const openOnly = await view(`zoom=17&bbox=${box}`);
    expect(openOnly.markers.map((m) => m.ticket)).not.toContain(closed.ticket);
    const lastWeek = await view(`zoom=17&bbox=${box}&closedFrom=${day(7)}`);
    expect(lastWeek.markers.map((m) => m.ticket)).not.toContain(closed.ticket);
    const lastQuarter = await view(`zoom=17&bbox=${box}&closedFrom=${day(90)}&closedTo=${day(0)}`);
    expect(lastQuarter.markers.map((m) => m.ticket)).toContain(closed.ticket);
    expect(lastQuarter.total.closed).toBe(lastQuarter.markers.filter((m) => m.status === 'archived' || m.status === 'rejected' || m.status === 'duplicate' || m.status === 'resolved' || m.status === 'revisited').length);
  });

  it('states its limit: the newest markers, and how many more the view holds', async () => {
    const g01 = await pointIn(t, 'MS-XSL-G01');
    const crowded = await view(`zoom=17&limit=50&bbox=${around(g01, 0.02)}`);
    expect(crowded.mode).toBe('markers');
    expect(crowded.limit).toBe(50);
    expect(crowded.shown).toBe(50);
    expect(crowded.total.open).toBeGreaterThan(HISTORY);
    // newest first: today's filing is among them, the 400-day-old history is not all of them
    expect(crowded.markers.some((m) => !m.ticket.startsWith('GM2000-'))).toBe(true);
  });

  it('frames a wall screen on its kiosk’s area: open markers of that area only', async () => {
    const wall = await view('kiosk=demo-wall-xsl&limit=5000');
    expect(wall.mode).toBe('markers');
    expect(wall.bounds).toHaveLength(4);
    const area = (await kioskArea(t.database, 'demo-wall-xsl'))!;
    const [{ n }] = await t.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM requests r WHERE ${areaFilter(area).where} AND ${openStatusSql()}`);
    expect(wall.total.open).toBe(Number(n));
    expect(wall.shown).toBe(Math.min(5000, Number(n)));
  });

  it('refuses a bad box, period or area with a stable code', async () => {
    expect((await (await t.get('/api/map/requests?bbox=1,2,3')).json()).code).toBe('invalid_value');
    expect((await (await t.get('/api/map/requests?closedFrom=2026-02-01&closedTo=2026-01-01')).json()).code).toBe('invalid_period');
    expect((await (await t.get('/api/map/requests?area=NOPE')).json()).code).toBe('area_not_found');
    expect((await (await t.get('/api/map/requests?kiosk=nope')).json()).code).toBe('kiosk_invalid');
  });
});
