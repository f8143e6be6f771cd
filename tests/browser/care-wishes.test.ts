import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { embeddedTarget, launchChromium, newContext, PHONE, screenshot, signedInContext, staffCookie } from '../helpers/browser.ts';

// Keeping the care ledger and the public wish board in Chromium, in Chinese, on a phone: the
// community secretary writes a household down in 学生路社区第二网格 (not the grid tests/browser/care
// counts) and changes its colour, which the card's history shows with who; a volunteer claims a
// published wish from /wishes (reached from the residents' page), sees no one's details, staff
// confirm the claim on /lists and the board says 已认领. The embedded default only: the same API
// runs on both engines in tests/api/care-keep.test.ts.

describe.each(embeddedTarget())('adding a household and claiming a wish in Chromium on %s', (engine, base) => {
  let browser: Browser;
  let secretary: string;
  const tag = String(Date.now()).slice(-5);
  beforeAll(async () => {
    browser = await launchChromium();
    secretary = await staffCookie(base, 'xsl-shuji');
  });
  afterAll(async () => browser?.close());

  const api = async (path: string) => (await fetch(new URL(path, base), { headers: { cookie: secretary } })).json();

  it('writes a household down on the phone, refuses a bad phone in Chinese, and keeps its colour change with who made it', async () => {
    const page = await (await signedInContext(browser, base, secretary, { viewport: PHONE })).newPage();
    await page.goto(new URL('/care', base).href);
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    await page.locator('button.add', { hasText: '新增关爱对象' }).click();
    const form = page.locator('form[data-mode="add"]');
    await form.waitFor();
    await form.locator('input[name="name"]').fill(`测试户${tag}`);
    await form.locator('input[name="idNumber"]').fill('110101194501011234');
    await form.locator('input[name="phone"]').fill('电话没有');
    await form.locator('select[name="grid"]').selectOption('MS-XSL-G02');
    await expect.poll(() => form.locator('select[name="building"] option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await form.locator('select[name="building"]').selectOption({ index: 1 });
    await form.locator('input[name="room"]').fill('1单元101');
    await form.locator('label.pick', { hasText: '红色' }).click();
    await form.locator('label.choice', { hasText: '独居老人' }).click();
    await form.locator('button[type="submit"]').click();
    await expect(form.locator('p.warn[role="alert"]').textContent({ timeout: 15_000 })).resolves.toContain('电话');
    await screenshot(page, `care-add-error-phone-${engine}.png`, { fullPage: true });

    await form.locator('input[name="phone"]').fill('139 0000 5566');
    await form.locator('button[type="submit"]').click();
    const card = page.locator('article.card[data-colour="red"]');
    await card.locator('h2', { hasText: `测试户${tag}` }).waitFor({ timeout: 15_000 });
    const id = Number(await card.getAttribute('data-household'));
    await expect(card.locator('ol.history li').first().textContent()).resolves.toContain('登记为 红色');

    await card.locator('button.edit').click();
    const edit = card.locator('form[data-mode="edit"]');
    await expect(edit.locator('input[name="name"]').inputValue()).resolves.toBe(`测试户${tag}`);
    await edit.locator('label.pick', { hasText: '黄色' }).click();
    await edit.locator('button[type="submit"]').click();
    await page.locator(`article.card[data-household="${id}"][data-colour="yellow"]`).waitFor({ timeout: 15_000 });
    const latest = page.locator('ol.history li').first();
    await expect(latest.textContent()).resolves.toContain('调整 红色 → 黄色');
    const me = await api('/api/session');
    await expect(latest.textContent()).resolves.toContain(me.user.name);
    await screenshot(page, `care-household-phone-${engine}.png`, { fullPage: true });
    const saved = await api(`/api/care/households/${id}`);
    expect([saved.gridId, saved.colour, saved.phone, saved.room, saved.categories]).toEqual(['MS-XSL-G02', 'yellow', '139 0000 5566', '1单元101', ['living_alone']]);
  });

  it('lets a volunteer claim a published wish from the residents’ page, shows no one’s details, and says 已认领 once staff confirm', async () => {
    const volunteer = { name: `热心人${tag}`, phone: `186 0000 ${tag.slice(0, 4)}` };
    const page = await (await newContext(browser, { viewport: PHONE })).newPage();
    await page.goto(new URL('/resident', base).href);
    await page.locator('a.wish-link').click();
    await page.waitForURL('**/wishes');
    await page.locator('main[data-loaded="yes"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('h1').textContent()).resolves.toBe('微心愿');
    const open = page.locator('li.card[data-state="posted"]').first();
    const id = await open.getAttribute('data-wish');
    const card = page.locator(`li.card[data-wish="${id}"]`);
    await card.locator('button[data-action="claim"]').click();
    await card.locator('input[name="name"]').fill(volunteer.name);
    await card.locator('input[name="phone"]').fill(volunteer.phone);
    await card.locator('button[type="submit"]').click();
    await page.locator(`li.card[data-wish="${id}"][data-state="offered"] p.ok[role="status"]`).waitFor({ timeout: 15_000 });
    await expect(card.locator('.state').textContent()).resolves.toBe('已有人认领，待社区确认');
    await screenshot(page, `wishes-claimed-phone-${engine}.png`, { fullPage: true });
    const shown = await page.locator('main').textContent();
    expect(shown).not.toContain(volunteer.name);
    expect(shown).not.toContain(volunteer.phone);

    // staff see who offered, with the phone, and confirm the claim
    const staff = await (await signedInContext(browser, base, secretary, { viewport: PHONE })).newPage();
    await staff.goto(new URL('/lists', base).href);
    await staff.locator('nav.tabs button[data-tab="wishes"]').click();
    const offer = staff.locator(`li.card[data-wish="${id}"] [data-offer]`);
    await expect(offer.textContent({ timeout: 20_000 })).resolves.toContain(volunteer.phone);
    await screenshot(staff, `lists-wish-offer-phone-${engine}.png`, { fullPage: true });
    await offer.locator('button[data-action="confirm-offer"]').click();
    await staff.locator(`li.card[data-wish="${id}"][data-status="claimed"]`).waitFor({ timeout: 15_000 });

    await page.reload();
    await page.locator(`li.card[data-wish="${id}"][data-state="claimed"] .state`, { hasText: '已认领' }).waitFor({ timeout: 15_000 });
    const after = await page.locator('main').textContent();
    expect(after).not.toContain(volunteer.name);
    expect(after).not.toContain(volunteer.phone);
  });
});
