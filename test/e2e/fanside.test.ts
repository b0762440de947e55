/**
 * The fan's side of the site in Chromium: times read on the venue's clock wherever the browser is,
 * the console enters them on that clock, unknown addresses are a real 404, the footer's pages are
 * the organizer's, a sale still to open has a badge, and the profile splits upcoming from past.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { call } from '../support/api-client.js';
import { logIn, screenshot } from '../support/browser.js';
import type { Harness } from '../support/harness.js';
import { DEMO_ADMIN, DEMO_FAN, WAIT, buyAdmitted, joinQueue, loginToken, siteInChromium } from './helpers.js';
import { describeNeeding } from '../support/needs.js';

/** A zone twelve or thirteen hours from Taipei: a time shown in the browser's zone cannot read 19:30. */
const BROWSER_ZONE = 'America/New_York';

describeNeeding(['browser'], 'the fan\'s side of the site', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;

  siteInChromium((s) => ({ h, url, browser } = s));

  async function inNewYork(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ timezoneId: BROWSER_ZONE, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    return { context, page };
  }

  async function eventId(title: string): Promise<string> {
    const events = (await call(h.ticketClub.app, 'GET', `/api/events?q=${encodeURIComponent(title)}`)).body.events as { id: string; title: string }[];
    return events.find((e) => e.title === title)!.id;
  }

  it('when a browser in New York opens the demo\'s Taipei show, then it reads 19:30 with the venue\'s zone', async () => {
    const { context, page } = await inNewYork();
    await page.goto(url);
    // The browser really is in New York: its own clock would show the show at 06:30 or 07:30.
    const local = await page.evaluate(() => ({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, hour: new Date('2030-03-14T11:30:00Z').getHours() }));
    expect(local).toEqual({ zone: BROWSER_ZONE, hour: 7 });

    const card = page.getByTestId('event-card').filter({ hasText: 'Paper Moon Live' });
    await expect.poll(() => card.locator('time').textContent(), WAIT).toMatch(/19:30 GMT\+8$/);
    await card.click();
    await page.waitForURL(/\/events\//);
    await expect.poll(() => page.getByTestId('show-row').count(), WAIT).toBe(2);
    for (const when of await page.locator('.show-row-when').allTextContents()) expect(when).toMatch(/· 19:30 GMT\+8$/);
    await screenshot(page, 'event-times-new-york');
    await context.close();
  });

  it('when an organizer in New York edits a Taipei show to 19:30, then it is stored as 11:30 UTC and the form reads 19:30 again', async () => {
    const { context, page } = await inNewYork();
    await logIn(page, url, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const id = await eventId('Winter Songs');
    await page.goto(`${url}/admin/events/${id}`);
    const row = page.getByTestId('admin-show').first();
    const showId = (await row.getAttribute('data-show-id', WAIT))!;
    await row.getByTestId('edit-show-button').click();
    const form = row.getByTestId('show-form');
    // The demo show starts at 19:30 in Taipei: the form shows the venue's clock, not New York's.
    await expect.poll(() => form.getByTestId('show-starts').inputValue(), WAIT).toMatch(/T19:30$/);
    await expect.poll(() => form.textContent(), WAIT).toContain('Asia/Taipei time');
    await screenshot(page, 'console-show-form-venue-zone');

    await form.getByTestId('show-starts').fill('2031-01-15T19:30');
    await form.getByTestId('show-submit').click();
    await expect.poll(async () => (await call(h.ticketClub.app, 'GET', `/api/shows/${showId}`)).body.show.startsAt, WAIT).toBe('2031-01-15T11:30:00.000Z');

    // The venue's zone is on its card, with a form to change it that suggests every zone.
    await page.goto(`${url}/admin/venues`);
    const venueCard = page.getByTestId('venue-card').filter({ hasText: 'Taipei Harbour Arena' });
    await expect.poll(() => venueCard.getByTestId('venue-zone').textContent(), WAIT).toBe('Asia/Taipei');
    await venueCard.getByTestId('venue-edit').click();
    const zoneInput = venueCard.locator('input[list]');
    expect(await zoneInput.inputValue()).toBe('Asia/Taipei');
    expect(await venueCard.locator(`datalist#${await zoneInput.getAttribute('list')} option[value="Europe/Berlin"]`).count()).toBe(1);
    await screenshot(page, 'console-venue-zone');

    await page.goto(`${url}/admin/events/${id}`);
    const again = page.getByTestId('admin-show').first();
    await again.getByTestId('edit-show-button').click();
    await expect.poll(() => again.getByTestId('show-starts').inputValue(), WAIT).toBe('2031-01-15T19:30');
    await expect.poll(() => again.textContent(), WAIT).toContain('19:30 GMT+8');
    await context.close();
  });

  it('when an unknown address is opened, then the server answers 404 with a "Page not found" page and title', async () => {
    const page = await browser.newPage();
    for (const path of ['/no-such-page', '/help/me', '/Admin-panel']) {
      const res = await page.goto(`${url}${path}`);
      expect(res?.status(), path).toBe(404);
      await expect.poll(() => page.getByRole('heading', { name: 'Page not found' }).count(), WAIT).toBe(1);
      await expect.poll(() => page.title(), WAIT).toMatch(/^Page not found/);
    }
    // An event address with something that cannot be an id: 404 too, and the event page says it is not found.
    expect((await page.goto(`${url}/events/not-an-id`))?.status()).toBe(404);
    await expect.poll(() => page.getByRole('heading', { name: 'Event not found' }).count(), WAIT).toBe(1);
    await expect.poll(() => page.title(), WAIT).toMatch(/^Event not found/);
    // A page of the app is a 200, and an unknown API address stays a JSON 404.
    expect((await page.goto(`${url}/help`))?.status()).toBe(200);
    const api = await page.request.get(`${url}/api/no-such-thing`);
    expect(api.status()).toBe(404);
    expect((await api.json()).error.code).toBe('NOT_FOUND');
    await page.close();
  });

  it('when a fan follows the footer links, then each opens the organizer\'s page; an edit in the console shows at once, as Markdown only', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const expected: Record<string, RegExp> = { Help: /^Help$/, Terms: /^Terms of sale$/, Privacy: /^Privacy$/, Contact: /^Contact$/ };
    for (const [link, title] of Object.entries(expected)) {
      await page.locator('.site-footer').getByRole('link', { name: link, exact: true }).click();
      await page.waitForURL(`${url}/${link.toLowerCase()}`);
      await expect.poll(() => page.getByTestId('site-page').locator('h1').textContent(), WAIT).toMatch(title);
      await expect.poll(() => page.getByTestId('site-page').locator('.site-page-body p').count(), WAIT).toBeGreaterThan(0);
    }

    const adminPage = await browser.newPage();
    await logIn(adminPage, url, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await adminPage.goto(`${url}/admin/pages`);
    await adminPage.getByTestId('page-tab-contact').click();
    await adminPage.getByTestId('page-title').fill('Talk to us');
    await adminPage.getByTestId('page-body').fill('Write to **box-office@example.com**.\n\n<img src=x onerror="window.pwned=1">');
    await adminPage.getByTestId('page-save').click();
    await expect.poll(() => adminPage.getByText('Saved.', { exact: false }).count(), WAIT).toBe(1);
    await screenshot(adminPage, 'console-site-pages');
    await adminPage.close();

    await page.goto(`${url}/contact`);
    await expect.poll(() => page.getByTestId('site-page').locator('h1').textContent(), WAIT).toBe('Talk to us');
    await expect.poll(() => page.locator('.site-page-body strong').textContent(), WAIT).toBe('box-office@example.com');
    expect(await page.locator('.site-page-body img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.title()).toMatch(/^Talk to us/);
    await screenshot(page, 'site-page-contact');
    await page.close();
  });

  it('when an event\'s sale has not opened yet, then its card has an "On sale" badge with the date, and events on sale do not', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const reunion = page.getByTestId('event-card').filter({ hasText: 'Reunion' });
    await expect.poll(() => reunion.getByTestId('badge-on-sale-soon').textContent(), WAIT).toMatch(/^On sale [A-Z][a-z]{2} \d{1,2}$/);
    const onSale = page.getByTestId('event-card').filter({ hasText: 'Paper Moon Live' });
    expect(await onSale.getByTestId('badge-on-sale-soon').count()).toBe(0);
    expect(await onSale.getByText('On sale', { exact: true }).count()).toBe(1);
    await page.close();
  });

  it('when a fan has tickets for a show to come and one played, then the profile lists them under Upcoming and Past', async () => {
    const fan = await loginToken(h, DEMO_FAN);
    const shows = (await call(h.ticketClub.app, 'GET', `/api/events/${await eventId('Midnight Tides Tour')}`)).body.event.shows as { id: string }[];
    for (const s of shows) {
      expect((await joinQueue(h, fan, s.id)).state).toBe('admitted');
      await buyAdmitted(h, fan, s.id, 1);
    }
    // The second night has been played (as if the days had passed).
    await h.db.query(`UPDATE shows SET on_sale_at = now() - interval '3 days', queue_opens_at = now() - interval '3 days', starts_at = now() - interval '1 day' WHERE id = $1`, [shows[1]!.id]);

    const page = await browser.newPage();
    await logIn(page, url, DEMO_FAN.email, DEMO_FAN.password);
    await page.goto(`${url}/profile`);
    await expect.poll(() => page.getByTestId('orders-upcoming').getByTestId('order-row').count(), WAIT).toBeGreaterThanOrEqual(1);
    const past = page.getByTestId('orders-past').getByTestId('order-row');
    await expect.poll(() => past.count(), WAIT).toBe(1);
    await screenshot(page, 'profile-upcoming-past');
    expect(await past.first().textContent()).toContain('Midnight Tides Tour');
    expect(await page.getByTestId('orders-upcoming').textContent()).toContain('Midnight Tides Tour');
    // Tickets carry the venue's time too.
    expect(await page.getByTestId('orders-upcoming').locator('.order-show-line time').first().textContent()).toMatch(/19:30 GMT\+8$/);

    await page.getByTestId('forgot-password-link').click();
    await page.waitForURL(`${url}/forgot-password`);
    await expect.poll(() => page.getByTestId('forgot-password-text').textContent(), WAIT).toMatch(/send you a link/);
    await page.getByLabel('Email').fill(DEMO_FAN.email);
    await page.getByTestId('forgot-password-submit').click();
    await expect.poll(() => page.getByTestId('forgot-password-text').textContent(), WAIT).toMatch(/on its way/);
    await page.close();
  });
});
