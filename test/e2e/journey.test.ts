/**
 * The buying journey in Chromium, as a fan lives it: event page → Buy → selling page → seats →
 * checkout → card → tickets; and the same on a phone, with a waiting room and a declined card first.
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { contextWithSession, docScreenshot, horizontalOverflow, logIn, screenshot } from '../support/browser.js';
import {
  DECLINED_CARD,
  DEMO_FAN,
  GOOD_CARD,
  WAIT,
  fans,
  fillCard,
  holdSeat,
  joinQueue,
  leaveQueue,
  openFirstArea,
  ordersOf,
  saleShow,
  siteInChromium,
  textOf,
} from './helpers.js';
import { describeNeeding } from '../support/needs.js';

describeNeeding(['browser'], 'buying tickets in Chromium', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));

  it('when the demo fan buys two seats for a show with room, then the tickets show QR codes and the profile lists the order', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(url);
    await expect.poll(() => page.getByTestId('event-card').count(), WAIT).toBeGreaterThanOrEqual(8);
    await docScreenshot(page, 'home');

    await logIn(page, url, DEMO_FAN.email, DEMO_FAN.password);
    await page.goto(url);
    await page.getByTestId('event-card').filter({ hasText: 'Midnight Tides Tour' }).first().click();
    await page.waitForURL(/\/events\//);
    const row = page.locator('[data-testid="show-row"][data-status="on_sale"]').first();
    await row.getByTestId('buy-button').click();

    // The show has room: straight to the selling page, with the purchase window counting down.
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await openFirstArea(page);
    const first = await holdSeat(page, 0);
    const second = await holdSeat(page, 0);
    expect(first).not.toBe(second);
    await expect.poll(() => page.getByTestId('selected-seat').count(), WAIT).toBe(2);
    await docScreenshot(page, 'seat-map');

    await page.getByTestId('checkout-button').click();
    await page.getByTestId('pay-button').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('order-item').count(), WAIT).toBe(2);
    await fillCard(page, GOOD_CARD);
    await docScreenshot(page, 'checkout');
    await page.getByTestId('pay-button').click();

    await page.waitForURL(/\/orders\//, WAIT);
    await expect.poll(() => page.locator('[data-testid="ticket"] img').count(), WAIT).toBe(2);
    // The QR codes are real images, drawn.
    const drawn = await page.locator('[data-testid="ticket"] img').evaluateAll((imgs) =>
      imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
    );
    expect(drawn).toBe(true);
    await docScreenshot(page, 'tickets');

    await page.goto(`${url}/profile`);
    await expect.poll(() => page.locator('[data-testid="order-row"][data-status="paid"]').count(), WAIT).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator('[data-testid="order-row"] [data-testid="ticket"] img').count(), WAIT).toBeGreaterThanOrEqual(2);
    await page.close();
  }, 90_000);

  it('when a fan on a 375 px phone waits, picks a seat and pays with a declined card, then nothing overflows, the error is inline and the order stays payable', async () => {
    // A show whose selling page holds one account, taken by someone else.
    const show = await saleShow(h, admin, { pageCapacity: 1, areas: [{ name: 'Stalls', rows: 6, seatsPerRow: 20 }] });
    const [ahead, fan] = await fans(h, admin, 2);
    expect((await joinQueue(h, ahead!.token, show.id)).state).toBe('admitted');

    const context = await contextWithSession(browser, url, fan!.token, { width: 375, height: 740 });
    const page = await context.newPage();
    await page.goto(`${url}/shows/${show.id}`);
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
    await screenshot(page, 'mobile-waiting-room');

    // The one ahead leaves: this phone moves to the selling page by itself.
    await leaveQueue(h, ahead!.token, show.id);
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await openFirstArea(page);
    await holdSeat(page, 0);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
    await screenshot(page, 'mobile-seat-map');

    await page.getByTestId('checkout-button').click();
    await page.getByTestId('pay-button').waitFor(WAIT);
    await fillCard(page, DECLINED_CARD);
    await page.getByTestId('pay-button').click();
    const error = page.locator('.checkout-pay [data-testid="error-message"]');
    await error.waitFor(WAIT);
    await expect.poll(() => error.textContent(), WAIT).toMatch(/declined/i);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
    await screenshot(page, 'mobile-checkout-declined');
    // Still on the checkout, still pending, the button usable again.
    expect(page.url()).toContain(`/shows/${show.id}`);
    expect(await page.getByTestId('pay-button').isEnabled()).toBe(true);
    expect((await ordersOf(h, fan!.token)).map((o) => o.status)).toEqual(['pending']);

    // And the same order can be paid with a good card.
    await fillCard(page, GOOD_CARD);
    await page.getByTestId('pay-button').click();
    await page.waitForURL(/\/orders\//, WAIT);
    await expect.poll(() => page.locator('[data-testid="ticket"] img').count(), WAIT).toBe(1);
    expect((await ordersOf(h, fan!.token)).map((o) => o.status)).toEqual(['paid']);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(375);
    await context.close();
  }, 90_000);
});
