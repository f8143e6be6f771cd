import { chromium } from 'playwright-core';
const base = 'http://localhost:8198';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader'] });
const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
const page = await ctx.newPage();
const r = await page.request.post(base + '/api/session', { data: { username: 'county-admin', password: 'demo1234' } });
console.log('sign-in', r.status());
for (const [path, name, wait] of [['/', 'map', 15000], ['/wall', 'wall', 20000], ['/rates', 'rates', 15000]]) {
  const t0 = Date.now();
  await page.goto(base + path);
  await page.waitForTimeout(wait);
  await page.screenshot({ path: `/tmp/shots/county-${name}.png` });
  console.log(name, Date.now() - t0, 'ms');
}
await browser.close();
