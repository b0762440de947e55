/**
 * The pre-queue in a browser: the waiting page before the draw counts down to it on the server's
 * clock and shows the entrants; the draw page shows the commitment before the draw, and after it
 * recomputes the order with Web Crypto and shows the fan's rank.
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { call } from '../support/api-client.js';
import { clockSeconds, screenshot } from '../support/browser.js';
import { WAIT, fans, joinQueue, saleShow, siteInChromium, textOf, pagesPerSession } from './helpers.js';
import { describeNeeding } from '../support/needs.js';

describeNeeding(['browser'], 'the pre-queue and the draw in a browser', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));
  const pageAs = pagesPerSession(() => ({ browser, url }));

  it('counts down to the draw with the entrants, then the draw page verifies the order in the browser and shows the rank', async () => {
    const onSaleAt = Date.now() + 15_000;
    const show = await saleShow(h, admin, {
      pageCapacity: 1,
      onSaleAt: new Date(onSaleAt).toISOString(),
      queueOpensAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const [me, other, third] = await fans(h, admin, 3);
    const mine = await joinQueue(h, me!.token, show.id);
    expect(mine.state).toBe('early');
    await joinQueue(h, other!.token, show.id);

    const page = await pageAs(me!.token);
    await page.goto(`${url}/shows/${show.id}`);
    await page.getByTestId('draw-countdown').waitFor(WAIT);
    const first = clockSeconds(await textOf(page, 'draw-countdown'));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(15);
    await expect.poll(() => textOf(page, 'draw-entrants'), WAIT).toBe('2');
    // A third entry reaches the open page by itself, and the countdown runs.
    await joinQueue(h, third!.token, show.id);
    await expect.poll(() => textOf(page, 'draw-entrants'), WAIT).toBe('3');
    expect(clockSeconds(await textOf(page, 'draw-countdown'))).toBeLessThan(first);
    const entry = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: me!.token })).body.entryId as string;
    expect(await textOf(page, 'draw-entry')).toBe(entry);
    await screenshot(page, 'pre-queue');

    // The draw page before the draw: the commitment, no seed yet.
    // The same browser: the page remembers the fan's entry for after the draw.
    const drawPage = await page.context().newPage();
    await drawPage.goto(`${url}/shows/${show.id}/draw`);
    const commitment = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/draw`)).body.commitment as string;
    await expect.poll(() => textOf(drawPage, 'draw-commitment'), WAIT).toBe(commitment);
    expect(await textOf(drawPage, 'draw-seed')).toBe('published at the draw');
    expect(await textOf(drawPage, 'draw-my-entry')).toBe(entry);

    // After the draw the waiting page becomes a place in line or the selling page by itself.
    await expect.poll(async () => (await page.getByTestId('draw-countdown').count()) === 0, { timeout: 30_000, interval: 250 }).toBe(true);
    const published = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/draw`)).body;
    expect(published.entries).toHaveLength(3);
    // The draw page finds the seed on its own and recomputes the order in the browser.
    await expect.poll(() => textOf(drawPage, 'draw-check'), { timeout: 20_000, interval: 250 }).toMatch(/^Verified in your browser/);
    expect(await textOf(drawPage, 'draw-seed')).toBe(published.seed);
    const rank = published.entries.indexOf(entry) + 1;
    expect(await textOf(drawPage, 'draw-rank')).toBe(`Your entry was drawn #${rank} of 3.`);
    await screenshot(drawPage, 'draw-page');
  }, 90_000);
});
