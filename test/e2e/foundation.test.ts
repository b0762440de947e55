import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import { logIn, screenshot } from '../support/browser.js';
import { WAIT, siteInChromium } from './helpers.js';
import { describeNeeding } from '../support/needs.js';

describeNeeding(['browser'], 'the site in Chromium', () => {
  let browser: Browser;
  let url: string;

  siteInChromium((s) => ({ url, browser } = s));

  it('when the demo fan logs in and opens an event, then its shows are listed with buy buttons', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(url);
    await expect.poll(() => page.getByTestId('event-card').count(), WAIT).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'home');

    await logIn(page, url, 'demo@test.com', 'demodemo');
    await page.goto(url);
    await page.getByTestId('event-card').filter({ hasText: 'Jazz at Dadaocheng' }).first().click();
    await page.waitForURL(/\/events\//);
    await expect.poll(() => page.getByTestId('show-row').count(), WAIT).toBe(2);
    // One show has been played: its button is disabled; the other is on sale.
    const buttons = page.getByTestId('buy-button');
    const disabled = await buttons.evaluateAll((els) => els.map((e) => (e as HTMLButtonElement).disabled));
    expect(disabled.sort()).toEqual([false, true]);
    await screenshot(page, 'event');
    await page.close();
  });

  it('when someone searches, then only matching events are shown', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/?q=neon`);
    await expect.poll(() => page.getByTestId('event-card').count(), WAIT).toBe(1);
    await expect(page.getByTestId('event-card').first().textContent()).resolves.toContain('Neon Harbor');
    await page.close();
  });
});
