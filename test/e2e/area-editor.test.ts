/**
 * Editing a venue's areas in the console (docs/selling.md): an admin grows a standing area and marks
 * a wheelchair seat, and a fan's selling page shows both.
 */
import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { logIn, screenshot } from '../support/browser.js';
import { describeNeeding } from '../support/needs.js';
import { DEMO_ADMIN, WAIT, fans, pagesPerSession, saleShow, siteInChromium } from './helpers.js';

describeNeeding(['browser'], 'the console\'s area editor', () => {
  let browser: Browser;
  let h: Harness;
  let url: string;
  let admin: string;

  siteInChromium((s) => ({ h, url, browser, admin } = s));
  const pageAs = pagesPerSession(() => ({ browser, url }));

  it('when an admin grows a standing area and marks a wheelchair seat, then the venue card and the fan\'s seat map show them', async () => {
    const show = await saleShow(h, admin, {
      venueName: 'Editing Hall',
      areas: [
        { name: 'Floor', kind: 'standing', capacity: 5 },
        { name: 'Stalls', rows: 2, seatsPerRow: 4 },
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await logIn(page, url, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await page.goto(`${url}/admin/venues`);
    const card = page.locator(`[data-venue-id="${show.venue.id}"]`);
    const floor = card.locator('li').filter({ hasText: 'Floor' });
    const stalls = card.locator('li').filter({ hasText: 'Stalls' });

    await floor.getByTestId('area-edit').click();
    await floor.getByTestId('area-edit-capacity').fill('8');
    await floor.getByTestId('area-edit-save').click();
    await expect.poll(() => floor.textContent(), WAIT).toContain('standing · 8');

    await stalls.getByTestId('area-edit').click();
    await stalls.getByTestId('area-edit-accessible').fill('2-3');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-area-editor');
    await stalls.getByTestId('area-edit-save').click();
    await expect.poll(() => stalls.textContent(), WAIT).toContain('♿ 1');

    const [fan] = await fans(h, admin, 1);
    const fanPage = await pageAs(fan!.token);
    await fanPage.goto(`${url}/shows/${show.id}`);
    await fanPage.getByTestId('window-countdown').waitFor(WAIT);
    await fanPage.locator(`[data-area-id="${show.areas[0]!.id}"]`).click();
    await expect.poll(() => fanPage.getByTestId('standing-count').getAttribute('data-free'), WAIT).toBe('8');
    await fanPage.locator(`[data-area-id="${show.areas[1]!.id}"]`).click();
    await fanPage.getByRole('button', { name: /Row 2, seat 3, wheelchair accessible/ }).waitFor(WAIT);
    expect(await fanPage.getByRole('button', { name: /wheelchair accessible/ }).count()).toBe(1);
  }, 90_000);
});
