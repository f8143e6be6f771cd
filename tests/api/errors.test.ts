import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus, isErrorCode } from '../../api/contract/errors.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { call, fileIn, signIn } from '../helpers/staff.ts';

// Every failure a user can cause answers { error, code, field? } with a stable code, the status
// the code fixes (api/contract/errors.ts) and, where one field is wrong, that field — so the web
// words it in the user's language and marks the field, without reading the English text.

type Case = { name: string; send: (t: TestApp, cookie: string) => Promise<Response>; code: string; field?: string };

const cases: Case[] = [
  { name: 'a body that is not JSON', send: (t) => t.post('/api/requests', '{"category":'), code: 'invalid_json' },
  { name: 'a JSON array for a body', send: (t) => t.post('/api/requests', []), code: 'invalid_body' },
  { name: 'an unknown field', send: (t) => t.post('/api/requests', { category: 'other', description: '门口积水', lon: 113.2353, lat: 35.2165, owner: 'me' }), code: 'unknown_field' },
  { name: 'a missing description', send: (t) => t.post('/api/requests', { category: 'other', lon: 113.2353, lat: 35.2165 }), code: 'required', field: 'description' },
  { name: 'a one-letter description', send: (t) => t.post('/api/requests', { category: 'other', description: '水', lon: 113.2353, lat: 35.2165 }), code: 'too_short', field: 'description' },
  { name: 'a category we do not have', send: (t) => t.post('/api/requests', { category: 'ufo', description: '门口积水', lon: 113.2353, lat: 35.2165 }), code: 'invalid_value', field: 'category' },
  { name: 'a longitude out of range', send: (t) => t.post('/api/requests', { category: 'other', description: '门口积水', lon: 200, lat: 35.2165 }), code: 'out_of_range', field: 'lon' },
  { name: 'a latitude that is text', send: (t) => t.get('/api/locate?lon=113.2&lat=north'), code: 'invalid_value', field: 'lat' },
  { name: 'a pin outside every street', send: (t) => t.post('/api/requests', { category: 'other', description: '门口积水', lon: 116.4, lat: 39.9 }), code: 'outside_service_area', field: 'lon' },
  { name: 'a NUL character', send: (t) => t.post('/api/requests', { category: 'other', description: '门口\u0000积水', lon: 113.2353, lat: 35.2165 }), code: 'nul_character' },
  { name: 'a ticket that does not exist', send: (t) => t.get('/api/requests/GM20990101-9999'), code: 'request_not_found' },
  { name: 'a rating without the report token', send: async (t) => t.post(`/api/requests/${(await fileIn(t, 'MS-XSL-G01')).ticket}/rating`, { rating: 5 }), code: 'not_reporter' },
  { name: 'the staff queue without signing in', send: (t) => t.get('/api/staff/requests'), code: 'sign_in_required' },
  { name: 'a wrong password', send: (t) => t.post('/api/session', { username: 'xsl-g01-wu', password: 'nope' }), code: 'wrong_credentials' },
  { name: 'a queue scope we do not have', send: (t, cookie) => call(t, 'GET', '/api/staff/requests?scope=everything', { cookie }), code: 'invalid_value', field: 'scope' },
  { name: 'a step the state table forbids', send: async (t, cookie) => call(t, 'POST', `/api/staff/requests/${(await fileIn(t, 'MS-XSL-G01')).ticket}/status`, { cookie, body: { to: 'archived' } }), code: 'illegal_transition' },
  { name: 'resolving without the outcome', send: async (t, cookie) => {
    const { ticket } = await fileIn(t, 'MS-XSL-G01');
    await call(t, 'POST', `/api/staff/requests/${ticket}/claim`, { cookie });
    await call(t, 'POST', `/api/staff/requests/${ticket}/status`, { cookie, body: { to: 'resolving' } });
    return call(t, 'POST', `/api/staff/requests/${ticket}/status`, { cookie, body: { to: 'resolved', outcome: '   ' } });
  }, code: 'required', field: 'outcome' },
  { name: 'a request outside the worker\u2019s grid', send: async (t, cookie) => call(t, 'GET', `/api/staff/requests/${(await fileIn(t, 'MS-XSL-G02')).ticket}`, { cookie }), code: 'out_of_scope' },
  { name: 'a worker dispatching', send: async (t, cookie) => call(t, 'POST', `/api/staff/requests/${(await fileIn(t, 'MS-XSL-G01')).ticket}/dispatch`, { cookie, body: { assigneeId: 'x' } }), code: 'not_dispatcher' },
  { name: 'an unknown compound', send: (t) => t.get('/api/rider/NOPE'), code: 'compound_not_found' },
  { name: 'a revoked kiosk link', send: (t) => t.get('/api/stats?kiosk=not-a-token'), code: 'kiosk_invalid' },
  { name: 'a search for nothing', send: (t) => t.get('/api/search?q=%20'), code: 'required', field: 'q' },
  { name: 'a route that does not exist', send: (t) => t.get('/api/nothing-here'), code: 'not_found' },
];

describe.each(modes())('errors by code on %s', (mode) => {
  let t: TestApp;
  let worker: string;

  beforeAll(async () => {
    t = await openTestApp(mode);
    worker = await signIn(t, 'xsl-g01-zhao');
  });
  afterAll(() => t?.close());

  it.each(cases)('answers $name with $code', async ({ send, code, field }) => {
    const res = await send(t, worker);
    const body = await res.json();
    expect(body.code).toBe(code);
    expect(isErrorCode(body.code)).toBe(true);
    expect(res.status).toBe(errorStatus[code as keyof typeof errorStatus]);
    expect(typeof body.error).toBe('string');
    if (field) expect(body.field).toBe(field);
  });

  it('writes nothing when it refuses a request (no half-filed request, no audit event)', async () => {
    const before = await t.get('/api/collections/requests/items?limit=1');
    const count = (await before.json()).numberMatched;
    await t.post('/api/requests', { category: 'other', description: '门口积水', lon: 116.4, lat: 39.9 });
    await t.post('/api/requests', { category: 'other', description: '门口\u0000积水', lon: 113.2353, lat: 35.2165 });
    const after = await t.get('/api/collections/requests/items?limit=1');
    expect((await after.json()).numberMatched).toBe(count);
  });
});
