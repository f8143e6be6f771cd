import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { modes } from '../helpers/databases.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { demoPassword, fileIn } from '../helpers/staff.ts';
import { createApp } from '../../api/app.ts';
import { defaultLimits, limitsFromEnv } from '../../api/guard/limits.ts';
import { maxPhotoPixels } from '../../api/loop/photos.ts';

// Abuse resistance (issue 9 §2) with the limits' real defaults. One app per engine trusts one
// proxy (TRUST_PROXY=1), so each test speaks as clients of its own through X-Forwarded-For.

const base = 'http://localhost';
let nextClient = 1;
/** A fresh client address, unique to the test that asks. */
const newClient = () => `198.51.100.${nextClient++}`;

async function send(t: TestApp, method: string, path: string, client: string, init: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': client, ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  return t.app.request(base + path, { method, headers, body });
}

/** A valid greyscale PNG of `side` × `side` pixels of one colour: a few hundred KB, `side²` bytes decoded. */
function hugePng(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((side + 1) * side); // filter byte 0 and black pixels, row after row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('limits from the environment', () => {
  it('reads each limit from its variable and refuses a bad one by name', () => {
    expect(limitsFromEnv({})).toEqual(defaultLimits);
    expect(limitsFromEnv({ RATE_LIMIT_FILINGS: '5', TRUST_PROXY: 'true' })).toMatchObject({ filings: 5, trustProxy: 1 });
    expect(() => limitsFromEnv({ RATE_LIMIT_FILINGS: 'lots' })).toThrow(/RATE_LIMIT_FILINGS=lots/);
    expect(() => limitsFromEnv({ STREAMS_PER_CLIENT: '0' })).toThrow(/STREAMS_PER_CLIENT/);
  });
});

describe.each(modes())('abuse resistance (%s)', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode, { ...defaultLimits, trustProxy: 1 });
  });
  afterAll(() => t?.close());
  afterEach(async () => {
    delete process.env.PUBLIC_URL;
    // on PostgreSQL the counts live in the database, shared by every app on it (api/guard/shared-counts.ts):
    // each test counts from zero, as it would with an app of its own
    await t.database.rows(sql`DELETE FROM rate_counts RETURNING key`);
  });

  it(`refuses the ${defaultLimits.filings + 1}th filing from one client in ${defaultLimits.windowMinutes} minutes with 429, rate_limited and Retry-After; another client still files`, async () => {
    const client = newClient();
    for (let i = 0; i < defaultLimits.filings; i++) {
      expect((await send(t, 'POST', '/api/requests', client, { json: { category: 'x' } })).status).toBe(400); // refused filings count too
    }
    const [micro] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM areas WHERE level = 'microgrid' ORDER BY id LIMIT 1`);
    const filing = { category: 'clutter', description: '楼道堆放杂物', lon: Number(micro.lon), lat: Number(micro.lat) };
    const res = await send(t, 'POST', '/api/requests', client, { json: filing });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body).toMatchObject({ code: 'rate_limited', limit: defaultLimits.filings, windowMinutes: defaultLimits.windowMinutes });
    expect(body.retryAfter).toBeGreaterThan(0);
    expect(body.retryAfter).toBeLessThanOrEqual(defaultLimits.windowMinutes * 60);
    expect(res.headers.get('retry-after')).toBe(String(body.retryAfter));
    expect((await send(t, 'POST', '/api/requests', newClient(), { json: filing })).status).toBe(201);
  });

  // the filing path made fast (issue 12): on PostgreSQL the filing's own statement takes the count (api/guard/filing-count.ts)
  it('counts a filing in the statement that files it: within the limit it files and says what remains, past it nothing is filed, and bodies refused before count too', async () => {
    const client = newClient();
    const [micro] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM areas WHERE level = 'microgrid' ORDER BY id LIMIT 1`);
    const description = `计数标记 ${client}`;
    const filing = { category: 'clutter', description, lon: Number(micro.lon), lat: Number(micro.lat) };
    const filed = async () => (await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests WHERE description = ${description}`))[0].n;
    expect((await send(t, 'POST', '/api/requests', client, { json: { category: 'x' } })).status).toBe(400);
    for (let i = 2; i <= defaultLimits.filings; i++) {
      const res = await send(t, 'POST', '/api/requests', client, { json: filing });
      expect(res.status).toBe(201);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(defaultLimits.filings - i));
    }
    expect(await filed()).toBe(defaultLimits.filings - 1);
    const refused = await send(t, 'POST', '/api/requests', client, { json: filing });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String((await refused.json()).retryAfter));
    expect(await filed()).toBe(defaultLimits.filings - 1);
    expect((await send(t, 'POST', '/api/requests', client, { json: { category: 'x' } })).status).toBe(429);
  });

  it('believes X-Forwarded-For only behind a trusted proxy: without TRUST_PROXY a forged header is no new client', async () => {
    const direct = createApp({ database: t.database, tiles: t.tiles, limits: defaultLimits });
    const statuses = [];
    for (let i = 0; i <= defaultLimits.filings; i++) {
      const res = await direct.request(`${base}/api/requests`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` }, body: '{}',
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it(`limits me-too (${defaultLimits.meToo}) and photo uploads (${defaultLimits.photos}) per client`, async () => {
    const filed = await fileIn(t, 'MS-XSL-G01');
    const client = newClient();
    const meToo = [];
    for (let i = 0; i <= defaultLimits.meToo; i++) meToo.push((await send(t, 'POST', `/api/requests/${filed.ticket}/me-too`, client)).status);
    expect(meToo.filter((s) => s === 429)).toHaveLength(1);
    expect(meToo.at(-1)).toBe(429);
    const photos = [];
    for (let i = 0; i <= defaultLimits.photos; i++) photos.push((await send(t, 'POST', `/api/requests/${filed.ticket}/photos?token=wrong`, client)).status);
    expect(photos.slice(0, -1).every((s) => s === 403)).toBe(true);
    const refused = await send(t, 'POST', `/api/requests/${filed.ticket}/photos?token=wrong`, client);
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe('rate_limited');
  });

  it(`limits Open311 filings (${defaultLimits.open311}) per client and answers in GeoReport's own error format with Retry-After`, async () => {
    const client = newClient();
    const form = () => new URLSearchParams({ api_key: 'wrong-key', service_code: 'environment', lat: '0', long: '0' });
    for (let i = 0; i < defaultLimits.open311; i++) {
      const res = await send(t, 'POST', '/open311/v2/requests.json', client, { body: form(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(403);
    }
    const json = await send(t, 'POST', '/open311/v2/requests.json', client, { body: form(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(json.status).toBe(429);
    expect(await json.json()).toEqual([{ code: 429, description: expect.stringMatching(/too many requests/) }]);
    expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
    const xml = await send(t, 'POST', '/open311/v2/requests.xml', client, { body: form(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(xml.status).toBe(429);
    expect(await xml.text()).toMatch(/<errors>.*<code>429<\/code>/s);
    // reading is not limited
    expect((await send(t, 'GET', '/open311/v2/services.json', client)).status).toBe(200);
  });

  it(`limits sign-in attempts per client over all usernames (${defaultLimits.signIns})`, async () => {
    const client = newClient();
    const statuses = [];
    for (let i = 0; i <= defaultLimits.signIns; i++) {
      statuses.push((await send(t, 'POST', '/api/session', client, { json: { username: `probe-${i}`, password: 'guess' } })).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('counts parallel wrong guesses exactly: of 12 at once, 5 are checked and 7 wait', async () => {
    const client = newClient();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      send(t, 'POST', '/api/session', client, { json: { username: 'xsl-g03-zhou', password: `guess-${i}` } }).then(async (r) => ({ status: r.status, ...(await r.json()) }))));
    const wrong = answers.filter((a) => a.code === 'wrong_credentials');
    expect(wrong.map((a) => a.triesLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(answers.filter((a) => a.code === 'sign_in_throttled')).toHaveLength(7);
    const [row] = await t.database.rows<{ failures: number }>(sql`SELECT failures FROM sign_in_failures WHERE username = 'xsl-g03-zhou' AND client = ${client}`);
    expect(row.failures).toBe(defaultLimits.signInTries);
  });

  it('lets the worker sign in from their own phone while a stranger guessing their password waits', async () => {
    const stranger = newClient();
    for (let i = 0; i < defaultLimits.signInTries; i++) await send(t, 'POST', '/api/session', stranger, { json: { username: 'xsl-g01-wu', password: `guess-${i}` } });
    const refused = await send(t, 'POST', '/api/session', stranger, { json: { username: 'xsl-g01-wu', password: demoPassword } });
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe('sign_in_throttled');
    const worker = await send(t, 'POST', '/api/session', newClient(), { json: { username: 'xsl-g01-wu', password: demoPassword } });
    expect(worker.status).toBe(200);
    // and the worker's sign-in did not free the stranger
    expect((await send(t, 'POST', '/api/session', stranger, { json: { username: 'xsl-g01-wu', password: demoPassword } })).status).toBe(429);
  });

  it(`caps open live streams at ${defaultLimits.streams} per client, and frees a place when one closes`, async () => {
    const client = newClient();
    const open: Response[] = [];
    for (let i = 0; i < defaultLimits.streams; i++) {
      const res = await send(t, 'GET', '/api/events', client);
      expect(res.status).toBe(200);
      open.push(res);
    }
    const refused = await send(t, 'GET', '/api/events', client);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'too_many_streams', maximum: defaultLimits.streams });
    expect((await send(t, 'GET', '/api/events', newClient())).status).toBe(200); // another client is not affected
    await open.pop()!.body!.cancel();
    const again = await send(t, 'GET', '/api/events', client);
    expect(again.status).toBe(200);
    await Promise.all([...open, again].map((r) => r.body!.cancel()));
  });

  it('refuses a signed-in change sent from another site (Sec-Fetch-Site or Origin), and lets our own pages and residents through', async () => {
    const signedIn = await send(t, 'POST', '/api/session', newClient(), { json: { username: 'xsl-g01-zhao', password: demoPassword } });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
    const filed = await fileIn(t, 'MS-XSL-G01');
    const note = (headers: Record<string, string>) => send(t, 'POST', `/api/staff/requests/${filed.ticket}/notes`, newClient(), { json: { note: '已电话联系' }, headers: { cookie, ...headers } });

    const crossSite = await note({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).code).toBe('cross_site');
    expect((await note({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await note({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await note({ origin: 'null' })).status).toBe(403);
    expect((await note({ 'sec-fetch-site': 'same-origin', origin: base })).status).toBe(201);
    expect((await note({ origin: base })).status).toBe(201);
    process.env.PUBLIC_URL = 'https://grid.example.cn';
    expect((await note({ origin: 'https://grid.example.cn' })).status).toBe(201);
    // a resident has no session cookie: an embedded report form elsewhere may still file
    const resident = await send(t, 'POST', `/api/requests/${filed.ticket}/me-too`, newClient(), { headers: { 'sec-fetch-site': 'cross-site', origin: 'https://other.example' } });
    expect(resident.status).toBe(200);
  });

  it('marks the session cookie Secure behind HTTPS: PUBLIC_URL https, or X-Forwarded-Proto from a trusted proxy only', async () => {
    const signInAt = async (app: ReturnType<typeof createApp>, headers: Record<string, string>) => (await app.request(`${base}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': newClient(), ...headers },
      body: JSON.stringify({ username: 'xsl-shuji', password: demoPassword }),
    })).headers.get('set-cookie')!;
    expect(await signInAt(t.app, {})).not.toMatch(/Secure/);
    expect(await signInAt(t.app, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
    const direct = createApp({ database: t.database, tiles: t.tiles, limits: defaultLimits });
    expect(await signInAt(direct, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
    process.env.PUBLIC_URL = 'https://grid.example.cn';
    expect(await signInAt(direct, {})).toMatch(/; Secure/);
  });

  it('refuses a photo of few bytes and too many pixels (a 20000 × 20000 PNG) with 413 photo_too_many_pixels', async () => {
    const filed = await fileIn(t, 'MS-XSL-G01');
    const bytes = hugePng(20_000);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    const form = new FormData();
    form.append('photo', new File([new Uint8Array(bytes)], 'huge.png', { type: 'image/png' }));
    const rss = process.memoryUsage().rss;
    const res = await send(t, 'POST', `/api/requests/${filed.ticket}/photos?token=${filed.reportToken}`, newClient(), { body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'photo_too_many_pixels', field: 'photo', maximum: maxPhotoPixels });
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024); // never decoded
  });

  // the public wish claim's own rate limit (issue 11): its own count and its own code, worded on /wishes
  it(`limits public wish claims (${defaultLimits.wishClaims}) per client on a count of their own, apart from filings, with wish_claims_limited`, async () => {
    const board = await (await send(t, 'GET', '/api/lists/wishes/board', newClient())).json();
    const wish = board.wishes.find((w: { status: string }) => w.status === 'posted');
    const claim = (client: string) => send(t, 'POST', `/api/lists/wishes/${wish.id}/claim`, client, { json: { name: '' } });
    const client = newClient();
    for (let i = 0; i < defaultLimits.wishClaims; i++) expect((await claim(client)).status).toBe(400); // refused claims count too
    const res = await claim(client);
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body).toMatchObject({ code: 'wish_claims_limited', limit: defaultLimits.wishClaims, windowMinutes: defaultLimits.windowMinutes });
    expect(res.headers.get('retry-after')).toBe(String(body.retryAfter));
    // its filings are untouched, and a client whose filings are used up still claims
    const [micro] = await t.database.rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM areas WHERE id = 'MS-XSL-G01-M1'`);
    const filing = { category: 'clutter', description: '楼道堆放杂物', lon: Number(micro.lon), lat: Number(micro.lat) };
    expect((await send(t, 'POST', '/api/requests', client, { json: filing })).status).toBe(201);
    const filer = newClient();
    for (let i = 0; i < defaultLimits.filings; i++) await send(t, 'POST', '/api/requests', filer, { json: {} });
    expect((await send(t, 'POST', '/api/requests', filer, { json: filing })).status).toBe(429);
    expect((await claim(filer)).status).toBe(400);
  });
});

describe.each(modes())('absolute URLs and the QR sheet (%s)', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(mode);
  });
  afterAll(() => t?.close());
  afterEach(() => {
    delete process.env.PUBLIC_URL;
  });

  it('builds every absolute link on PUBLIC_URL when it is set', async () => {
    process.env.PUBLIC_URL = 'https://grid.example.cn/';
    const [compound] = await t.database.rows<{ id: string }>(sql`SELECT id FROM compounds ORDER BY id LIMIT 1`);
    const bodies = await Promise.all([
      '/api', '/api/collections', '/api/collections/requests', '/api/collections/grids/items?limit=1', '/api/tiles.json',
      '/open311/v2/discovery.json', `/api/qr/compound/${compound.id}.svg`, `/api/qr/sheet/${compound.id}.svg`,
    ].map((path) => t.get(path).then((r) => r.text())));
    for (const body of bodies) {
      expect(body).toMatch(/https:\/\/grid\.example\.cn\//);
      expect(body).not.toMatch(/localhost/);
    }
    expect(bodies.at(-1)).not.toMatch(/PUBLIC_URL/);
  });

  it('prints a red warning on every page of the QR sheet when PUBLIC_URL is not set', async () => {
    const [compound] = await t.database.rows<{ id: string }>(sql`SELECT id FROM compounds ORDER BY id LIMIT 1`);
    const svg = await (await t.get(`/api/qr/sheet/${compound.id}.svg`)).text();
    const pages = (svg.match(/二维码（第 /g) ?? []).length;
    expect(pages).toBeGreaterThan(0);
    expect(svg.match(/未设置 PUBLIC_URL，本页二维码指向 http:\/\/localhost/g)).toHaveLength(pages);
  });
});
