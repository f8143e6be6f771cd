import { mkdirSync, writeFileSync } from 'node:fs';
import { inject } from 'vitest';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type Request,
} from 'playwright-core';

// What every browser test shares: the machine's Chromium with nothing phoning home, fresh
// contexts at a given size and language, a recorder of requests that leave localhost, and
// screenshots kept in test-results/ to look at.

/** Where the screenshots go (looked at by people, not compared by the tests). */
export const OUT = 'test-results';
export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1920, height: 1080 } as const;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Headless /usr/bin/chromium with the flags above; also makes sure test-results/ exists. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(OUT, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Every request that left this machine from any context made by `newContext` in this test file. */
export const outsideRequestsSeen: string[] = [];

/** A fresh context (own storage, own service workers): a phone in Chinese unless told otherwise. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', deviceScaleFactor: 1, ...options });
  recordOutsideRequests(context, outsideRequestsSeen);
  return context;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Collects the URL of every request of a page or context that goes to another host than this
 * machine (data: and blob: URLs stay inside the page and do not count). The array fills as
 * requests are made: assert on it once the page has loaded.
 */
export function recordOutsideRequests(
  target: { on(event: 'request', listener: (request: Request) => unknown): unknown },
  outside: string[] = [],
): string[] {
  target.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!LOCAL_HOSTS.includes(url.hostname)) outside.push(request.url());
  });
  return outside;
}

/** Takes a screenshot of a page or an element, keeps it as test-results/<name> and returns the PNG. */
export async function screenshot(target: Page | Locator, name: string, options: { fullPage?: boolean } = {}): Promise<Buffer> {
  const png = await target.screenshot(options);
  writeFileSync(`${OUT}/${name}`, png);
  return png;
}

/** Counts screenshot pixels near each of the given colours (decoded by the page itself: no PNG library). */
export async function countColors(page: Page, png: Buffer, colors: readonly string[], tolerance = 6): Promise<number[]> {
  return page.evaluate(async ({ base64, colors, tolerance }) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    const rgb = colors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    const counts = colors.map(() => 0);
    for (let p = 0; p < data.length; p += 4) {
      rgb.forEach(([r, g, b], i) => {
        if (Math.abs(data[p] - r) <= tolerance && Math.abs(data[p + 1] - g) <= tolerance && Math.abs(data[p + 2] - b) <= tolerance) counts[i]++;
      });
    }
    return counts;
  }, { base64: png.toString('base64'), colors: [...colors], tolerance });
}

/** Signs a demo account in over the API and answers its cookie (`gm_session=…`), for `signedInContext`. */
export async function staffCookie(base: string, username: string, password = process.env.DEMO_PASSWORD ?? 'demo1234'): Promise<string> {
  const res = await fetch(new URL('/api/session', base), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/** A fresh context (as `newContext`) that carries a staff session's cookie. */
export async function signedInContext(browser: Browser, base: string, cookie: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await newContext(browser, options);
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  return context;
}

/**
 * The embedded default only (the app as `npm start` runs it): for the pages whose browser checks
 * are of layout, language, map drawing and what they show — the data behind them comes from the
 * same API the tests/api files run on both engines. The flows that write (the request loop, the
 * worker's pages, notifications, the console, care, lists, visits, rates) run on both engines.
 */
export const embeddedTarget = () => inject('browserTargets').filter(([engine]) => engine === 'pglite');
