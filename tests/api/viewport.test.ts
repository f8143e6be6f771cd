import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStatusSql } from '../../api/db/open-status.ts';
import { overdueSql } from '../../api/loop/deadlines.ts';
import { areaFilter, kioskArea } from '../../api/live/viewer.ts';
import { closedInBox } from '../../api/live/closed-count.ts';
import type { AreaLevel } from '../../api/contract/vocabulary.ts';
import type { Bbox } from '../../api/geo/bbox.ts';
import { mulberry32 } from '../../scripts/lib/random.ts';
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

  // closed requests are counted from day_counts, the daily sums a trigger keeps (api/live/closed-count.ts):
  // after closing, reopening, re-dating and removing requests, and for boxes cut anywhere (on a
  // public point's coordinate, on a grid's edge, narrower than the snap), the sums equal a plain count
  it('counts closed requests from the daily sums, equal to a plain COUNT in any box and area', async () => {
    const open = openStatusSql();
    // changes the trigger must follow: close, reopen, move a day, remove; and one closed request outside every grid
    await t.database.rows(sql`UPDATE requests SET status = 'resolved', resolved_at = now() WHERE id IN (SELECT id FROM requests WHERE ${openStatusSql('status')} AND ticket NOT LIKE 'GM2000-%' ORDER BY id LIMIT 5)`);
    await t.database.rows(sql`UPDATE requests SET status = 'collected' WHERE id IN (SELECT id FROM requests WHERE NOT ${openStatusSql('status')} ORDER BY id DESC LIMIT 3)`);
    await t.database.rows(sql`UPDATE requests SET created_at = created_at - interval '3 days' WHERE id IN (SELECT id FROM requests WHERE NOT ${openStatusSql('status')} ORDER BY id LIMIT 7)`);
    await t.database.rows(sql`INSERT INTO requests (ticket, category, description, channel, status, street_id, geom, created_at, updated_at, claim_deadline, resolve_deadline)
      SELECT 'GM-NOGRID-' || i, 'noise', '无网格', 'web', 'archived', 'MS', ST_PointOnSurface(geom), now() - i * interval '1 day', now(), now(), now()
      FROM areas, generate_series(1, 3) i WHERE id = 'MS-XSL-G02'`);
    await t.database.rows(sql`DELETE FROM requests WHERE ticket = 'GM-NOGRID-3'`);

    const [ext] = await t.database.rows<{ w: number; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM areas WHERE level = 'street') b`);
    const [w0, s0, e0, n0] = [Number(ext.w), Number(ext.s), Number(ext.e), Number(ext.n)];
    const next = mulberry32(7);
    const boxes: Bbox[] = [[w0, s0, e0, n0], [w0 - 1, s0 - 1, e0 + 1, n0 + 1]];
    for (let i = 0; i < 6; i++) {
      const [x, y] = [w0 + next() * (e0 - w0), s0 + next() * (n0 - s0)];
      const [dx, dy] = [next() * (e0 - w0) / 2, next() * (n0 - s0) / 2];
      boxes.push([x - dx, y - dy, x + dx, y + dy]);
    }
    // edges on public points (the box holds its edge) and on grids' outlines, and a box narrower than the snap
    const publicPoints = await t.database.rows<{ x: number; y: number }>(sql`
      SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_SnapToGrid(geom, 0.001) AS p FROM requests WHERE NOT ${openStatusSql('status')} ORDER BY id LIMIT 3) q`);
    for (const p of publicPoints) boxes.push([Number(p.x), Number(p.y), Number(p.x) + 0.004, Number(p.y) + 0.003], [Number(p.x) - 0.0004, Number(p.y) - 0.0004, Number(p.x), Number(p.y)]);
    // outlines: a community's box is summed (grown by the snap: less what snaps out), a grid's is counted
    const outlines = await t.database.rows<{ w: number; s: number; e: number; n: number }>(sql`
      (SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM areas WHERE level = 'community' ORDER BY id LIMIT 2)
      UNION ALL (SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM areas WHERE level = 'grid' ORDER BY id LIMIT 2)`);
    for (const g of outlines) {
      boxes.push([Number(g.w), Number(g.s), Number(g.e), Number(g.n)]);
      boxes.push([Number(g.w) - 0.0003, Number(g.s) - 0.0003, Number(g.e) + 0.0003, Number(g.n) + 0.0003]);
      boxes.push([Number(g.w) - 0.0006, Number(g.s) - 0.0006, Number(g.e) + 0.0006, Number(g.n) + 0.0006]);
    }

    // a community's west edge: closed requests every 0.0001° east of its westmost vertex, and boxes whose west
    // edge steps across them, so that some requests inside a box snap out of it and some outside snap in
    const [west] = await t.database.rows<{ x: number; y: number }>(sql`
      SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT (ST_DumpPoints(geom)).geom AS p FROM areas WHERE id = 'MS-XSL') v ORDER BY ST_X(p), ST_Y(p) LIMIT 1`);
    await t.database.rows(sql`
      INSERT INTO requests (ticket, category, description, channel, status, street_id, community_id, grid_id, microgrid_id, geom, created_at, updated_at, claim_deadline, resolve_deadline)
      SELECT 'GM-EDGE-' || k || '-' || j, 'noise', '边缘', 'web', 'archived', a.street_id, a.community_id, a.grid_id, a.microgrid_id, pt.geom, now() - interval '5 days', now(), now(), now()
      FROM generate_series(1, 15) k, generate_series(-2, 2) j,
        LATERAL (SELECT ST_SetSRID(ST_MakePoint(${Number(west.x)} + k * 0.0001, ${Number(west.y)} + j * 0.0001), 4326) AS geom) pt,
        LATERAL assign_point(pt.geom) a
      WHERE a.community_id = 'MS-XSL'`);
    const [{ edge }] = await t.database.rows<{ edge: number }>(sql`SELECT count(*)::int AS edge FROM requests WHERE ticket LIKE 'GM-EDGE-%'`);
    expect(Number(edge)).toBeGreaterThan(10);
    const edgeBoxes: Bbox[] = [];
    for (let j = -6; j <= 10; j++) edgeBoxes.push([Number(west.x) + j * 0.0001, s0 - 0.01, e0 + 0.01, n0 + 0.01]);

    const day = (daysAgo: number) => new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const ranges = [{ from: '2000-01-01', to: day(0) }, { from: day(30), to: day(2) }];
    const areas: ({ id: string; level: AreaLevel } | null)[] = [null, { id: 'MS-XSL', level: 'community' }, { id: 'MS-XSL-G01', level: 'grid' }];
    const [micro] = await t.database.rows<{ id: string }>(sql`SELECT microgrid_id AS id FROM requests WHERE microgrid_id IS NOT NULL AND NOT ${openStatusSql('status')} LIMIT 1`);
    areas.push({ id: micro.id, level: 'microgrid' });
    let compared = 0, counted = 0;
    for (const days of ranges) {
      for (const area of areas) {
        for (const bbox of [null, ...boxes, ...(days === ranges[0] && area?.level !== 'grid' ? edgeBoxes : [])]) {
          const inBox = bbox ? sql`ST_SnapToGrid(r.geom, 0.001) && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)` : sql`TRUE`;
          const [plain] = await t.database.rows<{ n: number }>(sql`
            SELECT count(*)::int AS n FROM requests r WHERE NOT ${open} AND ${area ? areaFilter(area).where : sql`TRUE`} AND ${inBox}
              AND (r.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${days.from}::date AND ${days.to}::date`);
          expect(await closedInBox(t.database, bbox, area, days), `${JSON.stringify(bbox)} ${area?.id} ${days.from}`).toBe(Number(plain.n));
          compared++;
          counted += Number(plain.n);
        }
      }
    }
    expect(compared).toBeGreaterThan(120);
    expect(counted).toBeGreaterThan(1000); // the boxes hold closed requests to count
    // and over HTTP, the county's zoom: each street's closed of the range and the view's total
    const far = await view(`zoom=10&closedFrom=${day(30)}&closedTo=${day(2)}`);
    const [{ n }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests r WHERE NOT ${open}
      AND (r.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${day(30)}::date AND ${day(2)}::date`);
    expect(far.total.closed).toBe(Number(n));
    expect(far.areas.reduce((sum, a) => sum + a.closed, 0)).toBe(Number(n)); // every request is in a street, those outside every grid too
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
