/**
 * What two fans see of each other, live, in two browsers: the waiting room moving on its own
 * when the one ahead pays, seats turning taken as the other picks them, and refreshes that
 * keep the place in line, the purchase window and the held seats.
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { clockSeconds, docScreenshot, screenshot } from '../support/browser.js';
import { GOOD_CARD, WAIT, fans, fillCard, holdSeat, openFirstArea, saleShow, seatStatus, signUp, siteInChromium, textOf, pagesPerSession } from './helpers.js';
import { describeNeeding } from '../support/needs.js';

describeNeeding(['browser'], 'two fans in two browsers', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));
  const pageAs = pagesPerSession(() => ({ browser, url }));

  it('when the only admitted fan pays, then the fan first in line is taken to the selling page by itself, and a refresh while waiting keeps the place', async () => {
    const show = await saleShow(h, admin, { pageCapacity: 1, areas: [{ name: 'Stalls', rows: 4, seatsPerRow: 10 }] });
    const [a] = await fans(h, admin, 1);
    const b = await signUp(h, 'Mei Chen');
    const pageA = await pageAs(a!.token);
    await pageA.goto(`${url}/shows/${show.id}`);
    await pageA.getByTestId('window-countdown').waitFor(WAIT);

    const pageB = await pageAs(b!.token);
    await pageB.goto(`${url}/shows/${show.id}`);
    await expect.poll(() => textOf(pageB, 'queue-position'), WAIT).toBe('1');
    // The estimate counts down by itself (A's window is 10 minutes), shown in words.
    const etaOf = async () => Number(await pageB.getByTestId('queue-eta').getAttribute('data-eta-seconds', { timeout: 5_000 }).catch(() => null));
    const eta = await etaOf();
    expect(eta).toBeGreaterThan(500);
    expect(eta).toBeLessThanOrEqual(610);
    await expect.poll(etaOf, WAIT).toBeLessThan(eta);
    expect(await textOf(pageB, 'queue-eta')).toMatch(/minutes$/);
    await docScreenshot(pageB, 'waiting-room');

    // A refresh keeps the place in line (and does not restart the estimate).
    const before = await etaOf();
    await pageB.reload();
    await expect.poll(() => textOf(pageB, 'queue-position'), WAIT).toBe('1');
    expect(await etaOf()).toBeLessThanOrEqual(before);
    await pageB.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // A buys one seat.
    await openFirstArea(pageA);
    await holdSeat(pageA, 0);
    await pageA.getByTestId('checkout-button').click();
    await pageA.getByTestId('pay-button').waitFor(WAIT);
    await fillCard(pageA, GOOD_CARD);
    await pageA.getByTestId('pay-button').click();
    await pageA.waitForURL(/\/orders\//, WAIT);
    const paidAt = Date.now();

    // B moves on without a reload.
    await pageB.getByTestId('window-countdown').waitFor({ timeout: 10_000 });
    expect(Date.now() - paidAt).toBeLessThan(10_000);
    expect(await pageB.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(clockSeconds(await textOf(pageB, 'window-countdown'))).toBeGreaterThan(590);
  }, 90_000);

  it('when one fan holds a seat, then it turns taken in the other browser at once; a refresh keeps the countdown and the held seat', async () => {
    const show = await saleShow(h, admin, { pageCapacity: 10, areas: [{ name: 'Balcony', rows: 3, seatsPerRow: 8 }] });
    const [c, d] = await fans(h, admin, 2);
    const pageC = await pageAs(c!.token);
    const pageD = await pageAs(d!.token);
    await Promise.all([pageC.goto(`${url}/shows/${show.id}`), pageD.goto(`${url}/shows/${show.id}`)]);
    await Promise.all([pageC.getByTestId('window-countdown').waitFor(WAIT), pageD.getByTestId('window-countdown').waitFor(WAIT)]);
    await Promise.all([openFirstArea(pageC), openFirstArea(pageD)]);

    // C holds a seat: D sees it selected by someone else, without reloading, within a couple of seconds.
    const seat = await holdSeat(pageC, 3);
    const heldAt = Date.now();
    await expect.poll(() => seatStatus(pageD, seat), { timeout: 5_000, interval: 100 }).toBe('selected');
    expect(Date.now() - heldAt).toBeLessThan(3_000);
    await screenshot(pageD, 'live-seat-taken');

    // D refreshes: the countdown goes on from where it was and D's own held seat is still D's.
    const own = await holdSeat(pageD, 0);
    const before = clockSeconds(await textOf(pageD, 'window-countdown'));
    expect(before).toBeGreaterThan(500);
    await pageD.reload();
    await pageD.getByTestId('window-countdown').waitFor(WAIT);
    const after = clockSeconds(await textOf(pageD, 'window-countdown'));
    expect(after).toBeLessThanOrEqual(before);
    expect(after).toBeGreaterThan(before - 60);
    await expect.poll(() => seatStatus(pageD, own), WAIT).toBe('mine');
    await expect.poll(() => pageD.getByTestId('selected-seat').count(), WAIT).toBe(1);
    // ...and C's seat is still shown taken after the fresh load.
    expect(await seatStatus(pageD, seat)).toBe('selected');

    // C goes to checkout: D sees the seat locked.
    await pageC.getByTestId('checkout-button').click();
    await pageC.getByTestId('pay-button').waitFor(WAIT);
    await expect.poll(() => seatStatus(pageD, seat), { timeout: 5_000, interval: 100 }).toBe('locked');
  }, 90_000);
});
