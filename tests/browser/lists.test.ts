import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type * as maplibregl from 'maplibre-gl';
import { DESKTOP, launchChromium, newContext, PHONE, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// 三项清单 in Chromium, in Chinese, as a community secretary keeps them on a phone: a need added in
// a grid, a resource at a service point, a project linking the two — then the need names the
// project, a need taken from a request's page, and the map has the need at its grid; in English on
// a desktop. (Access — 401, 403 — is the API test's: tests/api/lists.test.ts.) Runs against the
// embedded default and PostgreSQL.

type ListsWindow = { __listsMap?: maplibregl.Map };

describe.each(inject('browserTargets'))('the three lists in Chromium on %s', (engine, base) => {
  let browser: Browser;
  let cookie: string;
  const tag = randomBytes(2).toString('hex');
  beforeAll(async () => {
    browser = await launchChromium();
    cookie = await staffCookie(base, 'xsl-shuji');
  });
  afterAll(async () => browser?.close());

  const signedIn = (options: Parameters<typeof newContext>[1]): Promise<BrowserContext> => signedInContext(browser, base, cookie, options);
  const api = async (path: string) => (await fetch(new URL(path, base), { headers: { cookie } })).json();

  it('adds a need, a resource and a project linking them on the phone, and shows them on the lists and the map', async () => {
    const page = await (await signedIn({ viewport: PHONE })).newPage();
    await page.goto(new URL('/lists', base).href);
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('h1').textContent()).resolves.toContain('三项清单');
    const before = await api('/api/lists/needs');
    await expect(page.locator('li.card[data-need]').count()).resolves.toBe(before.needs.length);

    // a need heard on the deliberation day in the second grid
    const need = `课后托管需求${tag}`;
    await page.locator('[data-action="add-need"]').click();
    const needForm = page.locator('form[data-form="need"]');
    await needForm.locator('select[name="gridId"]').selectOption('MS-XSL-G02');
    await needForm.locator('select[name="source"]').selectOption('deliberation');
    await needForm.locator('select[name="kind"]').selectOption('after_school');
    await needForm.locator('input[name="title"]').fill(need);
    await needForm.locator('input[name="households"]').fill('7');
    await needForm.locator('textarea[name="detail"]').fill('孩子四点放学，家里没人接');
    await needForm.locator('button[type="submit"]').click();
    const needCard = page.locator('section[data-grid="MS-XSL-G02"] li.card', { hasText: need });
    await needCard.waitFor({ timeout: 15_000 });
    await expect(needCard.locator('[data-households]').textContent()).resolves.toBe('7 户');
    await expect(needCard.textContent()).resolves.toContain('尚无项目对接');
    await screenshot(page, `lists-needs-phone-${engine}.png`);

    // a resource at the community's health station
    const resource = `托管志愿队${tag}`;
    await page.locator('nav.tabs button[data-tab="resources"]').click();
    await page.locator('[data-action="add-resource"]').click();
    const resourceForm = page.locator('form[data-form="resource"]');
    await resourceForm.locator('input[name="name"]').fill(resource);
    await resourceForm.locator('select[name="kind"]').selectOption('volunteer_team');
    await resourceForm.locator('textarea[name="offers"]').fill('放学后作业辅导，每周三次');
    await resourceForm.locator('select[name="poiId"]').selectOption('MS-P026');
    await resourceForm.locator('button[type="submit"]').click();
    await page.locator('li.card[data-resource]', { hasText: resource }).waitFor({ timeout: 15_000 });

    // a project that links the two
    const project = `四点半课堂${tag}`;
    await page.locator('nav.tabs button[data-tab="projects"]').click();
    await page.locator('[data-action="add-project"]').click();
    const projectForm = page.locator('form[data-form="project"]');
    await projectForm.locator('input[name="title"]').fill(project);
    await projectForm.locator('select[name="status"]').selectOption('active');
    await projectForm.locator('[data-links="needs"] label', { hasText: need }).locator('input').check();
    await projectForm.locator('[data-links="resources"] label', { hasText: resource }).locator('input').check();
    await projectForm.locator('button[type="submit"]').click();
    const projectCard = page.locator('li.card[data-project]', { hasText: project });
    await projectCard.waitFor({ timeout: 15_000 });
    await expect(projectCard.getAttribute('data-status')).resolves.toBe('active');
    await expect(projectCard.locator('.tag.link').textContent()).resolves.toContain(need);
    await expect(projectCard.textContent()).resolves.toContain(resource);
    await screenshot(page, `lists-projects-phone-${engine}.png`);

    // the need now names its project; the resource too
    await page.locator('nav.tabs button[data-tab="needs"]').click();
    await expect(needCard.locator('.tag.link').textContent()).resolves.toBe(project);
    await page.locator('nav.tabs button[data-tab="resources"]').click();
    await expect(page.locator('li.card[data-resource]', { hasText: resource }).locator('.tag.link').textContent()).resolves.toBe(project);

    // 加入需求清单 from a request's page: the form opens with its ticket and its category's name
    const { requests } = await api('/api/staff/requests');
    const ticket: string = requests[0].ticket;
    await page.goto(new URL(`/lists?request=${ticket}&title=${encodeURIComponent(`诉求转需求${tag}`)}`, base).href);
    const fromRequest = page.locator('form[data-form="need"]');
    await expect(fromRequest.locator('input[name="request"]').inputValue({ timeout: 30_000 })).resolves.toBe(ticket);
    await fromRequest.locator('button[type="submit"]').click();
    const taken = page.locator('li.card[data-need]', { hasText: `诉求转需求${tag}` });
    await taken.waitFor({ timeout: 15_000 });
    await expect(taken.textContent()).resolves.toContain(`群众诉求 · ${ticket}`);

    // on the map: every need of the community, the new one drawn at its grid as answered
    const { needs } = await api('/api/lists/needs');
    const added = needs.find((n: { title: string }) => n.title === need);
    await page.locator('nav.tabs button[data-tab="map"]').click();
    const map = page.locator('[data-testid="lists-map"]');
    await expect(map.getAttribute('data-needs')).resolves.toBe(String(needs.length));
    await page.waitForFunction(() => {
      const m = (window as unknown as ListsWindow).__listsMap;
      return !!m && m.loaded() && !m.isMoving() && m.queryRenderedFeatures({ layers: ['lists-needs'] }).length > 0;
    }, undefined, { timeout: 30_000 });
    const drawn = await page.evaluate(() => (window as unknown as ListsWindow).__listsMap!
      .queryRenderedFeatures({ layers: ['lists-needs'] }).map((f) => ({ id: f.properties.id, answered: f.properties.answered })));
    expect(drawn).toContainEqual({ id: added.id, answered: true });
    await screenshot(page, `lists-map-phone-${engine}.png`);
  });

  it('reads in English on a desktop', async () => {
    const context = await signedIn({ viewport: DESKTOP, locale: 'en-US' });
    await context.addInitScript(() => localStorage.setItem('gridmap.locale', 'en'));
    const page = await context.newPage();
    await page.goto(new URL('/lists', base).href);
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('h1').textContent()).resolves.toContain('Three lists');
    await page.locator('nav.tabs button[data-tab="wishes"]').click();
    const { wishes } = await api('/api/lists/wishes');
    await expect(page.locator('li.card[data-wish]').count()).resolves.toBe(wishes.length);
    await expect(page.locator('li.card[data-status="posted"] button[data-move="claimed"]').first().textContent()).resolves.toBe('Claim');
    await screenshot(page, `lists-wishes-desktop-en-${engine}.png`);
  });
});
