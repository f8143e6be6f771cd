import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { publicPrecisionDegrees } from '../../api/loop/public-point.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { SseReader } from '../helpers/sse.ts';
import { call, pointIn, signIn } from '../helpers/staff.ts';

// Residents' privacy (issue 9, part 1), tested with a marker: a request whose words, contact and
// exact place are unique strings, looked for in every public output — OGC, the live stream (public
// and the wall's kiosk), /api/stats, Open311, the similar-nearby list, the ticket without its token.

describe.each(modes())('what the public sees of a request on %s', (mode) => {
  let t: TestApp;
  let ticket: string;
  let token: string;
  let exact: { lon: number; lat: number };
  let worker: string;
  const marker = `隐私标记-${randomBytes(4).toString('hex')} 2号楼2单元八旬老人行动不便`;
  const contact = '139 0000 4321';
  const near = (v: number) => v.toFixed(5); // the exact place to 1 m: never public

  /** Every public answer about the request, as text. */
  async function publicOutputs(): Promise<Record<string, string>> {
    const text = async (path: string) => (await t.get(path)).text();
    const [before] = await t.database.rows<{ id: number }>(sql`SELECT min(e.id) - 1 AS id FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.ticket = ${ticket}`);
    const replay = async (query: string) => {
      const res = await t.get(`/api/events?lastEventId=${before.id}${query}`);
      const stream = new SseReader(res.body!);
      const events = await stream.collect(1500);
      await stream.close();
      return JSON.stringify(events.filter((e) => e.ticket === ticket));
    };
    return {
      ogcItems: await text('/api/collections/requests/items?limit=10000'),
      ogcItem: await text(`/api/collections/requests/items/${ticket}`),
      ticketWithoutToken: await text(`/api/requests/${ticket}`),
      similar: await text(`/api/requests/similar?lon=${exact.lon}&lat=${exact.lat}&category=elderly_help`),
      stats: await text('/api/stats'),
      kioskStats: await text('/api/stats?kiosk=demo-wall-xsl'),
      publicStream: await replay(''),
      kioskStream: await replay('&kiosk=demo-wall-xsl'),
      open311List: await text('/open311/v2/requests.json?service_code=elderly_help'),
      open311One: await text(`/open311/v2/requests/${ticket}.json`),
      open311Xml: await text(`/open311/v2/requests/${ticket}.xml`),
      // requests by viewport (issue 12 §2): markers around the point, the kiosk's, counts per area
      viewMarkers: await text(`/api/map/requests?zoom=17&bbox=${exact.lon - 0.01},${exact.lat - 0.01},${exact.lon + 0.01},${exact.lat + 0.01}`),
      kioskView: await text('/api/map/requests?kiosk=demo-wall-xsl'),
      viewAreas: await text('/api/map/requests?zoom=10&closedFrom=2000-01-01'),
    };
  }

  beforeAll(async () => {
    t = await openTestApp(mode);
    worker = await signIn(t, 'xsl-g01-zhao');
    const where = await pointIn(t, 'MS-XSL-G01');
    // a point off the public grid, so its exact digits cannot be mistaken for the rounded ones
    exact = { lon: Number((where.lon + 0.0001317).toFixed(7)), lat: Number((where.lat + 0.0001211).toFixed(7)) };
    const res = await t.post('/api/requests', { category: 'elderly_help', description: marker, contact, ...exact });
    expect(res.status).toBe(201);
    ({ ticket, reportToken: token } = await res.json());
  });
  afterAll(() => t?.close());

  it('shows no word, contact or exact place of the resident in any public output', async () => {
    const outputs = await publicOutputs();
    for (const [name, body] of Object.entries(outputs)) {
      expect(body, name).not.toContain(marker.slice(0, 12));
      expect(body, name).not.toContain(contact);
      expect(body, name).not.toContain(near(exact.lon));
      expect(body, name).not.toContain(near(exact.lat));
    }
    expect(outputs.publicStream, 'the stream carried the filing').toContain(ticket);
    expect(outputs.kioskStream, 'the kiosk carried the filing').toContain(ticket);
    expect(outputs.viewMarkers, 'the view showed the filing').toContain(ticket);
    expect(outputs.kioskView, 'the kiosk’s view showed the filing').toContain(ticket);
  });

  it('places the request on the public grid of 0.001°', async () => {
    const feature = JSON.parse((await publicOutputsOne('ogcItem')));
    const [lon, lat] = feature.geometry.coordinates;
    expect(Math.abs(lon - exact.lon)).toBeLessThanOrEqual(publicPrecisionDegrees / 2 + 1e-9);
    expect(Math.abs(lat - exact.lat)).toBeLessThanOrEqual(publicPrecisionDegrees / 2 + 1e-9);
    expect(Math.abs(lon / publicPrecisionDegrees - Math.round(lon / publicPrecisionDegrees))).toBeLessThan(1e-6);
    expect(feature.properties).toMatchObject({ description: null, published: false });
  });

  it('shows the reporter, with the token, their own words and place', async () => {
    const own = await (await t.get(`/api/requests/${ticket}?token=${token}`)).json();
    expect(own).toMatchObject({ own: true, description: marker, lon: exact.lon, lat: exact.lat });
    const bare = await (await t.get(`/api/requests/${ticket}`)).json();
    expect(bare).toMatchObject({ own: false, description: null });
    expect(bare.lon).toBeUndefined();
  });

  it('shows staff in scope everything', async () => {
    const detail = await (await call(t, 'GET', `/api/staff/requests/${ticket}`, { cookie: worker })).json();
    expect(detail).toMatchObject({ description: marker, contact, lon: exact.lon, lat: exact.lat, published: false });
  });

  it('shows the public what staff publish, redacted, and nothing of it once taken back', async () => {
    const redacted = `楼里有行动不便的老人需要帮扶 ${randomBytes(3).toString('hex')}`;
    const published = await call(t, 'POST', `/api/staff/requests/${ticket}/publish`, { cookie: worker, body: { note: redacted } });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ publishedDescription: redacted, published: true, description: marker });
    const outputs = await publicOutputs();
    for (const name of ['ogcItem', 'ticketWithoutToken', 'similar', 'open311One']) expect(outputs[name], name).toContain(redacted);
    for (const [name, body] of Object.entries(outputs)) {
      expect(body, name).not.toContain(marker.slice(0, 12));
      expect(body, name).not.toContain(near(exact.lon));
    }
    expect((await call(t, 'DELETE', `/api/staff/requests/${ticket}/publish`, { cookie: worker })).status).toBe(200);
    expect(await publicOutputsOne('ogcItem')).not.toContain(redacted);
    const events = (await (await call(t, 'GET', `/api/staff/requests/${ticket}`, { cookie: worker })).json()).events.map((e: { action: string }) => e.action);
    expect(events).toEqual(expect.arrayContaining(['published', 'unpublished']));
  });

  it('lets no one outside the request\u2019s area publish it', async () => {
    const other = await signIn(t, 'xsl-g02-zhou');
    const res = await call(t, 'POST', `/api/staff/requests/${ticket}/publish`, { cookie: other, body: { note: '公开' } });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('out_of_scope');
  });

  async function publicOutputsOne(name: 'ogcItem') {
    return (await t.get(`/api/collections/requests/items/${ticket}`)).text();
  }
});
