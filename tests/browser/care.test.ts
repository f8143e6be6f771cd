import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { DESKTOP, launchChromium, newContext, PHONE, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// 关爱台账 in Chromium, in Chinese, as a grid worker uses it on the doorstep: the list by colour with
// the visits owed, a household's card, a visit recorded in one screen that turns it green, the
// health map; the wall's kiosk shows counts by colour and no household; in English on a desktop.
// Runs against the embedded default and PostgreSQL.

describe.each(inject('browserTargets'))('the care ledger in Chromium on %s', (engine, base) => {
  let browser: Browser;
  let cookie: string;
  beforeAll(async () => {
    browser = await launchChromium();
    cookie = await staffCookie(base, 'xsl-g01-zhao');
  });
  afterAll(async () => browser?.close());

  const signedIn = (options: Parameters<typeof newContext>[1]): Promise<BrowserContext> => signedInContext(browser, base, cookie, options);
  const api = async (path: string) => (await fetch(new URL(path, base), { headers: { cookie } })).json();

  it('sends a visitor without a session to sign in first', async () => {
    const page = await (await newContext(browser, { viewport: PHONE })).newPage();
    await page.goto(new URL('/care', base).href);
    await page.waitForURL('**/login?next=%2Fcare', { timeout: 15_000 });
  });

  it('lists the grid’s households by colour, opens one and records a visit on the phone that turns it green', async () => {
    const page = await (await signedIn({ viewport: PHONE })).newPage();
    await page.goto(new URL('/care', base).href);
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    const listed = await api('/api/care/households');
    await expect(page.locator('li.row').count()).resolves.toBe(listed.households.length);
    await expect(page.locator('h1').textContent()).resolves.toContain('关爱台账');
    await expect(page.locator('[data-testid="overdue-count"]').textContent()).resolves.toBe(String(listed.overdue));
    await screenshot(page, `care-list-phone-${engine}.png`);

    const first = listed.households[0];
    await page.locator(`li.row[data-household="${first.id}"] button`).click();
    const card = page.locator(`article.card[data-household="${first.id}"]`);
    await card.locator('form.visit').waitFor({ timeout: 15_000 });
    await expect(card.locator('h2').textContent()).resolves.toBe(first.name);
    const visitsBefore = await card.locator('ol.visits li:not(.none)').count();
    await card.locator('textarea').fill('老人精神不错，已帮忙预约体检');
    await card.locator('label.pick', { hasText: '绿色' }).click();
    await card.locator('button[type="submit"]').click();
    await card.locator('p.ok[role="status"]', { hasText: '走访已记录' }).waitFor({ timeout: 15_000 });
    await page.locator(`article.card[data-colour="green"]`).waitFor({ timeout: 15_000 });
    await expect(card.locator('ol.visits li:not(.none)').count()).resolves.toBe(visitsBefore + 1);
    await expect(card.locator('ol.visits li').first().textContent()).resolves.toContain('已帮忙预约体检');
    await screenshot(page, `care-card-phone-${engine}.png`, { fullPage: true });
    const after = await api(`/api/care/households/${first.id}`);
    expect([after.colour, after.state]).toEqual(['green', 'ok']);

    await card.locator('button.back').click();
    await page.locator('nav.tabs button', { hasText: '健康地图' }).click();
    const map = page.locator('[data-testid="care-map"]');
    await map.locator('canvas').waitFor({ timeout: 20_000 });
    await expect(map.getAttribute('data-points')).resolves.toBe(String(listed.households.length));
    await screenshot(page, `care-map-phone-${engine}.png`);
  });

  it('shows the wall’s kiosk the counts by colour, never a household', async () => {
    const page = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    await page.goto(new URL('/wall?kiosk=demo-wall-xsl&tour=0', base).href);
    const strip = page.locator('[data-testid="wall-care"]');
    await strip.waitFor({ timeout: 30_000 });
    const counts: { colour: string; households: number }[] = await (await fetch(new URL('/api/care/counts?kiosk=demo-wall-xsl', base))).json();
    const red = counts.filter((c) => c.colour === 'red').reduce((n, c) => n + c.households, 0);
    await expect(strip.locator('[data-colour="red"] b').textContent()).resolves.toBe(String(red));
    const names: string[] = (await (await fetch(new URL('/api/care/households', base), { headers: { cookie } })).json()).households.map((h: { name: string }) => h.name);
    const wallText = await page.locator('main').textContent();
    for (const name of names) expect(wallText).not.toContain(name);
    await screenshot(page, `care-wall-${engine}.png`);
  });

  it('reads in English on a desktop', async () => {
    const context = await signedIn({ viewport: DESKTOP, locale: 'en-US' });
    await context.addInitScript(() => localStorage.setItem('gridmap.locale', 'en'));
    const page = await context.newPage();
    await page.goto(new URL('/care', base).href);
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('h1').textContent()).resolves.toContain('Care ledger');
    await page.locator('nav.tabs button', { hasText: 'Visits due' }).click();
    await expect(page.locator('nav.tabs button.active').textContent()).resolves.toBe('Visits due');
    await screenshot(page, `care-due-desktop-en-${engine}.png`);
  });
});
