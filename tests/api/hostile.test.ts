import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus, isErrorCode } from '../../api/contract/errors.ts';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { fileIn, signIn } from '../helpers/staff.ts';
import { CareHouseholdEdit, CareHouseholdInput, CareVisitInput } from '../../api/contract/care.ts';
import { NeedInput, ProgressInput, ProjectInput, ResourceInput, WishClaim, WishInput, WishMove } from '../../api/contract/lists.ts';
import { BuildingChange, OutlineChange, PointMove } from '../../api/contract/place-edits.ts';
import { TrackInput, VisitInput, VisitRequestInput, ZeroInput } from '../../api/contract/visits.ts';

// A hostile-input corpus (issue 9 §5): every endpoint crossed with malformed numbers, huge and odd
// strings, lone surrogates, NUL, path tricks, wrong content types, illegal transitions and ids out
// of scope. Whatever comes, the answer is below 500, and every 4xx says what to fix: `{ error,
// code }` with the code's own status under /api, GeoReport's `[{ code, description }]` or
// `<errors>` under /open311.

/** Path segments a client could send: percent-encoded as they would travel (a lone surrogate as its UTF-8 bytes). */
const segments = [
  '%ED%A0%80', // U+D800, a lone high surrogate
  '%ED%B0%80', // U+DC00, a lone low surrogate
  'a%ED%A0%80b',
  '%F0%9F%98%80', // 😀
  '%FF', '%C0%AE', '%', '%2', '%00', 'x%00y',
  '..', '..%2F..%2Fetc%2Fpasswd', '%2E%2E', '.%2F', '%5C..%5C',
  'x'.repeat(3000), '9'.repeat(40), '-1', '0', '1e309', 'NaN', '0x1F', '%EF%BC%91', // full-width 1
  '%3Cscript%3E', "'%20OR%201%3D1--", '%E2%80%AE', 'null', '%20',
];

/** Query values: malformed numbers, huge and odd strings. */
const values = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '%EF%BC%91', '1,2', '99999999999999999999999', '-1', '1.5e-400',
  'abc', '%00', '%ED%A0%80', 'x'.repeat(5000), '%F0%9F%98%80', "'%3B%20DROP%20TABLE%20requests%3B--", '%5B%5D', '%7B%7D', '..%2F..',
];

/** JSON values to put where a field goes. */
const jsonValues: unknown[] = [
  null, true, 0, -1, 1e308, -1e308, 1.5, 2 ** 53 + 1, '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '😀', 'x'.repeat(70_000),
  'x'.repeat(3000), [], [1, 2], {}, { $gt: '' }, '<script>alert(1)</script>', "' OR '1'='1", 'NaN', '1e309', '\u202e', '１２３',
];

/** Raw bodies with the content type they claim. */
const rawBodies: { body: string | Uint8Array; type?: string }[] = [
  { body: '', type: 'application/json' },
  { body: 'null', type: 'application/json' },
  { body: '[]', type: 'application/json' },
  { body: '"text"', type: 'application/json' },
  { body: '{', type: 'application/json' },
  { body: '{"a":1,"a":2}', type: 'application/json' },
  { body: '['.repeat(5000) + ']'.repeat(5000), type: 'application/json' },
  { body: '{"description":"\\ud800"}', type: 'application/json' },
  { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: 'application/json' }, // not UTF-8
  { body: 'category=other&lon=1', type: 'application/x-www-form-urlencoded' },
  { body: '<request/>', type: 'application/xml' },
  { body: 'hello', type: 'text/plain' },
  { body: '{"category":"other"}', type: 'application/json; charset=utf-16' },
  { body: '--x\r\nContent-Disposition: form-data; name="photo"\r\n\r\nabc\r\n--x--', type: 'multipart/form-data' }, // no boundary
  { body: '{"category":"other"}' },
  { body: 'x'.repeat(80_000), type: 'application/json' },
];

/** `staff`: signed in as a grid worker of G01; `admin`: as the street's administrator (past every scope check, onto the input's) */
type Case = { name: string; method: string; path: string; body?: string | Uint8Array | FormData; type?: string; staff?: boolean; admin?: boolean; headers?: Record<string, string> };

// the tickets are filed per engine; the table names them by placeholder
const ticket = '{ticket}';
const other = '{other}';

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);

  // ids in paths, on every route that takes one
  const byId = [
    '/api/collections/{}', '/api/collections/requests/items/{}', '/api/collections/{}/items', '/api/areas/{}', '/api/requests/{}',
    '/api/photos/{}', '/api/rider/{}', '/api/qr/sheet/{}.svg', '/api/qr/building/{}.svg', '/api/qr/{}/x.svg', '/api/tiles/{}/1/1.mvt',
    '/open311/v2/{}', '/open311/v2/{}.json', '/open311/v2/services/{}.json', '/open311/v2/requests/{}.json', '/open311/v2/requests/{}.xml',
    '/open311/v2/tokens/{}.json', '/api/staff/requests/{}',
  ];
  for (const route of byId) for (const s of segments) add({ name: `GET ${route} with ${s.slice(0, 20)}`, method: 'GET', path: route.replace('{}', s), staff: route.startsWith('/api/staff') });

  // query values, on every route that reads one
  const byQuery = [
    '/api/locate?lon={}&lat=35.2', '/api/nearby?lon=113.2&lat={}', '/api/nearby?lon=113.2&lat=35.2&limit={}', '/api/nearby?lon=113.2&lat=35.2&category={}',
    '/api/route?from={}&to=113.2,35.2', '/api/search?q={}', '/api/requests/similar?lon={}&lat=35.2&category=other',
    '/api/collections/requests/items?limit={}', '/api/collections/grids/items?bbox={}', '/api/collections/grids/items?offset={}',
    `/api/requests/${ticket}?token={}`, '/api/stats?kiosk={}', '/api/circle?lon={}&lat=35.2', '/api/rider/x/find?q={}',
    '/open311/v2/requests.json?start_date={}', '/open311/v2/requests.xml?status={}', '/open311/v2/requests.json?service_code={}',
    '/open311/v2/requests.json?service_request_id={}', '/api/staff/requests?scope={}', '/api/events?lastEventId={}',
  ];
  for (const route of byQuery) for (const v of values) add({ name: `GET ${route} with ${v.slice(0, 20)}`, method: 'GET', path: route.replace('{}', v), staff: route.startsWith('/api/staff') });

  // JSON fields replaced one by one
  const filing = { category: 'other', description: '楼道里堆满了杂物', lon: 113.2353, lat: 35.2165 };
  for (const field of ['category', 'description', 'lon', 'lat', 'contact', 'channel']) {
    for (const v of jsonValues) add({ name: `POST /api/requests with ${field}=${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: '/api/requests', body: JSON.stringify({ ...filing, [field]: v }), type: 'application/json' });
  }
  for (const v of jsonValues) {
    add({ name: `POST rating ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: `/api/requests/${ticket}/rating?token=x`, body: JSON.stringify({ rating: v }), type: 'application/json' });
    add({ name: `POST session ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: '/api/session', body: JSON.stringify({ username: v, password: v }), type: 'application/json' });
    add({ name: `POST status to ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: `/api/staff/requests/${ticket}/status`, body: JSON.stringify({ to: v, note: v, outcome: v, duplicateOf: v }), type: 'application/json', staff: true });
    add({ name: `POST note ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: `/api/staff/requests/${ticket}/notes`, body: JSON.stringify({ note: v }), type: 'application/json', staff: true });
    add({ name: `POST dispatch ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: `/api/staff/requests/${ticket}/dispatch`, body: JSON.stringify({ assigneeId: v }), type: 'application/json', staff: true });
    add({ name: `POST setup ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path: '/api/setup', body: JSON.stringify({ token: v, username: v, password: v, name: v }), type: 'application/json' });
  }

  // raw bodies and wrong content types on every route that takes a body
  const posts = ['/api/requests', `/api/requests/${ticket}/rating?token=x`, '/api/session', '/api/setup', `/api/staff/requests/${ticket}/status`,
    `/api/staff/requests/${ticket}/escalate`, `/api/requests/${ticket}/photos?token=x`, `/api/staff/requests/${ticket}/photos`, '/open311/v2/requests.json', '/open311/v2/requests.xml'];
  for (const path of posts) for (const raw of rawBodies) add({ name: `POST ${path} raw ${raw.type ?? 'untyped'} ${String(raw.body).slice(0, 12)}`, method: 'POST', path, body: raw.body, type: raw.type, staff: path.includes('/staff/') });

  // Open311 POST fields
  for (const field of ['api_key', 'service_code', 'lat', 'long', 'description', 'phone']) {
    for (const v of values) {
      const form = new URLSearchParams({ api_key: 'demo-open311-key', service_code: 'other', lat: '35.2165', long: '113.2353', description: '门口积水' });
      form.delete(field);
      add({ name: `POST open311 ${field}=${v.slice(0, 20)}`, method: 'POST', path: '/open311/v2/requests.json', body: `${form}&${field}=${v}`, type: 'application/x-www-form-urlencoded' });
    }
  }

  // illegal transitions and out-of-scope ids, with a worker of G01
  for (const to of ['archived', 'revisited', 'resolved', 'collected', 'duplicate', 'rejected']) {
    add({ name: `an illegal step to ${to}`, method: 'POST', path: `/api/staff/requests/${ticket}/status`, body: JSON.stringify({ to }), type: 'application/json', staff: true });
  }
  for (const action of ['claim', 'escalate', 'notes', 'publish', 'assignees', 'photos']) {
    add({ name: `${action} out of scope`, method: action === 'assignees' ? 'GET' : 'POST', path: `/api/staff/requests/${other}/${action}`, body: action === 'assignees' ? undefined : JSON.stringify({ note: '越权' }), type: 'application/json', staff: true });
  }
  for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']) {
    for (const path of ['/api/requests', `/api/requests/${ticket}`, '/api/session', '/open311/v2/requests.json', `/api/staff/requests/${ticket}/status`]) {
      add({ name: `${method} ${path}`, method, path, staff: true });
    }
  }
  add({ name: 'Last-Event-ID of text', method: 'GET', path: '/api/events', headers: { 'last-event-id': 'x'.repeat(100) } });
  add({ name: 'Last-Event-ID too big', method: 'GET', path: '/api/events', headers: { 'last-event-id': '99999999999' } });
  add({ name: 'a forged session cookie', method: 'GET', path: '/api/staff/requests', headers: { cookie: `gm_session=${'x'.repeat(5000)}` } });
  add({ name: 'a cookie with NUL', method: 'GET', path: '/api/session', headers: { cookie: 'gm_session=a%00b' } });
  newerEndpoints(add);
  return cases;
}

/**
 * The endpoints of the lists, care ledger, visits, rates, map view and console editing (issues 8,
 * 11, 12), with a smaller share of each kind of input: every body schema's every field at once set
 * to each hostile value, the raw bodies that differ most, ids and query values.
 */
function newerEndpoints(add: (c: Case) => void) {
  const fewSegments = ['%ED%A0%80', '%FF', '%', '%00', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(3000), '9'.repeat(40), '-1', '1e309', 'NaN', '%EF%BC%91', "'%20OR%201%3D1--"];
  const byId: [route: string, as: 'staff' | 'admin' | 'public'][] = [
    ['/api/care/households/{}', 'admin'], ['/api/visits/{}', 'staff'], ['/api/visits/patrols/{}', 'staff'], ['/api/visits/photos/{}', 'staff'],
    ['/api/admin/import/jobs/{}', 'admin'], ['/api/admin/export/{}', 'admin'],
  ];
  for (const [route, as] of byId) for (const seg of fewSegments) {
    add({ name: `GET ${route} with ${seg.slice(0, 20)}`, method: 'GET', path: route.replace('{}', seg), staff: as === 'staff', admin: as === 'admin' });
  }
  const fewValues = ['', 'NaN', '1e309', '-1', '99999999999999999999999', 'abc', '%00', '%ED%A0%80', 'x'.repeat(5000), "'%3B%20DROP%20TABLE%20requests%3B--"];
  const byQuery: [route: string, as: 'staff' | 'admin' | 'public'][] = [
    ['/api/map/requests?bbox={}&zoom=10', 'public'], ['/api/map/requests?zoom={}', 'public'], ['/api/map/requests?closedFrom={}', 'public'],
    ['/api/map/requests?area={}&zoom=12', 'public'], ['/api/rates?area={}', 'admin'], ['/api/rates?month={}', 'admin'],
    ['/api/rates/trend?month={}', 'admin'], ['/api/reports/monthly.xlsx?month={}', 'admin'], ['/api/visits/coverage?month={}', 'staff'],
    ['/api/lists/wishes/board?community={}', 'public'], ['/api/lists/needs?grid={}', 'admin'], ['/api/care/households?colour={}', 'admin'],
  ];
  for (const [route, as] of byQuery) for (const v of fewValues) {
    add({ name: `GET ${route} with ${v.slice(0, 20)}`, method: 'GET', path: route.replace('{}', v), staff: as === 'staff', admin: as === 'admin' });
  }
  const fewJson: unknown[] = [null, -1, 1e308, '\u0000', 'x\udc00y', 'x'.repeat(70_000), [], { $gt: '' }, '<script>alert(1)</script>'];
  // each body's fields, read from its schema: a field added later is covered without listing it
  const bodies: [path: string, fields: string[], as: 'staff' | 'admin' | 'public'][] = [
    ['/api/lists/needs', Object.keys(NeedInput.shape), 'admin'],
    ['/api/lists/resources', Object.keys(ResourceInput.shape), 'admin'],
    ['/api/lists/projects', Object.keys(ProjectInput.shape), 'admin'],
    ['/api/lists/projects/1/progress', Object.keys(ProgressInput.shape), 'admin'],
    ['/api/lists/wishes', Object.keys(WishInput.shape), 'admin'],
    ['/api/lists/wishes/1/status', Object.keys(WishMove.shape), 'admin'],
    ['/api/lists/wishes/1/claim', Object.keys(WishClaim.shape), 'public'],
    ['/api/care/households', Object.keys(CareHouseholdInput.shape), 'admin'],
    ['/api/care/households/1', Object.keys(CareHouseholdEdit.shape), 'admin'],
    ['/api/care/households/1/visits', Object.keys(CareVisitInput.shape), 'admin'],
    ['/api/visits', Object.keys(VisitInput.shape), 'staff'],
    ['/api/visits/zero', Object.keys(ZeroInput.shape), 'staff'],
    ['/api/visits/patrols/1/track', Object.keys(TrackInput.shape), 'staff'],
    ['/api/visits/1/request', Object.keys(VisitRequestInput.shape), 'staff'],
    ['/api/admin/places/pois/1/position', Object.keys(PointMove.shape), 'admin'],
    ['/api/admin/places/buildings/1', Object.keys(BuildingChange.shape), 'admin'],
    ['/api/admin/areas/MS-XSL-G01/outline', Object.keys(OutlineChange.shape), 'admin'],
  ];
  const fewRaw = rawBodies.filter((_, i) => [0, 4, 6, 8, 11, 15].includes(i));
  for (const [path, fields, as] of bodies) {
    if (!fields.length) throw new Error(`no fields read from the schema of ${path}`);
    for (const v of fewJson) {
      add({ name: `POST ${path} with every field ${JSON.stringify(v)?.slice(0, 20)}`, method: 'POST', path, body: JSON.stringify(Object.fromEntries(fields.map((f) => [f, v]))), type: 'application/json', staff: as === 'staff', admin: as === 'admin' });
    }
    for (const raw of fewRaw) add({ name: `POST ${path} raw ${raw.type ?? 'untyped'} ${String(raw.body).slice(0, 12)}`, method: 'POST', path, body: raw.body, type: raw.type, staff: as === 'staff', admin: as === 'admin' });
  }
}

const cases = corpus();
const chunk = 150; // cases per test: one test stays well inside its time on a loaded machine
const slices = Array.from({ length: Math.ceil(cases.length / chunk) }, (_, i) => ({ from: i * chunk, to: Math.min(cases.length, (i + 1) * chunk) }));

describe.each(modes())('hostile input (%s)', (mode) => {
  let t: TestApp;
  let cookie: string;
  let adminCookie: string;
  let tickets: { ticket: string; other: string };
  beforeAll(async () => {
    t = await openTestApp(mode);
    cookie = await signIn(t, 'xsl-g01-zhao');
    adminCookie = await signIn(t, 'admin');
    tickets = { ticket: (await fileIn(t, 'MS-XSL-G01')).ticket, other: (await fileIn(t, 'MS-XSL-G02')).ticket };
  });
  afterAll(() => t?.close());

  it('holds at least 500 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
  });

  it.each(slices)('answers cases $from–$to below 500, and every 4xx with a code that says what to fix', async ({ from, to }) => {
    const failures: string[] = [];
    for (const c of cases.slice(from, to)) {
      const path = c.path.replace(ticket, tickets.ticket).replace(other, tickets.other);
      const headers: Record<string, string> = { ...c.headers };
      if (c.type) headers['content-type'] = c.type;
      if (c.staff) headers.cookie = cookie;
      if (c.admin) headers.cookie = adminCookie;
      const res = await t.app.request(`http://localhost${path}`, { method: c.method, headers, body: c.body as BodyInit | undefined });
      const text = res.headers.get('content-type')?.includes('event-stream') ? (await res.body?.cancel(), '') : await res.text();
      const problem = judge(c, res, text);
      if (problem) failures.push(`${c.name} (${c.method} ${path.slice(0, 80)}): ${problem}`);
    }
    expect(failures).toEqual([]);
  });
});

/** What is wrong with an answer, or null. */
function judge(c: Case, res: Response, text: string): string | null {
  if (res.status >= 500) return `${res.status} ${text.slice(0, 200)}`;
  if (res.status < 400 || c.method === 'HEAD') return null;
  if (c.path.startsWith('/open311/')) {
    if (c.path.split('?')[0].endsWith('.json')) {
      const body = parse(text);
      const ok = Array.isArray(body) && body.length > 0 && body.every((e) => typeof e.code === 'number' && typeof e.description === 'string');
      return ok ? null : `not GeoReport's JSON errors: ${text.slice(0, 120)}`;
    }
    return /<errors>.*<code>\d+<\/code>.*<description>/s.test(text) ? null : `not GeoReport's XML errors: ${text.slice(0, 120)}`;
  }
  const body = parse(text) as { code?: unknown; error?: unknown } | null;
  if (!body || !isErrorCode(body.code)) return `${res.status} without a code: ${text.slice(0, 120)}`;
  if (typeof body.error !== 'string') return `${body.code} without its message`;
  if (errorStatus[body.code] !== res.status) return `${body.code} answered ${res.status}, its code says ${errorStatus[body.code]}`;
  return null;
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
