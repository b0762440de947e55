/**
 * The organizer console in Chromium: an admin builds a venue (watching the seat grid preview),
 * an event and a show, watches the sale live while fans queue and buy, edits the show (a refused
 * change is explained), and checks a ticket in at the door twice.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { docScreenshot, logIn, screenshot } from '../support/browser.js';
import { call } from '../support/api-client.js';
import { DEMO_ADMIN, WAIT, buyAdmitted, fans, joinQueue, siteInChromium, textOf } from './helpers.js';
import { describeNeeding } from '../support/needs.js';

describeNeeding(['browser'], 'the organizer console', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));

  it('when an admin creates a venue, an event and a show, then the live dashboard follows the queue and check-in accepts a ticket once', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await logIn(page, url, DEMO_ADMIN.email, DEMO_ADMIN.password);

    // The overview lists the demo events with their shows.
    await page.goto(`${url}/admin`);
    await expect.poll(() => page.getByTestId('admin-event').count(), WAIT).toBeGreaterThanOrEqual(8);

    // ---- Venue, with the seat grid drawn while typing
    await page.getByRole('link', { name: 'Venues' }).click();
    await page.getByTestId('new-venue-button').click();
    await page.getByTestId('venue-name').fill('Harbour Club');
    await page.getByTestId('venue-city').fill('Kaohsiung');
    await page.getByTestId('venue-address').fill('8 Pier Rd');
    const preview = page.getByTestId('venue-preview');
    await page.getByTestId('area-name').first().fill('Floor');
    await page.getByTestId('area-rows').first().fill('3');
    await page.getByTestId('area-seats').first().fill('8');
    await expect.poll(() => preview.getAttribute('data-seat-count'), WAIT).toBe('24');
    await page.getByTestId('add-area').click();
    await page.getByTestId('area-name').nth(1).fill('Balcony');
    await page.getByTestId('area-rows').nth(1).fill('2');
    await page.getByTestId('area-seats').nth(1).fill('5');
    await expect.poll(() => preview.getAttribute('data-seat-count'), WAIT).toBe('34');
    expect(await page.getByTestId('venue-preview-area').count()).toBe(2);
    expect(await page.getByTestId('venue-preview-area').nth(1).getAttribute('data-rows')).toBe('2');
    expect(await page.locator('[data-testid="venue-preview-area"] svg').count()).toBe(2);
    await screenshot(page, 'console-venue-preview');
    await page.getByTestId('venue-submit').click();
    await expect.poll(() => page.getByTestId('venue-card').filter({ hasText: 'Harbour Club' }).count(), WAIT).toBe(1);

    // ---- Event, with a Markdown description rendered safely
    await page.getByRole('link', { name: 'Events & shows' }).click();
    await page.getByTestId('new-event-button').click();
    await page.getByTestId('event-title').fill('Harbour Lights');
    await page.getByTestId('event-artist').fill('The Night Ferries');
    await page.getByTestId('event-description').fill('A **loud** night by the sea.\n\n- new songs\n- old songs\n\n<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>');
    await page.getByTestId('event-image').fill('/images/poster-5.svg');
    await page.getByTestId('description-preview-tab').click();
    const rendered = page.getByTestId('description-preview');
    await expect.poll(() => rendered.locator('strong').textContent({ timeout: 5_000 }).catch(() => null), WAIT).toBe('loud');
    expect(await rendered.locator('li').count()).toBe(2);
    expect(await rendered.locator('script, img').count()).toBe(0);
    await page.getByTestId('event-submit').click();
    await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}$/, WAIT);
    const eventId = page.url().split('/').pop()!;

    // ---- Show: one fan at a time on the selling page
    const form = page.locator('#new-show [data-testid="show-form"]');
    await form.getByTestId('show-venue').selectOption({ label: 'Harbour Club · Kaohsiung' });
    await form.getByTestId('show-capacity').fill('1');
    await form.getByTestId('show-window').fill('600');
    await form.getByTestId('show-max').fill('4');
    await form.getByTestId('price-input').nth(0).fill('1500');
    await form.getByTestId('price-input').nth(1).fill('800');
    await form.getByTestId('show-submit').click();
    await expect.poll(() => page.getByTestId('admin-show').count(), WAIT).toBe(1);
    const showId = (await page.getByTestId('admin-show').first().getAttribute('data-show-id'))!;

    // The public event page shows the description as Markdown, without the HTML.
    const pub = await browser.newPage();
    await pub.goto(`${url}/events/${eventId}`);
    await expect.poll(() => pub.locator('.event-about strong').textContent({ timeout: 5_000 }).catch(() => null), WAIT).toBe('loud');
    expect(await pub.locator('.event-about script, .event-about img').count()).toBe(0);
    expect(await pub.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await pub.close();

    // ---- The live dashboard
    await page.getByTestId('admin-show').first().getByTestId('dashboard-link').click();
    await page.waitForURL(`${url}/admin/shows/${showId}`);
    await expect.poll(() => textOf(page, 'stat-waiting'), WAIT).toBe('0');
    await expect.poll(() => textOf(page, 'stat-available'), WAIT).toBe('34');
    // Live updates arrive (a chart point every couple of seconds).
    await expect.poll(async () => Number(await page.getByTestId('chart-line-length').getAttribute('data-points')), WAIT).toBeGreaterThanOrEqual(2);

    const [buyer, ...others] = await fans(h, admin, 8);
    expect((await joinQueue(h, buyer!.token, showId)).state).toBe('admitted');
    for (const f of others) expect((await joinQueue(h, f.token, showId)).state).toBe('waiting');
    await expect.poll(() => textOf(page, 'stat-waiting'), WAIT).toBe('7');
    await expect.poll(() => textOf(page, 'stat-admitted'), WAIT).toBe('1');

    const [code] = await buyAdmitted(h, buyer!.token, showId, 1);
    await expect.poll(() => textOf(page, 'stat-sold'), WAIT).toBe('1');
    await expect.poll(() => textOf(page, 'stat-waiting'), WAIT).toBe('6');
    await expect.poll(() => textOf(page, 'stat-mean-wait'), WAIT).not.toBe('—');
    await expect.poll(async () => Number(await page.getByTestId('chart-line-length').getAttribute('data-latest')), WAIT).toBe(6);
    await docScreenshot(page, 'console-dashboard');
    await page.getByTestId('chart-line-length').scrollIntoViewIfNeeded();
    await docScreenshot(page, 'console-dashboard-charts');
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => textOf(page, 'stat-paid-orders'), WAIT).toBe('1');
    await expect.poll(() => textOf(page, 'stat-revenue'), WAIT).toMatch(/^NT\$[\d,]+$/);
    // Every chart is the server's history: once the minute is recorded (the job; here at once), a
    // reload draws the same curves, the whole last hour at once.
    const chart = (id: string, what: 'points' | 'latest' | 'total' | 'ticks') => page.getByTestId(id).getAttribute(`data-${what}`);
    await expect.poll(() => chart('chart-admissions', 'total'), WAIT).toBe('1'); // the next fan, admitted after the purchase
    await expect.poll(() => chart('chart-sold', 'total'), WAIT).toBe('1');
    await h.ticketClub.services.lineHistory.record();
    const revenue = await chart('chart-revenue', 'total');
    expect(Number(revenue)).toBeGreaterThan(0);
    await page.reload();
    for (const id of ['chart-line-length', 'chart-admissions', 'chart-sold', 'chart-revenue']) {
      await expect.poll(() => chart(id, 'points'), WAIT).toBe('60');
    }
    // The same page loaded again with no live updates at all: what the charts draw is the server's alone.
    const socketIo = /\/socket\.io\//;
    const quiet = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await quiet.addCookies(await page.context().cookies());
    const fresh = await quiet.newPage();
    await fresh.route(socketIo, (r) => r.abort());
    await fresh.routeWebSocket(socketIo, (ws) => ws.close());
    await h.ticketClub.services.lineHistory.record(); // a minute that began meanwhile is recorded too
    await fresh.goto(page.url());
    const freshChart = (id: string, what: 'points' | 'latest' | 'total' | 'ticks') => fresh.getByTestId(id).getAttribute(`data-${what}`);
    await expect.poll(() => freshChart('chart-line-length', 'latest'), WAIT).toBe('6');
    expect(await freshChart('chart-line-length', 'points')).toBe('60');
    expect([await freshChart('chart-admissions', 'total'), await freshChart('chart-sold', 'total'), await freshChart('chart-revenue', 'total')]).toEqual(['1', '1', revenue]);
    // The value axis: round ticks from 0, labelled with thousands separators and the series' unit.
    expect(await freshChart('chart-line-length', 'ticks')).toBe('0,2,4,6');
    expect(await fresh.getByTestId('chart-revenue-tick').last().textContent()).toMatch(/^NT\$\d{1,3}(,\d{3})*$/);
    expect(await fresh.getByTestId('chart-line-length').locator('.chart-unit').textContent()).toBe('fans');
    await quiet.close();
    expect(await page.getByTestId('export-orders').getAttribute('href')).toBe(`/api/admin/shows/${showId}/orders.csv`);

    // ---- Editing the show: a refused change is explained; an allowed one is saved
    await page.getByRole('link', { name: 'Edit show' }).click();
    await page.waitForURL(new RegExp(`/admin/events/${eventId}`));
    const row = page.getByTestId('admin-show').first();
    await row.getByTestId('edit-show-button').click();
    const edit = row.getByTestId('show-form');
    const soldArea = edit.locator('[data-testid="price-row"]', { has: page.getByTestId('area-taken') });
    await soldArea.getByTestId('price-toggle').uncheck();
    await edit.getByTestId('show-submit').click();
    await expect.poll(() => edit.getByTestId('error-message').textContent({ timeout: 5_000 }).catch(() => null), WAIT).toMatch(/cannot be taken off sale/);
    await soldArea.getByTestId('price-toggle').check();
    await edit.getByTestId('show-window').fill('300');
    await edit.getByTestId('show-submit').click();
    await expect.poll(() => row.textContent(), WAIT).toContain('5 minutes to buy');

    // ---- Check-in at the door of one show: today's first show is picked; every scan says event, date and seat
    const { body: listed } = await call(h.ticketClub.app, 'GET', '/api/admin/events', { token: admin });
    const allShows = (listed.events as { title: string; shows: { id: string; startsAt: string }[] }[])
      .flatMap((e) => e.shows.map((s) => ({ ...s, title: e.title })))
      .sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt));
    const today = new Date().toDateString();
    const expectedDefault = allShows.find((s) => new Date(s.startsAt).toDateString() === today) ?? allShows.find((s) => Date.parse(s.startsAt) > Date.now());
    const ours = allShows.find((s) => s.id === showId)!;
    const elsewhere = allShows.find((s) => s.id !== showId)!;
    await page.getByRole('link', { name: 'Check-in' }).click();
    const picker = page.getByTestId('checkin-show');
    await expect.poll(() => picker.inputValue(), WAIT).toBe(expectedDefault!.id);
    expect(await picker.locator('option').count()).toBe(allShows.length);

    // At another show's door the ticket is refused, and the door sees which show it is for.
    await picker.selectOption(elsewhere.id);
    await checkIn(page, code!);
    await expect.poll(() => page.getByTestId('checkin-result').getAttribute('data-result'), WAIT).toBe('wrong-show');
    await expectTicketFacts(page, ours.title, ours.startsAt);

    await picker.selectOption(showId);
    await checkIn(page, code!);
    await expect.poll(() => page.getByTestId('checkin-result').getAttribute('data-result'), WAIT).toBe('valid');
    await expectTicketFacts(page, ours.title, ours.startsAt);
    expect(await textOf(page, 'checkin-ticket-seat')).toMatch(/^(Floor|Balcony) · Row \d+ · Seat \d+$/);
    await screenshot(page, 'console-checkin-valid');
    await checkIn(page, code!);
    await expect.poll(() => page.getByTestId('checkin-result').getAttribute('data-result'), WAIT).toBe('used');
    await expectTicketFacts(page, ours.title, ours.startsAt);
    await checkIn(page, 'NOT-A-TICKET-CODE');
    await expect.poll(() => page.getByTestId('checkin-result').getAttribute('data-result'), WAIT).toBe('unknown');
    await page.close();
  }, 120_000);

  it('when a fan opens the console, then it is refused', async () => {
    const [fan] = await fans(h, admin, 1);
    const context = await browser.newContext();
    await context.addCookies([{ name: 'tc_session', value: fan!.token, url }]);
    const page = await context.newPage();
    await page.goto(`${url}/admin/venues`);
    await expect.poll(() => page.getByRole('heading', { name: /organizers only/i }).count(), WAIT).toBe(1);
    expect(await page.getByTestId('venue-form').count()).toBe(0);
    await context.close();
  });
});

/** The scan result names the ticket's event and the show's date (as the page formats dates). */
async function expectTicketFacts(page: Page, title: string, startsAt: string): Promise<void> {
  await expect.poll(() => textOf(page, 'checkin-ticket-event'), WAIT).toBe(title);
  const shown = await textOf(page, 'checkin-ticket-date');
  const d = new Date(startsAt);
  expect(shown).toContain(String(d.getFullYear()));
  expect(shown).toMatch(new RegExp(`\\b${d.getDate()}\\b`));
}

async function checkIn(page: Page, code: string): Promise<void> {
  await page.getByTestId('checkin-code').fill(code);
  await page.getByTestId('checkin-submit').click();
  // The input empties once the answer is in.
  await expect.poll(() => page.getByTestId('checkin-code').inputValue(), WAIT).toBe('');
}
