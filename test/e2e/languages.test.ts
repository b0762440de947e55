/**
 * The two languages in Chromium: a Traditional Chinese browser abroad reads the pages in Chinese with
 * times on the venue's clock, labelled; the footer's switcher changes the language at once and is remembered.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { describeNeeding } from '../support/needs.js';
import type { Harness } from '../support/harness.js';
import { WAIT, fans, joinQueue, leaveQueue, saleShow, siteInChromium, textOf } from './helpers.js';

/** Twelve or thirteen hours from the demo venue (Asia/Taipei): a time in the browser's zone cannot read 19:30. */
const BROWSER_ZONE = 'America/New_York';
/** "19:30 GMT+8" or, as zh-TW writes it, "19:30 [GMT+8]". */
const TAIPEI_1930 = /19:30 \[?GMT\+8\]?/;

describeNeeding(['browser'], 'the site in English and Traditional Chinese', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));

  async function zhTwInNewYork(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'zh-TW', timezoneId: BROWSER_ZONE, viewport: { width: 1280, height: 900 } });
    return { context, page: await context.newPage() };
  }

  it('when a zh-TW browser in New York opens the home and an event page, then they are in Chinese with times on the venue\'s clock, labelled', async () => {
    const { context, page } = await zhTwInNewYork();
    await page.goto(url);
    expect(await page.evaluate(() => ({ languages: navigator.languages[0], zone: Intl.DateTimeFormat().resolvedOptions().timeZone }))).toEqual({
      languages: 'zh-TW',
      zone: BROWSER_ZONE,
    });
    await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe('zh-TW');
    await expect.poll(() => page.locator('.section-title').first().textContent(), WAIT).toBe('近期活動');
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('下一個美好夜晚，從這裡開始。');
    await expect.poll(() => page.locator('.site-footer').textContent(), WAIT).toContain('隱私權政策');

    const card = page.getByTestId('event-card').filter({ hasText: 'Paper Moon Live' });
    // A date in Chinese ("2030年3月14日週四"), at 19:30 in Taipei, labelled with Taipei's zone.
    await expect.poll(() => card.locator('.event-card-date time').textContent(), WAIT).toMatch(/\d+年\d+月\d+日.*19:30 \[?GMT\+8\]?$/);
    await screenshot(page, 'home-zh-tw');

    await card.click();
    await page.waitForURL(/\/events\//);
    await expect.poll(() => page.getByTestId('show-row').count(), WAIT).toBe(2);
    expect(await page.locator('#shows-title').textContent()).toBe('場次與票券');
    for (const when of await page.locator('.show-row-when').allTextContents()) expect(when).toMatch(TAIPEI_1930);
    expect(await page.getByTestId('buy-button').allTextContents()).toContain('購票');
    await screenshot(page, 'event-zh-tw');
    await context.close();
  });

  it('when the zh-TW reader picks English in the footer, then the page switches without a reload and stays English after one', async () => {
    const { context, page } = await zhTwInNewYork();
    await page.goto(url);
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('下一個美好夜晚，從這裡開始。');
    // A mark on this document: it survives only if the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await page.getByTestId('language-switcher').selectOption('en');
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('Your next night out starts here.');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const card = page.getByTestId('event-card').filter({ hasText: 'Paper Moon Live' });
    await expect.poll(() => card.locator('.event-card-date time').textContent(), WAIT).toMatch(/^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, \d{4}, 19:30 GMT\+8$/);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    await page.reload();
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('Your next night out starts here.');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('language-switcher').inputValue()).toBe('en');

    // And back: Chinese again, remembered too.
    await page.getByTestId('language-switcher').selectOption('zh-TW');
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('下一個美好夜晚，從這裡開始。');
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe('zh-TW');
    await context.close();
  });

  it('when an organizer with a zh-TW browser opens the console, then it is in Chinese and shows are on the venue\'s clock', async () => {
    const { context: zh, page } = await zhTwInNewYork();
    // The demo admin's session, as contextWithSession sets it.
    await zh.addCookies([{ name: 'tc_session', value: admin, url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto(`${url}/admin`);
    await expect.poll(() => page.locator('.console-title').textContent(), WAIT).toBe('活動與場次');
    expect(await page.locator('.console-nav-links').textContent()).toContain('驗票入場');
    const dates = await page.getByTestId('admin-show-row').locator('time').allTextContents();
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d).toMatch(TAIPEI_1930);
    await screenshot(page, 'console-zh-tw');
    await zh.close();
  });

  it('when a zh-TW fan waits in line, then the waiting room speaks Chinese (place, people ahead, wait, the window in words) and the turn alert too', async () => {
    const show = await saleShow(h, admin, { pageCapacity: 1, purchaseWindowSeconds: 600, title: 'Waiting Room zh-TW' });
    const [first, fan] = await fans(h, admin, 2);
    expect((await joinQueue(h, first!.token, show.id)).state).toBe('admitted');
    const { context, page } = await zhTwInNewYork();
    await context.addCookies([{ name: 'tc_session', value: fan!.token, url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto(`${url}/shows/${show.id}`);
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
    expect(await page.locator('#waiting-title').textContent()).toBe('您已在排隊中');
    expect(await textOf(page, 'queue-ahead')).toBe('下一位就是您！');
    await expect.poll(() => textOf(page, 'queue-eta'), WAIT).toMatch(/^(約 .*分鐘|不到一分鐘|隨時會輪到您…)/);
    const calm = await page.locator('.waiting-calm').textContent();
    expect(calm).toContain('請保持此分頁開啟');
    expect(calm).toContain('10 分鐘');
    expect(await page.getByRole('progressbar').getAttribute('aria-label')).toBe('距離隊伍最前面的進度');
    expect(await page.getByTestId('leave-queue-button').textContent()).toBe('離開隊伍');
    await screenshot(page, 'waiting-room-zh-tw');

    await leaveQueue(h, first!.token, show.id);
    await expect.poll(() => page.title(), WAIT).toBe('🔔 輪到您了！');
    await context.close();
  });

  it('when a logged-in fan switches the language in the footer, then the account keeps it for its emails and PDFs', async () => {
    const [fan] = await fans(h, admin, 1);
    const localeOf = async () => (await h.db.query<{ locale: string }>(`SELECT locale FROM users WHERE id = $1`, [fan!.id])).rows[0]?.locale;
    expect(await localeOf()).toBe('en');
    const { context, page } = await zhTwInNewYork();
    await context.addCookies([{ name: 'tc_session', value: fan!.token, url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto(url);
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('下一個美好夜晚，從這裡開始。');
    await page.getByTestId('language-switcher').selectOption('en');
    await page.getByTestId('language-switcher').selectOption('zh-TW');
    await expect.poll(localeOf, WAIT).toBe('zh-TW');
    await context.close();
  });

  it('when an English browser opens the site, then it is in English with <html lang="en">', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: BROWSER_ZONE });
    const page = await context.newPage();
    await page.goto(url);
    await expect.poll(() => page.locator('.hero-title').textContent(), WAIT).toBe('Your next night out starts here.');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByTestId('language-switcher').inputValue()).toBe('en');
    await context.close();
  });
});
