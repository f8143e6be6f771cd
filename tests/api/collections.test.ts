import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';

describe.each(modes())('OGC API – Features on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  it('lists the nine layers as collections', async () => {
    const res = await t.get('/api/collections');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.collections.map((c: any) => c.id).sort()).toEqual(
      ['buildings', 'communities', 'compounds', 'districts', 'grids', 'microgrids', 'pois', 'requests', 'streets']);
    for (const c of body.collections) expect(c.links.some((l: any) => l.rel === 'items')).toBe(true);
  });

  it('gives each collection the bounding box of its features, inside the street’s', async () => {
    const body = await (await t.get('/api/collections')).json();
    const street = body.collections.find((c: any) => c.id === 'streets').extent.spatial.bbox[0];
    const buildings = (await (await t.get('/api/collections/buildings')).json()).extent.spatial.bbox[0];
    const [w, s, e, n] = buildings;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThan(n);
    expect(w).toBeGreaterThanOrEqual(street[0]);
    expect(e).toBeLessThanOrEqual(street[2]);
    const items = await (await t.get('/api/collections/buildings/items?limit=10000')).json();
    const xs = items.features.flatMap((f: any) => f.geometry.coordinates.flat(2).map((p: number[]) => p[0]));
    expect(Math.min(...xs)).toBeCloseTo(w, 7);
    expect(Math.max(...xs)).toBeCloseTo(e, 7);
  });

  it('declares the core and GeoJSON conformance classes', async () => {
    const body = await (await t.get('/api/conformance')).json();
    expect(body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
  });

  it('serves grids as GeoJSON multipolygons in WGS84 with the counts OGC asks for', async () => {
    const res = await t.get('/api/collections/grids/items?limit=1000');
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const body = await res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.numberReturned).toBe(body.features.length);
    expect(body.numberMatched).toBe(body.features.length);
    expect(body.features.filter((f: any) => f.properties.parentId === 'MS-XSL')).toHaveLength(12);
    for (const f of body.features) {
      expect(f.geometry.type).toBe('MultiPolygon');
      const [lon, lat] = f.geometry.coordinates[0][0][0];
      expect(lon).toBeGreaterThan(113.1); expect(lon).toBeLessThan(113.4);
      expect(lat).toBeGreaterThan(35.1); expect(lat).toBeLessThan(35.3);
    }
  });

  it('pages with limit and offset, and the next link leads to the following page', async () => {
    const first = await (await t.get('/api/collections/buildings/items?limit=50')).json();
    const next = first.links.find((l: any) => l.rel === 'next');
    expect(first.numberMatched).toBeGreaterThan(150);
    expect(next.href).toContain('offset=50');
    const second = await (await t.get(new URL(next.href).pathname + new URL(next.href).search)).json();
    const ids = new Set(first.features.map((f: any) => f.id));
    expect(second.features).toHaveLength(50);
    expect(second.features.some((f: any) => ids.has(f.id))).toBe(false);
  });

  it('keeps only the features that meet the bbox', async () => {
    const all = await (await t.get('/api/collections/pois/items?limit=10000')).json();
    const [lon, lat] = all.features[0].geometry.coordinates;
    const box = [lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001].join(',');
    const some = await (await t.get(`/api/collections/pois/items?bbox=${box}&limit=10000`)).json();
    expect(some.features.length).toBeGreaterThan(0);
    expect(some.features.length).toBeLessThan(all.features.length);
    for (const f of some.features) {
      expect(Math.abs(f.geometry.coordinates[0] - lon)).toBeLessThanOrEqual(0.001);
    }
  });

  it('answers a malformed bbox with a 400 that names it', async () => {
    for (const bbox of ['1,2,3', 'a,b,c,d', '113,35,112,36', '0,-91,1,1']) {
      const res = await t.get(`/api/collections/grids/items?bbox=${bbox}`);
      expect(res.status).toBe(400);
      expect((await res.json()).field).toBe('bbox');
    }
  });

  it('answers a non-numeric limit with a 400 and clamps a huge one', async () => {
    expect((await t.get('/api/collections/grids/items?limit=ten')).status).toBe(400);
    expect((await t.get('/api/collections/grids/items?limit=-1')).status).toBe(400);
    const body = await (await t.get('/api/collections/requests/items?limit=99999999')).json();
    expect(body.numberReturned).toBeLessThanOrEqual(10_000);
  });

  it('never shows a reporter’s contact in the public requests collection', async () => {
    const body = await (await t.get('/api/collections/requests/items?limit=10000')).json();
    expect(body.features.length).toBeGreaterThanOrEqual(300);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/contact/i);
    const contacts = await t.database.rows<{ contact: string }>(
      (await import('drizzle-orm')).sql`SELECT contact FROM requests WHERE contact IS NOT NULL LIMIT 50`);
    for (const { contact } of contacts) expect(text).not.toContain(contact);
  });

  it('returns one feature by id, and 404 for an unknown one or an unknown collection', async () => {
    const res = await t.get('/api/collections/communities/items/MS-XSL');
    expect(res.status).toBe(200);
    expect((await res.json()).properties.name).toBe('学生路社区');
    expect((await t.get('/api/collections/communities/items/nope')).status).toBe(404);
    expect((await t.get('/api/collections/secrets/items')).status).toBe(404);
    expect((await t.get("/api/collections/grids/items/'%20OR%201=1--")).status).toBe(404);
  });

  it('gives each public request the deadlines, time left and overdue flag the staff view shows for it', async () => {
    // three requests the loop sees differently: one waiting to be claimed and past its claim deadline,
    // one claimed (now working against its resolve deadline), one closed (no clock at all)
    const late = (await fileIn(t, 'MS-XSL-G01')).ticket as string;
    await t.database.rows(sql`
      UPDATE requests SET claim_deadline = now() - interval '90 minutes' WHERE ticket = ${late} RETURNING id`);
    const working = (await fileIn(t, 'MS-XSL-G01', { category: 'noise' })).ticket as string;
    const zhao = await signIn(t, 'xsl-g01-zhao');
    expect((await call(t, 'POST', `/api/staff/requests/${working}/claim`, { cookie: zhao })).status).toBe(200);
    const [closed] = await t.database.rows<{ ticket: string }>(sql`
      SELECT ticket FROM requests WHERE community_id = 'MS-XSL' AND status IN ('archived', 'rejected', 'duplicate') ORDER BY ticket LIMIT 1`);
    expect(closed).toBeDefined();

    const admin = await signIn(t, 'admin');
    const staff = new Map<string, any>();
    for (const ticket of [late, working, closed.ticket]) {
      const res = await call(t, 'GET', `/api/staff/requests/${ticket}`, { cookie: admin });
      expect(res.status).toBe(200);
      staff.set(ticket, await res.json());
    }
    const list = await (await t.get('/api/collections/requests/items?limit=10000')).json();
    const shown = new Map<string, any>(list.features.map((f: any) => [f.id, f.properties]));

    const same = (ticket: string) => {
      const s = staff.get(ticket);
      const p = shown.get(ticket);
      expect(p, ticket).toBeDefined();
      const time = (v: string | null) => (v == null ? null : Date.parse(v));
      expect(time(p.claimDeadline), `${ticket} claimDeadline`).toBe(time(s.claimDeadline));
      expect(time(p.resolveDeadline), `${ticket} resolveDeadline`).toBe(time(s.resolveDeadline));
      expect(p.overdue, `${ticket} overdue`).toBe(s.overdue);
      if (s.timeLeftMinutes == null) expect(p.timeLeftMinutes).toBeNull();
      else expect(Math.abs(p.timeLeftMinutes - s.timeLeftMinutes), `${ticket} timeLeftMinutes`).toBeLessThanOrEqual(1); // a minute may tick between the two reads
      return p;
    };
    const lateShown = same(late);
    expect(lateShown.overdue).toBe(true);
    expect(lateShown.timeLeftMinutes).toBeLessThanOrEqual(-89);
    expect(lateShown.timeLeftMinutes).toBeGreaterThanOrEqual(-91);
    const workingShown = same(working);
    expect(workingShown.overdue).toBe(false);
    expect(workingShown.timeLeftMinutes).toBeGreaterThan(Math.floor((Date.parse(workingShown.claimDeadline) - Date.now()) / 60_000)); // the resolve deadline's clock, not the claim's
    const closedShown = same(closed.ticket);
    expect(closedShown.overdue).toBe(false);
    expect(closedShown.timeLeftMinutes).toBeNull();
  });
});
