/**
 * The two languages in Chromium: a Traditional Chinese browser abroad reads the pages in Chinese with
 * times on the venue's clock, labelled; the footer's switcher changes the language at once and is remembered.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { describeNeeding } from '../support/needs.js';
import { WAIT, siteInChromium } from './helpers.js';

/** Twelve or thirteen hours from the demo venue (Asia/Taipei): a time in the browser's zone cannot read 19:30. */
const BROWSER_ZONE = 'America/New_York';
/** "19:30 GMT+8" or, as zh-TW writes it, "19:30 [GMT+8]". */
const TAIPEI_1930 = /19:30 \[?GMT\+8\]?/;

describeNeeding(['browser'], 'the site in English and Traditional Chinese', () => {
  let browser: Browser;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ url, browser, admin } = s));

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
