/**
 * A checkout whose answer never arrived, and an order made in another tab: the buying page finds
 * the pending order by itself and goes on to its payment.
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { call } from '../support/api-client.js';
import { contextWithSession } from '../support/browser.js';
import { WAIT, fans, holdSeat, joinQueue, openFirstArea, ordersOf, saleShow, siteInChromium } from './helpers.js';
import { describeNeeding } from '../support/needs.js';

describeNeeding(['browser'], 'resuming a checkout in Chromium', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));

  it('when the answer to a checkout is lost on the way, then the page retries it and lands on the one order it made', async () => {
    const show = await saleShow(h, admin);
    const [fan] = await fans(h, admin, 1);
    const context = await contextWithSession(browser, url, fan!.token, { width: 1280, height: 860 });
    const page = await context.newPage();
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await openFirstArea(page);
    await holdSeat(page, 0);
    await holdSeat(page, 0);

    // The server makes the order; the connection drops before the answer reaches the browser.
    let lost = 0;
    await page.route('**/api/shows/*/checkout', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByTestId('checkout-button').click();
    await page.getByTestId('pay-button').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('order-item').count(), WAIT).toBe(2);
    expect(lost).toBeGreaterThanOrEqual(1);
    const orders = await ordersOf(h, fan!.token);
    expect(orders.map((o) => o.status)).toEqual(['pending']);
    await context.close();
  }, 90_000);

  it('when the fan already has a pending order for the show, then opening the selling page goes to its checkout', async () => {
    const show = await saleShow(h, admin);
    const [fan] = await fans(h, admin, 1);
    expect((await joinQueue(h, fan!.token, show.id)).state).toBe('admitted');
    const seats = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/seats`, { token: fan!.token })).body.seats.slice(0, 1) as { id: string }[];
    expect((await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/seats/${seats[0]!.id}/hold`, { token: fan!.token })).status).toBe(200);
    const co = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/checkout`, { token: fan!.token, body: { seatIds: [seats[0]!.id] } });
    expect(co.status).toBe(201);

    const context = await contextWithSession(browser, url, fan!.token, { width: 1280, height: 860 });
    const page = await context.newPage();
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('pay-button').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('order-item').count(), WAIT).toBe(1);
    await context.close();
  }, 90_000);
});
