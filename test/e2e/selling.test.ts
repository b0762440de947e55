/**
 * Selling more than seats, in the browser: a standing area by quantity, best available beside the
 * map, and a waitlisted fan brought to the selling page when a refund gives places back.
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { call } from '../support/api-client.js';
import { screenshot } from '../support/browser.js';
import { describeNeeding } from '../support/needs.js';
import { WAIT, buyAdmitted, fans, joinQueue, ordersOf, pagesPerSession, saleShow, siteInChromium } from './helpers.js';

describeNeeding(['browser'], 'standing areas, best available and the waitlist in the browser', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));
  const pageAs = pagesPerSession(() => ({ browser, url }));

  it('when a fan asks for standing places and then for the best two seats, then they are held and the live count drops', async () => {
    const show = await saleShow(h, admin, {
      areas: [
        { name: 'Floor', kind: 'standing', capacity: 10 },
        { name: 'Stalls', rows: 2, seatsPerRow: 4, accessibleSeats: [{ row: 2, number: 1 }] },
      ],
    });
    const [fan] = await fans(h, admin, 1);
    const page = await pageAs(fan!.token);
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('window-countdown').waitFor(WAIT);

    await page.locator(`[data-area-id="${show.areas[0]!.id}"]`).click();
    await expect.poll(() => page.getByTestId('standing-count').getAttribute('data-free'), WAIT).toBe('10');
    await page.getByLabel('Places', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Hold 2 places' }).click();
    await expect.poll(() => page.getByTestId('selected-seat').count(), WAIT).toBe(2);
    await expect.poll(() => page.getByTestId('standing-count').getAttribute('data-free'), WAIT).toBe('8');
    await screenshot(page, 'selling-standing');

    await page.locator(`[data-area-id="${show.areas[1]!.id}"]`).click();
    await page.getByRole('button', { name: /Row 2, seat 1, wheelchair accessible/ }).waitFor(WAIT);
    await page.getByLabel('Best available: seats together').selectOption('2');
    await page.getByRole('button', { name: 'Find 2 best seats' }).click();
    await expect.poll(() => page.getByTestId('selected-seat').count(), WAIT).toBe(4);
    const mine = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/seats?mine=true`, { token: fan!.token })).body.seats as { areaId: string; row: number; number: number }[];
    expect(mine.filter((s) => s.areaId === show.areas[1]!.id).map((s) => [s.row, s.number])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    await screenshot(page, 'selling-best-available');
  }, 90_000);

  it('when a waitlisted fan is on the sold-out page and an order is refunded, then the fan lands on the selling page with the places held', async () => {
    const show = await saleShow(h, admin, { areas: [{ name: 'Box', rows: 1, seatsPerRow: 2 }], maxTicketsPerAccount: 2 });
    const [buyer, fan] = await fans(h, admin, 2);
    expect((await joinQueue(h, buyer!.token, show.id)).state).toBe('admitted');
    await buyAdmitted(h, buyer!.token, show.id, 2);

    const page = await pageAs(fan!.token);
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('waitlist-join').waitFor(WAIT);
    await page.getByLabel('Places', { exact: true }).selectOption('2');
    await page.getByTestId('waitlist-join').click();
    await expect.poll(() => page.getByTestId('waitlist-position').getAttribute('data-position'), WAIT).toBe('1');
    await screenshot(page, 'waitlist-waiting');

    const [order] = await ordersOf(h, buyer!.token);
    expect((await call(h.ticketClub.app, 'POST', `/api/admin/orders/${order!.id}/refund`, { token: admin })).status).toBe(200);
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('selected-seat').count(), WAIT).toBe(2);
    await screenshot(page, 'waitlist-offer');
  }, 90_000);
});
