/**
 * A line that knows the stock, in the browser: the waiting page says how many seats are left and
 * that held ones may come back, the selling page says when there is nothing left to pick, and the
 * last sale ends the wait with "Sold out".
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { call } from '../support/api-client.js';
import { screenshot } from '../support/browser.js';
import { describeNeeding } from '../support/needs.js';
import { WAIT, fans, joinQueue, saleShow, siteInChromium, textOf, pagesPerSession } from './helpers.js';

describeNeeding(['browser'], 'the stock on the buying pages', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));
  const pageAs = pagesPerSession(() => ({ browser, url }));

  /** The admitted fan on the selling page and the waiter (first in line) on the waiting page, both loaded. */
  async function sellingAndWaiting(showId: string, admittedToken: string, waiterToken: string) {
    const selling = await pageAs(admittedToken);
    await selling.goto(`${url}/shows/${showId}`);
    await selling.getByTestId('window-countdown').waitFor(WAIT);
    const waiting = await pageAs(waiterToken);
    await waiting.goto(`${url}/shows/${showId}`);
    await expect.poll(() => textOf(waiting, 'queue-position'), WAIT).toBe('1');
    return { selling, waiting };
  }

  it('when the seats go into another basket and are then sold, then the waiter sees seats left, then "held by other fans", then "Sold out", and the admitted fan is told nothing is left', async () => {
    const show = await saleShow(h, admin, { pageCapacity: 2, areas: [{ name: 'Box', rows: 1, seatsPerRow: 2 }] });
    const [buyer, admitted, waiter] = await fans(h, admin, 3);
    expect((await joinQueue(h, buyer!.token, show.id)).state).toBe('admitted');

    const { selling, waiting } = await sellingAndWaiting(show.id, admitted!.token, waiter!.token);
    await expect.poll(() => textOf(waiting, 'queue-seats-left'), WAIT).toBe('2 seats left');
    expect(await selling.getByTestId('nothing-left').count()).toBe(0);

    const seats = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/seats`, { token: buyer!.token })).body.seats as { id: string }[];
    for (const s of seats) expect((await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/seats/${s.id}/hold`, { token: buyer!.token })).status).toBe(200);
    await expect.poll(() => textOf(waiting, 'queue-seats-left'), WAIT).toBe('All remaining seats are held by other fans — they may come back');
    await expect.poll(() => textOf(selling, 'nothing-left'), WAIT).toBe("Everything left is in other fans' baskets right now — seats may come back if they don't buy.");
    await screenshot(waiting, 'stock-waiting-held');
    await screenshot(selling, 'stock-selling-held');

    const order = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/checkout`, { token: buyer!.token, body: { seatIds: seats.map((s) => s.id) } });
    const paid = await call(h.ticketClub.app, 'POST', `/api/orders/${order.body.order.id}/pay`, {
      token: buyer!.token,
      body: { method: 'card', card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' } },
    });
    expect(paid.status).toBe(200);

    await expect.poll(() => waiting.getByTestId('ended-reason').getAttribute('data-reason', { timeout: 5_000 }).catch(() => null), WAIT).toBe('sold_out');
    expect(await waiting.getByRole('heading', { name: 'Sold out' }).count()).toBe(1);
    await expect.poll(() => textOf(selling, 'nothing-left'), WAIT).toBe('Sold out — every seat of this show has been sold.');
    // Still admitted: the window keeps running on a page that says why there is nothing to pick.
    expect(await selling.getByTestId('window-countdown').count()).toBe(1);
    await screenshot(waiting, 'stock-waiting-sold-out');
  }, 90_000);

  it('when the show starts, then the waiting fan and the admitted one both read that the sale is over, with no offer to rejoin', async () => {
    const startsAt = Date.now() + 6_000;
    const show = await saleShow(h, admin, { pageCapacity: 1, startsAt: new Date(startsAt).toISOString(), areas: [{ name: 'Box', rows: 1, seatsPerRow: 4 }] });
    const [admitted, waiter] = await fans(h, admin, 2);
    expect((await joinQueue(h, admitted!.token, show.id)).state).toBe('admitted');
    const { selling, waiting } = await sellingAndWaiting(show.id, admitted!.token, waiter!.token);

    for (const page of [waiting, selling]) {
      await expect.poll(() => page.getByTestId('ended-reason').getAttribute('data-reason', { timeout: 5_000 }).catch(() => null), { timeout: 15_000 }).toBe('show_started');
      expect(await page.getByRole('heading', { name: 'The sale has ended' }).count()).toBe(1);
      expect(await page.getByTestId('rejoin-button').count()).toBe(0);
    }
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt);
  }, 60_000);

  it('when a fan whose place was given up comes back in a fresh tab, then the page says why and offers a new place instead of taking one', async () => {
    const show = await saleShow(h, admin, { pageCapacity: 1, areas: [{ name: 'Box', rows: 1, seatsPerRow: 4 }] });
    const [ahead, fan] = await fans(h, admin, 2);
    expect((await joinQueue(h, ahead!.token, show.id)).state).toBe('admitted');
    expect((await joinQueue(h, fan!.token, show.id)).state).toBe('waiting');
    // What the sweep does to a waiter away longer than the grace.
    await h.ticketClub.services.queue.endAdmission(show.id, fan!.id, 'removed');

    const page = await pageAs(fan!.token);
    await page.goto(`${url}/shows/${show.id}`);
    await expect.poll(() => page.getByTestId('ended-reason').getAttribute('data-reason', { timeout: 5_000 }).catch(() => null), WAIT).toBe('removed');
    expect((await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: fan!.token })).body.state).toBe('none');
    await page.getByTestId('rejoin-button').click();
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
  }, 60_000);
});
