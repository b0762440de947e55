/**
 * The fan's side of the on-sale (issue 14) in Chromium, with no reload unless a test says so: the
 * countdown on the server's clock in a browser whose clock and zone are not the venue's, the pages
 * moving on at each moment, the alerts when it is your turn, the urgent end of the window, a
 * purchase that survives navigation, seat picking on a phone, and honest waiting numbers.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { ShowDetail } from '../../src/shared/api.js';
import { call } from '../support/api-client.js';
import { clockSeconds, screenshot } from '../support/browser.js';
import type { Harness } from '../support/harness.js';
import { describeNeeding } from '../support/needs.js';
import { WAIT, fans, holdSeat, joinQueue, leaveQueue, openFirstArea, saleShow, siteInChromium, textOf, type SaleShowOptions } from './helpers.js';

const BROWSER_ZONE = 'America/New_York';
/** The browser's clock is this far behind the server's: a countdown on it would be minutes off. */
const BROWSER_CLOCK_BEHIND_MS = 5 * 60_000;
const LONG = { timeout: 40_000, interval: 200 };

/** A fake `Notification` that records what was shown (headless Chromium shows none). */
function stubNotifications(): void {
  const shown: { title: string; body?: string }[] = [];
  class FakeNotification {
    static permission: NotificationPermission = 'default';
    static requestPermission(): Promise<NotificationPermission> {
      FakeNotification.permission = 'granted';
      return Promise.resolve('granted');
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body });
    }
    close(): void {}
  }
  Object.assign(window, { Notification: FakeNotification, shownNotifications: shown });
}

describeNeeding(['browser'], "the fan's side of the on-sale", () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;
  const contexts: BrowserContext[] = [];

  siteInChromium((s) => ({ h, url, browser, admin } = s));

  /** A fan's page in its own context (New York, optionally with a clock behind), with notifications stubbed. */
  async function fanPage(token: string, o: { width?: number; height?: number; clockBehind?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ timezoneId: BROWSER_ZONE, viewport: { width: o.width ?? 1280, height: o.height ?? 860 } });
    contexts.push(context);
    await context.addCookies([{ name: 'tc_session', value: token, url, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript(stubNotifications);
    if (o.clockBehind) await context.clock.install({ time: Date.now() - BROWSER_CLOCK_BEHIND_MS });
    return context.newPage();
  }

  /** A show at a venue in Taipei (GMT+8, never New York's zone). */
  async function taipeiShow(o: SaleShowOptions = {}): Promise<ShowDetail> {
    const show = await saleShow(h, admin, o);
    const r = await call(h.ticketClub.app, 'PATCH', `/api/admin/venues/${show.venue.id}`, { token: admin, body: { timeZone: 'Asia/Taipei' } });
    expect(r.status).toBe(200);
    return show;
  }

  const markNoReload = (page: Page) => page.evaluate(() => Object.assign(window, { notReloaded: true }));
  const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);
  const notifications = (page: Page) => page.evaluate(() => (window as unknown as { shownNotifications: { title: string }[] }).shownNotifications);
  const progressOf = async (page: Page) => Number(await page.getByRole('progressbar').getAttribute('aria-valuenow', { timeout: 5_000 }));

  const closeAll = () => Promise.all(contexts.splice(0).map((c) => c.close()));

  it('counts down on the server\'s clock, then the event page and the show page move on by themselves: into the pre-queue, drawn onto the seat map, the other fan told their place', async () => {
    const queueOpensAt = Date.now() + 14_000;
    const onSaleAt = queueOpensAt + 12_000;
    const show = await taipeiShow({
      pageCapacity: 1,
      queueOpensAt: new Date(queueOpensAt).toISOString(),
      onSaleAt: new Date(onSaleAt).toISOString(),
      areas: [
        { name: 'Stalls', rows: 2, seatsPerRow: 5 },
        { name: 'Balcony', rows: 2, seatsPerRow: 5 },
      ],
    });
    const [a, b] = await fans(h, admin, 2);

    // Fan A waits on the show page itself, fan B on the event page; both browsers' clocks are 5 minutes behind.
    const pageA = await fanPage(a!.token, { clockBehind: true });
    await pageA.goto(`${url}/shows/${show.id}`);
    await pageA.getByTestId('not-yet').waitFor(WAIT);
    expect(await pageA.locator('.show-header-title').textContent()).toBe(show.eventTitle);
    const pageB = await fanPage(b!.token, { clockBehind: true });
    await pageB.goto(`${url}/events/${show.eventId}`);
    const row = pageB.getByTestId('show-row');
    await row.getByTestId('sale-countdown').waitFor(WAIT);
    // The browser's own clock says the pre-queue opens in over 5 minutes; the page counts on the server's.
    expect(await pageB.evaluate((t) => t - Date.now(), queueOpensAt)).toBeGreaterThan(BROWSER_CLOCK_BEHIND_MS);
    for (const page of [pageA, pageB]) {
      const left = clockSeconds(await textOf(page, 'sale-countdown-clock'));
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(15);
      expect(await page.getByTestId('sale-countdown').getAttribute('data-becomes')).toBe('queue_open');
      expect(await textOf(page, 'price-range')).toBe('Tickets NT$1,400 – NT$1,800');
      expect(await textOf(page, 'venue-address')).toBe('Riverside Hall · 1 Test Rd, Taipei');
      // Times on the venue's clock, labelled, in a New York browser.
      expect(await page.getByTestId('sale-countdown').textContent()).toMatch(/On sale .* GMT\+8/);
      await markNoReload(page);
    }
    await screenshot(pageB, 'onsale-countdown-event-page');

    // The calendar file of the on-sale is the server's, with the pre-queue's opening in UTC.
    const href = await row.getByTestId('calendar-onsale').getAttribute('href');
    const ics = await pageB.request.get(`${url}${href}`);
    expect(ics.headers()['content-type']).toMatch(/^text\/calendar/);
    const stamp = new Date(queueOpensAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(await ics.text()).toContain(`DTSTART:${stamp}`);
    expect(await row.getByTestId('calendar-show').getAttribute('href')).toBe(`/api/shows/${show.id}/calendar.ics?for=show`);

    // The pre-queue opens: the event page offers it, the show page joins it, with no reload.
    await expect.poll(() => row.getAttribute('data-status'), LONG).toBe('queue_open');
    await expect.poll(() => pageA.getByTestId('draw-countdown').count(), LONG).toBe(1);
    expect(await pageB.getByTestId('sale-countdown').getAttribute('data-becomes')).toBe('on_sale');
    await pageA.getByTestId('notify-button').click();
    await pageA.getByTestId('notify-on').waitFor(WAIT);
    await row.getByTestId('buy-button').click();
    await pageB.getByTestId('draw-countdown').waitFor(WAIT);
    await screenshot(pageA, 'onsale-pre-queue');

    // The draw: one fan onto the seat map, the other told their place; still no reload.
    await expect
      .poll(async () => (await pageA.getByTestId('window-countdown').count()) + (await pageB.getByTestId('window-countdown').count()), LONG)
      .toBe(1);
    const [admitted, waiting] = (await pageA.getByTestId('window-countdown').count()) ? [pageA, pageB] : [pageB, pageA];
    await expect.poll(() => textOf(waiting, 'queue-position'), WAIT).toBe('1');
    for (const page of [pageA, pageB]) expect(await notReloaded(page)).toBe(true);

    // It said so: a notification where allowed (fan A allowed it), and the title flashes.
    if (admitted === pageA) expect((await notifications(pageA)).map((n) => n.title)).toEqual(["It's your turn"]);
    await expect.poll(() => admitted.title(), WAIT).toBe("🔔 It's your turn!");
    await expect.poll(() => admitted.title(), WAIT).toMatch(/^Your turn · /);
    await screenshot(waiting, 'onsale-after-draw-waiting');
    await closeAll();
  }, 120_000);

  it("when a waiting fan's turn comes, then a notification, a flashing title; the window's last two minutes look urgent and are announced; Leave asks first", async () => {
    const show = await taipeiShow({ pageCapacity: 1, purchaseWindowSeconds: 126 });
    const [first, fan] = await fans(h, admin, 2);
    expect((await joinQueue(h, first!.token, show.id)).state).toBe('admitted');
    const page = await fanPage(fan!.token);
    await page.goto(`${url}/shows/${show.id}`);
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
    await page.getByTestId('notify-button').click();
    await page.getByTestId('notify-on').waitFor(WAIT);
    expect(await page.getByTestId('turn-sound').isChecked()).toBe(true);

    await leaveQueue(h, first!.token, show.id);
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await expect.poll(() => notifications(page), WAIT).toEqual([expect.objectContaining({ title: "It's your turn", body: expect.stringContaining(show.eventTitle) })]);
    await expect.poll(() => page.title(), WAIT).toBe("🔔 It's your turn!");

    // 126 s: not urgent yet; from two minutes left it is, and a screen reader hears the time the clock shows.
    expect(await page.getByTestId('window-bar').getAttribute('data-urgent')).toBe('false');
    await expect.poll(() => page.getByTestId('window-bar').getAttribute('data-urgent'), LONG).toBe('true');
    expect(clockSeconds(await textOf(page, 'window-countdown'))).toBeLessThanOrEqual(120);
    await expect.poll(() => textOf(page, 'window-announcement'), WAIT).toBe('2 minutes left to buy');
    await screenshot(page, 'window-urgent');

    // Leave asks first: the admission stays until it is confirmed.
    await page.getByTestId('leave-selling-button').click();
    await page.getByTestId('confirm-leave-selling').waitFor(WAIT);
    expect((await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: fan!.token })).body.state).toBe('admitted');
    await page.getByTestId('confirm-leave-selling').click();
    await expect.poll(async () => (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: fan!.token })).body.state, WAIT).toBe('none');
    await closeAll();
  }, 90_000);

  it('when a window runs out and the fan joins again, then the new window\'s title is not "Your time ran out"', async () => {
    const show = await taipeiShow({ pageCapacity: 1, purchaseWindowSeconds: 6 });
    const [fan] = await fans(h, admin, 1);
    const page = await fanPage(fan!.token);
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('ended-reason').getAttribute('data-reason'), LONG).toBe('expired');
    await expect.poll(() => page.title(), WAIT).toBe('Your time ran out · TicketClub');
    await page.getByTestId('rejoin-button').click();
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await expect.poll(() => page.title(), WAIT).toBe(`Your turn · ${show.eventTitle} · TicketClub`);
    await closeAll();
  }, 60_000);

  it('when the fan goes back from the checkout and on to another page, then the seats stay theirs, a resume bar runs the clock, and resuming reaches the payment', async () => {
    const show = await taipeiShow({ pageCapacity: 1 });
    const [fan] = await fans(h, admin, 1);
    const page = await fanPage(fan!.token);
    await page.goto(`${url}/events/${show.eventId}`);
    await page.getByTestId('buy-button').click();
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await markNoReload(page);
    await openFirstArea(page);
    const seats = [await holdSeat(page, 0), await holdSeat(page, 0)];
    await page.getByTestId('checkout-button').click();
    await page.getByTestId('pay-button').waitFor(WAIT);

    // Back: the selling page, the two seats still this fan's, the order waiting for payment, the clock running.
    await page.goBack();
    await page.getByTestId('pending-order').waitFor(WAIT);
    for (const id of seats) expect(await page.locator(`[data-testid="seat"][data-seat-id="${id}"]`).getAttribute('data-status')).toBe('mine');
    const onSelling = clockSeconds(await textOf(page, 'window-countdown'));
    expect(onSelling).toBeGreaterThan(500);
    await page.getByTestId('continue-to-payment').click();
    await page.getByTestId('pay-button').waitFor(WAIT);
    await page.goBack();
    await page.getByTestId('pending-order').waitFor(WAIT);

    // Back again: the event page, with the purchase's bar and its clock.
    await page.goBack();
    await page.getByTestId('show-row').waitFor(WAIT);
    await page.getByTestId('resume-bar').waitFor(WAIT);
    const onBar = clockSeconds(await textOf(page, 'resume-countdown'));
    expect(onBar).toBeLessThanOrEqual(onSelling);
    expect(onBar).toBeGreaterThan(onSelling - 30);
    await expect.poll(async () => clockSeconds(await textOf(page, 'resume-countdown')), WAIT).toBeLessThan(onBar);
    // Anywhere on the site: the home page has it too.
    await page.locator('a.logo').click();
    await page.getByTestId('resume-bar').waitFor(WAIT);
    await screenshot(page, 'resume-bar');

    // Resuming opens the payment of the order it left.
    await page.getByTestId('resume-link').click();
    await page.getByTestId('pay-button').waitFor(WAIT);
    expect(await page.getByTestId('order-item').count()).toBe(2);
    expect(await page.getByTestId('resume-bar').count()).toBe(0);
    expect(await notReloaded(page)).toBe(true);
    expect((await call(h.ticketClub.app, 'GET', '/api/orders', { token: fan!.token })).body.orders.map((o: { status: string }) => o.status)).toEqual(['pending']);
    await closeAll();
  }, 90_000);

  it('when a fan on a 390 px phone taps an area, then its seats scroll into view as 32 px targets in a box that pans, and the seats sheet never covers its own list', async () => {
    const show = await taipeiShow({ pageCapacity: 1, maxTicketsPerAccount: 6, areas: [{ name: 'Floor', rows: 12, seatsPerRow: 24 }] });
    const [fan] = await fans(h, admin, 1);
    const page = await fanPage(fan!.token, { width: 390, height: 844 });
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('window-countdown').waitFor(WAIT);
    await page.getByTestId('area-button').first().click();
    await expect.poll(() => page.getByTestId('seat').count(), WAIT).toBe(12 * 24);
    // The seats come into view by themselves.
    await expect.poll(() => page.getByTestId('seats-section').evaluate((el) => el.getBoundingClientRect().top), WAIT).toBeLessThan(844 / 2);
    const box = await page.getByTestId('seat').first().boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(32);
    expect(box!.height).toBeGreaterThanOrEqual(32);
    // A big area pans inside its own box, the page itself does not scroll sideways.
    const scroll = await page.locator('.seat-map-scroll').evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, touch: getComputedStyle(el).touchAction }));
    expect(scroll.scrollWidth).toBeGreaterThan(scroll.clientWidth);
    // Chromium reports pan-x pan-y pinch-zoom as its shorthand.
    expect(scroll.touch).toMatch(/pinch-zoom|manipulation/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    for (let i = 0; i < 6; i++) await holdSeat(page, 0);
    await expect.poll(() => page.getByTestId('selected-seat').count(), WAIT).toBe(6);
    // Each seat of the list can be brought into view inside the sheet, and there it is on top (not under the footer).
    const items = page.getByTestId('selected-seat');
    for (let i = 0; i < 6; i++) {
      const covered = await items.nth(i).evaluate((el) => {
        el.scrollIntoView({ block: 'nearest' });
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !(hit && el.contains(hit));
      });
      expect(covered, `seat ${i + 1} of the list is covered`).toBe(false);
    }
    const sheet = await page.locator('.selection').boundingBox();
    expect(sheet!.height).toBeLessThanOrEqual(844 * 0.5);
    await screenshot(page, 'phone-seat-sheet');
    await closeAll();
  }, 90_000);

  it('when the line moves and the fan refreshes or clicks "Buy tickets" again, then the progress bar never goes back, and the wait is a range when the estimates differ', async () => {
    const show = await taipeiShow({ pageCapacity: 1 });
    const [first, x1, x2, x3, fan] = await fans(h, admin, 5);
    expect((await joinQueue(h, first!.token, show.id)).state).toBe('admitted');
    for (const x of [x1, x2, x3]) await joinQueue(h, x!.token, show.id);
    const page = await fanPage(fan!.token);
    await page.goto(`${url}/events/${show.eventId}`);
    await page.getByTestId('buy-button').click();
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('4');
    const start = await progressOf(page);

    // Three admissions from the line in quick succession: the observed pace is much faster than the worst case.
    for (const gone of [first, x1, x2]) await leaveQueue(h, gone!.token, show.id);
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
    const moved = await progressOf(page);
    expect(moved).toBeGreaterThan(start);

    // A refresh, then "Buy tickets" again (the same place): the bar stays where it was.
    await page.reload();
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
    expect(await progressOf(page)).toBeGreaterThanOrEqual(moved);
    await page.getByRole('link', { name: /← / }).click();
    await page.getByTestId('buy-button').click();
    await expect.poll(() => textOf(page, 'queue-position'), WAIT).toBe('1');
    expect(await progressOf(page)).toBeGreaterThanOrEqual(moved);

    const eta = page.getByTestId('queue-eta');
    await expect.poll(async () => Number(await eta.getAttribute('data-likely-seconds')), WAIT).toBeLessThan(Number(await eta.getAttribute('data-eta-seconds')) - 60);
    expect(await eta.textContent()).toMatch(/^(about \d+–\d+ minutes|under a minute to \d+ minutes)$/);
    await screenshot(page, 'waiting-eta-range');
    await closeAll();
  }, 90_000);
});
