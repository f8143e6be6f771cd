import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { requestCategories } from '../../api/contract/vocabulary.ts';
import { hashToken } from '../../api/auth/session.ts';
import { zhCN } from '../../web/src/lib/i18n/zh-CN.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { modes } from '../helpers/databases.ts';

const reference = '/work/shared/reference/open311';
const mock = (name: string) => readFileSync(`${reference}/node-open311-mocks/${name}`, 'utf8');

/*
 * Response schemas transcribed from ../shared/reference/open311/georeport_v2-1.swagger.yaml
 * (`definitions`, lines 29–278): required fields, property types and enums. Formats (uid,
 * date-time, double) are checked where they constrain: date-time must carry a zone (spec,
 * "Date/time format").
 */
type Schema = { required?: string[]; properties: Record<string, { type: string; enum?: string[]; format?: string; items?: string }> };
const schemas: Record<string, Schema> = {
  // lines 30–63
  Service: {
    required: ['service_code', 'service_name', 'type'],
    properties: {
      service_code: { type: 'string' }, service_name: { type: 'string' }, description: { type: 'string' },
      metadata: { type: 'boolean' }, type: { type: 'string', enum: ['realtime', 'batch', 'blackbox'] },
      keywords: { type: 'string' }, group: { type: 'string' },
    },
  },
  // lines 64–79
  ServiceDefinition: {
    required: ['service_code', 'attributes'],
    properties: { service_code: { type: 'string' }, attributes: { type: 'array', items: 'ServiceAttribute' } },
  },
  // lines 80–129
  ServiceAttribute: {
    required: ['variable', 'code', 'datatype', 'required'],
    properties: {
      variable: { type: 'boolean' }, code: { type: 'string' },
      datatype: { type: 'string', enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
      required: { type: 'boolean' }, datatype_description: { type: 'string' }, order: { type: 'integer' },
      description: { type: 'string' }, values: { type: 'array', items: 'AttributeValue' },
    },
  },
  // lines 130–148
  AttributeValue: { required: ['key', 'name'], properties: { key: { type: 'string' }, name: { type: 'string' } } },
  // lines 149–247
  Request: {
    required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
    properties: {
      service_request_id: { type: 'string' }, status: { type: 'string', enum: ['open', 'closed'] },
      status_notes: { type: 'string' }, service_name: { type: 'string' }, service_code: { type: 'string' },
      description: { type: 'string' }, agency_responsible: { type: 'string' }, service_notice: { type: 'string' },
      requested_datetime: { type: 'string', format: 'date-time' }, updated_datetime: { type: 'string', format: 'date-time' },
      expected_datetime: { type: 'string', format: 'date-time' }, address: { type: 'string' }, address_id: { type: 'string' },
      zipcode: { type: 'string' }, lat: { type: 'number' }, long: { type: 'number' }, media_url: { type: 'string' },
    },
  },
  // lines 248–267
  RequestResponse: {
    properties: { service_request_id: { type: 'string' }, token: { type: 'string' }, service_notice: { type: 'string' }, account_id: { type: 'string' } },
  },
  // lines 268–278
  TokenResponse: { properties: { service_request_id: { type: 'string' }, token: { type: 'string' } } },
};

/** Problems of `value` against a schema; extension fields must start with `gm_` (our prefix). */
function validate(value: unknown, name: string, path = name): string[] {
  const schema = schemas[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
  const problems: string[] = [];
  const object = value as Record<string, unknown>;
  for (const field of schema.required ?? []) if (!(field in object)) problems.push(`${path}.${field}: required`);
  for (const [field, v] of Object.entries(object)) {
    const property = schema.properties[field];
    if (!property) {
      if (!field.startsWith('gm_')) problems.push(`${path}.${field}: not in the schema and not a gm_ extension`);
      continue;
    }
    if (v === null) continue;
    const type = Array.isArray(v) ? 'array' : Number.isInteger(v) && property.type === 'integer' ? 'integer' : typeof v;
    if (type !== property.type) problems.push(`${path}.${field}: ${type}, expected ${property.type}`);
    if (property.enum && !property.enum.includes(v as string)) problems.push(`${path}.${field}: ${v} not in ${property.enum}`);
    if (property.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v as string)) {
      problems.push(`${path}.${field}: ${v} is not a w3 date-time with a zone`);
    }
    if (property.items && Array.isArray(v)) v.forEach((item, i) => problems.push(...validate(item, property.items!, `${path}.${field}[${i}]`)));
  }
  return problems;
}

/** A strict little XML reader for schemaless GeoReport XML: elements and text, no attributes. */
type XmlNode = { name: string; children: XmlNode[]; text: string };
function parseXml(xml: string): XmlNode {
  const declaration = /^<\?xml version="1\.0" encoding="(UTF-8|utf-8)"\?>\s*/;
  if (!declaration.test(xml)) throw new Error('no XML declaration with encoding UTF-8');
  const root: XmlNode = { name: '#document', children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of xml.replace(declaration, '').matchAll(token)) {
    const top = stack.at(-1)!;
    if (m[5]) throw new Error(`stray < at ${m.index}`);
    if (m[4] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[4])) throw new Error(`unescaped & in ${m[4]}`);
      top.text += m[4].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: XmlNode = { name: m[2], children: [], text: '' };
      top.children.push(node);
      if (!m[3]) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('not one closed root element');
  return root.children[0];
}
const childNames = (node: XmlNode) => new Set(node.children.map((c) => c.name));
const textOf = (node: XmlNode, name: string) => node.children.find((c) => c.name === name)?.text.trim();
/** element names used anywhere under `name` elements of a document */
const fieldsOf = (doc: XmlNode, name: string): Set<string> => {
  const out = new Set<string>();
  const walk = (n: XmlNode) => { if (n.name === name) for (const c of n.children) out.add(c.name); n.children.forEach(walk); };
  walk(doc);
  return out;
};

describe.each(modes())('Open311 GeoReport v2 on %s', (mode) => {
  let t: TestApp;
  const apiKey = 'test-open311-key';
  const contact = '135-2468-1357';
  beforeAll(async () => {
    t = await openTestApp(mode);
    await t.database.rows(sql`INSERT INTO api_keys (key_hash, hint, label) VALUES (${hashToken(apiKey)}, 'test', 'tests') ON CONFLICT DO NOTHING`);
  });
  afterAll(async () => { await t?.close(); });

  const get = (path: string) => t.get(`/open311/v2/${path}`);
  const json = async (path: string, status = 200) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return res.json();
  };
  const xml = async (path: string, status = 200) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    return parseXml(await res.text());
  };
  const post = (format: 'json' | 'xml', fields: Record<string, string>) => t.app.request(`http://localhost/open311/v2/requests.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString(),
  });
  const inside = async (areaId: string) => {
    const [p] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM areas WHERE id = ${areaId}) x`);
    return { lat: String(p.lat), long: String(p.lon) };
  };

  describe('discovery', () => {
    it('answers JSON shaped like a real city\'s discovery, pointing at /open311/v2', async () => {
      const body = await json('discovery.json');
      const boston = JSON.parse(mock('discovery-boston.json'));
      expect(Object.keys(body).sort()).toEqual(Object.keys(boston).sort());
      expect(Object.keys(body.endpoints[0]).sort()).toEqual(Object.keys(boston.endpoints[0]).sort());
      expect(body.endpoints[0].url).toBe('http://localhost/open311/v2');
      expect(body.endpoints[0].formats).toEqual(expect.arrayContaining(['text/xml', 'application/json']));
    });

    it('answers XML shaped like a real city\'s discovery', async () => {
      const doc = await xml('discovery.xml');
      const dc = parseXml(mock('discovery-dc.xml'));
      expect(doc.name).toBe(dc.name);
      expect(childNames(doc)).toEqual(childNames(dc));
      expect(fieldsOf(doc, 'endpoint')).toEqual(fieldsOf(dc, 'endpoint'));
      expect(fieldsOf(doc, 'formats')).toEqual(new Set(['format']));
    });
  });

  describe('services', () => {
    it('lists every request category as a valid Service with its Chinese name', async () => {
      const body = await json('services.json');
      expect(body.map((s: any) => s.service_code)).toEqual([...requestCategories]);
      for (const service of body) expect(validate(service, 'Service')).toEqual([]);
      expect(body.find((s: any) => s.service_code === 'street_light').service_name).toBe(zhCN.requestCategories.street_light);
    });

    it('lists the same services in XML, with the element names of a real city\'s list', async () => {
      const doc = await xml('services.xml');
      expect(doc.name).toBe('services');
      expect(doc.children.every((c) => c.name === 'service')).toBe(true);
      const dcFields = fieldsOf(parseXml(mock('dc-services.xml')), 'service');
      for (const field of fieldsOf(doc, 'service')) expect(dcFields).toContain(field);
      const fromJson = await json('services.json');
      expect(doc.children.map((s) => [textOf(s, 'service_code'), textOf(s, 'service_name'), textOf(s, 'metadata')]))
        .toEqual(fromJson.map((s: any) => [s.service_code, s.service_name, String(s.metadata)]));
    });

    it('defines a service as a valid ServiceDefinition, in JSON and in XML', async () => {
      const body = await json('services/clutter.json');
      expect(validate(body, 'ServiceDefinition')).toEqual([]);
      expect(body.service_code).toBe('clutter');
      const doc = await xml('services/clutter.xml');
      expect(doc.name).toBe(parseXml(mock('dc-services-S0301.xml')).name);
      expect(textOf(doc, 'service_code')).toBe('clutter');
    });

    it('answers 404 with a GeoReport error for an unknown service code', async () => {
      const body = await json('services/aliens.json', 404);
      expect(body).toEqual([{ code: 404, description: expect.stringContaining('aliens') }]);
      const doc = await xml('services/aliens.xml', 404);
      const boston = parseXml(mock('boston-err-submitrequest-base_is_duplicate.xml'));
      expect(doc.name).toBe(boston.name);
      expect(fieldsOf(doc, 'error')).toEqual(fieldsOf(boston, 'error'));
    });

    it('answers 404 for a resource without a format', async () => {
      expect((await get('services')).status).toBe(404);
      expect((await get('services.yaml')).status).toBe(404);
    });
  });

  describe('reading requests', () => {
    it('lists requests of the last 90 days as valid Requests, newest first', async () => {
      const body = await json('requests.json');
      expect(body.length).toBeGreaterThan(0);
      expect(body.length).toBeLessThanOrEqual(1000);
      for (const request of body) expect(validate(request, 'Request')).toEqual([]);
      const times = body.map((r: any) => Date.parse(r.requested_datetime));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const [{ n }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests WHERE created_at >= now() - interval '90 days'`);
      expect(body.length).toBe(Math.min(n, 1000));
    });

    it('says open or closed as the spec does, and our detailed state as gm_status', async () => {
      const body = await json('requests.json');
      const open = ['collected', 'claimed', 'deliberating', 'resolving'];
      for (const r of body) expect(r.status).toBe(open.includes(r.gm_status) ? 'open' : 'closed');
      expect(new Set(body.map((r: any) => r.status))).toEqual(new Set(['open', 'closed']));
    });

    it('never shows a reporter\'s contact', async () => {
      const stored = await t.database.rows<{ contact: string }>(sql`SELECT contact FROM requests WHERE contact IS NOT NULL LIMIT 50`);
      expect(stored.length).toBeGreaterThan(0);
      const text = JSON.stringify(await json('requests.json')) + (await (await get('requests.xml')).text());
      for (const { contact: c } of stored) expect(text).not.toContain(c);
    });

    it('lists the same requests in XML, with the element names of a real city\'s answer', async () => {
      const doc = await xml('requests.xml');
      expect(doc.name).toBe('service_requests');
      const allowed = fieldsOf(parseXml(mock('service-requests.xml')), 'request');
      for (const field of fieldsOf(doc, 'request')) if (!field.startsWith('gm_')) expect(allowed).toContain(field);
      const fromJson = await json('requests.json');
      expect(doc.children.map((r) => textOf(r, 'service_request_id'))).toEqual(fromJson.map((r: any) => r.service_request_id));
    });

    it('filters by status', async () => {
      const open = await json('requests.json?status=open');
      const closed = await json('requests.json?status=closed');
      const both = await json('requests.json?status=open,closed');
      expect(open.every((r: any) => r.status === 'open')).toBe(true);
      expect(closed.every((r: any) => r.status === 'closed')).toBe(true);
      expect(open.length + closed.length).toBe(both.length);
    });

    it('filters by service codes, comma separated', async () => {
      const body = await json('requests.json?service_code=clutter,noise');
      expect(body.length).toBeGreaterThan(0);
      expect(new Set(body.map((r: any) => r.service_code))).toEqual(new Set(['clutter', 'noise']));
    });

    it('filters by start_date and end_date', async () => {
      const start = '2026-10-01T00:00:00+08:00';
      const end = '2026-10-15T00:00:00+08:00';
      const body = await json(`requests.json?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`);
      const [{ n }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests WHERE created_at >= ${start}::timestamptz AND created_at <= ${end}::timestamptz`);
      expect(body.length).toBe(n);
      for (const r of body) expect(Date.parse(r.requested_datetime)).toBeGreaterThanOrEqual(Date.parse(start));
    });

    it('lets service_request_id override every other filter', async () => {
      const [a, b] = await t.database.rows<{ ticket: string }>(sql`SELECT ticket FROM requests WHERE status = 'archived' ORDER BY created_at LIMIT 2`);
      const body = await json(`requests.json?service_request_id=${a.ticket},${b.ticket}&status=open&service_code=heating`);
      expect(body.map((r: any) => r.service_request_id).sort()).toEqual([a.ticket, b.ticket].sort());
    });

    it.each([
      ['start_date=yesterday', 'start_date'],
      ['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', '90 days'],
      ['status=pending', 'status'],
      ['service_code=aliens', 'aliens'],
    ])('refuses %s with a 400 saying what is wrong', async (query, words) => {
      const body = await json(`requests.json?${query}`, 400);
      expect(body[0].code).toBe(400);
      expect(body[0].description).toContain(words);
    });

    it('answers one request by id, in JSON and in XML', async () => {
      const [row] = await t.database.rows<{ ticket: string }>(sql`SELECT ticket FROM requests ORDER BY id DESC LIMIT 1`);
      const body = await json(`requests/${row.ticket}.json`);
      expect(body).toHaveLength(1);
      expect(validate(body[0], 'Request')).toEqual([]);
      expect(body[0].service_request_id).toBe(row.ticket);
      const doc = await xml(`requests/${row.ticket}.xml`);
      expect(doc.name).toBe(parseXml(mock('service-request.xml')).name);
      expect(textOf(doc.children[0], 'service_request_id')).toBe(row.ticket);
    });

    it('answers a NUL character in an id with a 400 in the spec’s format', async () => {
      const body = await json('requests/%00.json', 400);
      expect(body[0].description).toMatch(/NUL/);
    });

    it('answers 404 for an unknown request id', async () => {
      expect((await json('requests/GM00000000-0000.json', 404))[0].code).toBe(404);
      expect((await xml('requests/GM00000000-0000.xml', 404)).name).toBe('errors');
    });
  });

  describe('filing requests', () => {
    it('files with an api_key and answers a valid RequestResponse', async () => {
      const res = await post('json', { api_key: apiKey, service_code: 'blocked_drain', description: '下水道返水', ...(await inside('MS-XSL-G01')) });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toHaveLength(1);
      expect(validate(body[0], 'RequestResponse')).toEqual([]);
      expect(body[0].service_request_id).toMatch(/^GM\d{8}-\d{4,}$/);
    });

    it('assigns and audits exactly as POST /api/requests does', async () => {
      const point = await inside('MS-XSL-G02');
      const viaApi = await (await t.post('/api/requests', { category: 'noise', description: '广场舞音响太响', lon: Number(point.long), lat: Number(point.lat) })).json();
      const [viaOpen311] = await (await post('json', { api_key: apiKey, service_code: 'noise', description: '广场舞音响太响', ...point })).json();
      const rows = await t.database.rows<Record<string, unknown>>(sql`
        SELECT r.ticket, r.street_id, r.community_id, r.grid_id, r.microgrid_id, r.status, r.claim_deadline IS NOT NULL AS has_deadline,
               (SELECT string_agg(e.action || ':' || e.to_status, ',') FROM request_events e WHERE e.request_id = r.id) AS events
        FROM requests r WHERE r.ticket IN (${viaApi.ticket}, ${viaOpen311.service_request_id}) ORDER BY r.id`);
      const { ticket: _a, ...first } = rows[0];
      const { ticket: _b, ...second } = rows[1];
      expect(second).toEqual(first);
      expect(first.grid_id).toBe('MS-XSL-G02');
    });

    it('keeps the reporter\'s phone private: stored, never answered', async () => {
      const [filed] = await (await post('json', { api_key: apiKey, service_code: 'clutter', phone: contact, ...(await inside('MS-XSL-G01')) })).json();
      const [row] = await t.database.rows<{ contact: string; description: string }>(sql`SELECT contact, description FROM requests WHERE ticket = ${filed.service_request_id}`);
      expect(row.contact).toBe(contact);
      expect(row.description).toBe(zhCN.requestCategories.clutter); // no description: the service's name
      expect(JSON.stringify(await json(`requests/${filed.service_request_id}.json`))).not.toContain(contact);
    });

    it('answers a filing in XML as the spec\'s example does', async () => {
      const res = await post('xml', { api_key: apiKey, service_code: 'sanitation', description: '垃圾桶满了 <没人清> & 味道大', ...(await inside('MS-XSL-G01')) });
      expect(res.status).toBe(200);
      const doc = parseXml(await res.text());
      expect(doc.name).toBe('service_requests');
      const id = textOf(doc.children[0], 'service_request_id')!;
      const again = await xml(`requests/${id}.xml`);
      // the resident's words are kept (escaped on the way in) but not shown publicly (docs/api.md, privacy)
      expect(textOf(again.children[0], 'description')).toBeUndefined();
      const [row] = await t.database.rows<{ description: string }>(sql`SELECT description FROM requests WHERE ticket = ${id}`);
      expect(row.description).toBe('垃圾桶满了 <没人清> & 味道大');
    });

    it.each([
      ['no api_key', {}, 403],
      ['a wrong api_key', { api_key: 'guess' }, 403],
    ])('refuses a filing with %s with a 403 and writes nothing', async (_, key, status) => {
      const [{ n: before }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests`);
      const res = await post('json', { ...key, service_code: 'clutter', ...(await inside('MS-XSL-G01')) });
      expect(res.status).toBe(status);
      expect((await res.json())[0].code).toBe(status);
      const [{ n: after }] = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests`);
      expect(after).toBe(before);
    });

    it.each([
      ['no service_code', {}, 400],
      ['an unknown service_code', { service_code: 'aliens' }, 404],
      ['no location', { service_code: 'clutter', lat: '', long: '' }, 400],
      ['only an address', { service_code: 'clutter', lat: '', long: '', address_string: '学生路12号' }, 400],
      ['a point outside the map', { service_code: 'clutter', lat: '39.909', long: '116.397' }, 400],
      ['a latitude of 95', { service_code: 'clutter', lat: '95', long: '113.23' }, 400],
      ['a phone that is not one', { service_code: 'clutter', phone: 'call me' }, 400],
      ['a description of 2001 characters', { service_code: 'clutter', description: '长'.repeat(2001) }, 400],
    ])('refuses a filing with %s', async (_, fields, status) => {
      const res = await post('json', { api_key: apiKey, ...(await inside('MS-XSL-G01')), ...fields } as Record<string, string>);
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body[0].code).toBe(status);
      expect(body[0].description.length).toBeGreaterThan(10);
    });

    it('refuses a JSON body: GeoReport v2 posts forms', async () => {
      const res = await t.app.request('http://localhost/open311/v2/requests.json', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: apiKey }),
      });
      expect(res.status).toBe(400);
    });
  });

  describe('tokens', () => {
    it('resolves a token to its request id as a TokenResponse, in JSON and XML', async () => {
      const [filed] = await (await post('json', { api_key: apiKey, service_code: 'parking', ...(await inside('MS-XSL-G01')) })).json();
      const id = filed.service_request_id;
      const body = await json(`tokens/${id}.json`);
      expect(body).toEqual([{ service_request_id: id, token: id }]);
      expect(validate(body[0], 'TokenResponse')).toEqual([]);
      const doc = await xml(`tokens/${id}.xml`);
      const reference = parseXml(mock('token.xml'));
      expect(doc.name).toBe(reference.name);
      expect(fieldsOf(doc, 'request')).toEqual(fieldsOf(reference, 'request'));
    });

    it('answers 404 for an unknown token', async () => {
      expect((await json('tokens/nothing-here.json', 404))[0].code).toBe(404);
    });
  });
});
