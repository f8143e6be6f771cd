import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';

describe.each(modes())('filing a request on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => { t = await openTestApp(mode); });
  afterAll(async () => { await t?.close(); });

  const count = async () => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests`))[0].n;
  const insideOf = async (id: string) => {
    const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = ${id}) x`);
    return p;
  };
  const valid = { category: 'blocked_drain', description: '十号院3号楼下水道堵了，污水漫到楼道口', contact: '138-0000-0000' };

  it('answers 201 with a ticket and the street, community, grid and micro-grid of the pin', async () => {
    const [micro] = await t.database.rows<{ id: string; parent_id: string }>(sql`
      SELECT id, parent_id FROM areas WHERE level = 'microgrid' AND parent_id LIKE 'MS-XSL-%' ORDER BY id LIMIT 1`);
    const res = await t.post('/api/requests', { ...valid, ...(await insideOf(micro.id)) });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.ticket).toMatch(/^GM\d{8}-\d{4,}$/);
    expect(body.status).toBe('collected');
    expect(body.street.id).toBe('MS');
    expect(body.community).toEqual({ id: 'MS-XSL', name: '学生路社区' });
    expect(body.grid.id).toBe(micro.parent_id);
    expect(body.microgrid.id).toBe(micro.id);
    expect(JSON.stringify(body)).not.toContain(valid.contact);
  });

  it('writes the request and its first audit event together', async () => {
    const res = await t.post('/api/requests', { ...valid, ...(await insideOf('MS-XSL')) });
    const { ticket } = await res.json();
    const events = await t.database.rows<{ action: string; to_status: string }>(sql`
      SELECT e.action, e.to_status FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.ticket = ${ticket}`);
    expect(events).toEqual([{ action: 'filed', to_status: 'collected' }]);
    const [stored] = await t.database.rows<{ contact: string }>(sql`SELECT contact FROM requests WHERE ticket = ${ticket}`);
    expect(stored.contact).toBe(valid.contact);
  });

  it('shows the new request in the public collection, without the contact', async () => {
    const { ticket } = await (await t.post('/api/requests', { ...valid, ...(await insideOf('MS-XSL')) })).json();
    const res = await t.get(`/api/collections/requests/items/${ticket}`);
    expect(res.status).toBe(200);
    const feature = await res.json();
    expect(feature.properties.category).toBe('blocked_drain');
    expect(JSON.stringify(feature)).not.toContain(valid.contact);
  });

  it('refuses a pin outside every street with a 422 and writes nothing', async () => {
    const before = await count();
    const res = await t.post('/api/requests', { ...valid, lon: 116.397, lat: 39.909 });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(/outside every street/);
    expect(await count()).toBe(before);
  });

  it.each([
    [{ description: '路灯坏了', lon: 113.235, lat: 35.216 }, 'category'],
    [{ ...valid, category: 'aliens', lon: 113.235, lat: 35.216 }, 'category'],
    [{ ...valid, description: ' ', lon: 113.235, lat: 35.216 }, 'description'],
    [{ ...valid, description: 42, lon: 113.235, lat: 35.216 }, 'description'],
    [{ ...valid, description: '长'.repeat(2001), lon: 113.235, lat: 35.216 }, 'description'],
    [{ ...valid, lon: 'east', lat: 35.216 }, 'lon'],
    [{ ...valid, lat: 35.216 }, 'lon'],
    [{ ...valid, lon: 113.235, lat: 95 }, 'lat'],
    [{ ...valid, lon: 181, lat: 35.216 }, 'lon'],
    [{ ...valid, lon: null, lat: 35.216 }, 'lon'],
    [{ ...valid, lon: 113.235, lat: 35.216, contact: 'call me maybe' }, 'contact'],
    [{ ...valid, lon: 113.235, lat: 35.216, status: 'archived' }, undefined],
  ])('refuses malformed input %j with a 400 naming %s', async (body, field) => {
    const before = await count();
    const res = await t.post('/api/requests', body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.error).toBeTruthy();
    if (field) expect(answer.field).toBe(field);
    else expect(answer.error).toMatch(/unknown field/);
    expect(await count()).toBe(before);
  });

  it.each(['not json', '[1,2]', 'null', '"text"'])('refuses the body %s with a 400 asking for a JSON object', async (raw) => {
    const res = await t.post('/api/requests', raw);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/JSON/);
  });

  it('refuses a body over 64 KB with a 413', async () => {
    const res = await t.post('/api/requests', { ...valid, lon: 113.235, lat: 35.216, description: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
  });

  it('refuses text with a NUL character with a 400, and writes nothing', async () => {
    const before = await count();
    const res = await t.post('/api/requests', { ...valid, description: 'ab\u0000cd', ...(await insideOf('MS-XSL')) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/NUL/);
    expect(await count()).toBe(before);
    expect((await t.get('/api/areas/%00')).status).toBe(400);
    expect((await t.get('/api/collections/grids/items/%00')).status).toBe(400);
  });

  it('stores hostile text as text', async () => {
    const hostile = "'); DROP TABLE requests; -- <script>alert(1)</script>";
    const res = await t.post('/api/requests', { ...valid, description: hostile, ...(await insideOf('MS-XSL')) });
    expect(res.status).toBe(201);
    const { ticket } = await res.json();
    const [row] = await t.database.rows<{ description: string }>(sql`SELECT description FROM requests WHERE ticket = ${ticket}`);
    expect(row.description).toBe(hostile);
  });
});
