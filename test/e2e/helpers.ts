/** Shared steps of the browser tests: accounts, shows and purchases set up through the API. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ShowDetail } from '../../src/shared/api.js';
import { call, createShow, newCustomers, type ShowOptions } from '../support/api-client.js';
import { contextWithSession, launchBrowser } from '../support/browser.js';
import type { Harness } from '../support/harness.js';
import { startWebServer } from '../support/web-server.js';

export const DEMO_FAN = { email: 'demo@test.com', password: 'demodemo' };
export const DEMO_ADMIN = { email: 'admin@test.com', password: 'adminadmin' };
export const GOOD_CARD = '4242 4242 4242 4242';
export const DECLINED_CARD = '4000 0000 0000 0002';

/** Generous waits: the machine running the suite is small and busy. */
export const WAIT = { timeout: 15_000, interval: 150 };

export interface SiteInChromium {
  h: Harness;
  url: string;
  browser: Browser;
  /** A session of the demo admin, for setting shows and fans up through the API. */
  admin: string;
}

/** The hooks of a browser suite: the site on a free port, Chromium, and an admin session; all closed after. */
export function siteInChromium(use: (s: SiteInChromium) => void): void {
  let s: Partial<SiteInChromium> = {};
  beforeAll(async () => {
    const { h, url } = await startWebServer();
    s = { h, url };
    s.browser = await launchBrowser();
    s.admin = await loginToken(h, DEMO_ADMIN);
    use(s as SiteInChromium);
  });
  afterAll(async () => {
    await s.browser?.close();
    await s.h?.close();
  });
}

export async function loginToken(h: Harness, who: { email: string; password: string }): Promise<string> {
  const r = await call(h.ticketClub.app, 'POST', '/api/auth/login', { body: who });
  if (r.status !== 200) throw new Error(`login ${who.email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** Fan accounts made in one go (one password hash) through the load-test endpoint. */
export async function fans(h: Harness, adminToken: string, count: number): Promise<{ id: string; token: string }[]> {
  return newCustomers(h.ticketClub.app, adminToken, count);
}

export interface SaleShowOptions extends ShowOptions {
  title?: string;
  artist?: string;
  imageUrl?: string;
  venueName?: string;
}

/** A venue, an event and one show on sale now, made through the admin API (as GET /api/shows/:id gives it). */
export function saleShow(h: Harness, adminToken: string, o: SaleShowOptions = {}): Promise<ShowDetail> {
  return createShow(h.ticketClub.app, adminToken, {
    ...o,
    venueName: o.venueName ?? 'Riverside Hall',
    areas: o.areas ?? [{ name: 'Stalls', rows: 4, seatsPerRow: 10 }],
    event: {
      title: o.title ?? 'Paper Moon Live — Encore',
      artist: o.artist ?? 'Lin Yu-Chen',
      description: 'One more night of piano ballads.',
      imageUrl: o.imageUrl ?? '/images/poster-2.svg',
    },
    price: (i) => 1800 - 400 * i,
  });
}

/** A customer account with a real name (a password hash: slower than `fans`). */
export async function signUp(h: Harness, name: string): Promise<{ id: string; token: string }> {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${Date.now()}${Math.floor(Math.random() * 1e4)}@example.com`;
  const r = await call(h.ticketClub.app, 'POST', '/api/auth/signup', { body: { name, email, password: 'password123' } });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.user.id, token: r.body.token };
}

export async function joinQueue(h: Harness, token: string, showId: string): Promise<{ state: string; position?: number }> {
  const r = await call(h.ticketClub.app, 'POST', `/api/shows/${showId}/queue`, { token });
  if (r.status !== 200) throw new Error(`join: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function leaveQueue(h: Harness, token: string, showId: string): Promise<void> {
  const r = await call(h.ticketClub.app, 'DELETE', `/api/shows/${showId}/queue`, { token });
  if (r.status !== 204) throw new Error(`leave: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Buys `count` seats for an account that is admitted: hold, checkout, pay. Returns the ticket codes. */
export async function buyAdmitted(h: Harness, token: string, showId: string, count = 1): Promise<string[]> {
  const { app } = h.ticketClub;
  const seats = await call(app, 'GET', `/api/shows/${showId}/seats`, { token });
  if (seats.status !== 200) throw new Error(`seats: ${seats.status} ${JSON.stringify(seats.body)}`);
  const free = (seats.body.seats as { id: string; status: string }[]).filter((s) => s.status === 'available').slice(0, count);
  for (const s of free) {
    const r = await call(app, 'POST', `/api/shows/${showId}/seats/${s.id}/hold`, { token });
    if (r.status !== 200) throw new Error(`hold: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const order = await call(app, 'POST', `/api/shows/${showId}/checkout`, { token, body: { seatIds: free.map((s) => s.id) } });
  if (order.status !== 201) throw new Error(`checkout: ${order.status} ${JSON.stringify(order.body)}`);
  const paid = await call(app, 'POST', `/api/orders/${order.body.order.id}/pay`, {
    token,
    body: { method: 'card', card: { number: '4242424242424242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' } },
  });
  if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  return (paid.body.order.tickets as { code: string }[]).map((t) => t.code);
}

/** The orders of an account as the API has them. */
export async function ordersOf(h: Harness, token: string): Promise<{ id: string; status: string }[]> {
  const r = await call(h.ticketClub.app, 'GET', '/api/orders', { token });
  return r.body.orders;
}

/** On the selling page: opens the first area and waits for its seats. */
export async function openFirstArea(page: Page): Promise<void> {
  await page.getByTestId('area-button').first().click();
  await expect.poll(() => page.getByTestId('seat').count(), WAIT).toBeGreaterThan(0);
}

/** Clicks the n-th available seat of the open area and waits until it is this account's. Returns its id. */
export async function holdSeat(page: Page, nth = 0): Promise<string> {
  const seat = page.locator('[data-testid="seat"][data-status="available"]').nth(nth);
  const id = await seat.getAttribute('data-seat-id');
  if (!id) throw new Error('no available seat');
  await seat.click();
  await expect.poll(() => seatStatus(page, id), WAIT).toBe('mine');
  return id;
}

export const seatStatus = (page: Page, seatId: string): Promise<string | null> =>
  page.locator(`[data-testid="seat"][data-seat-id="${seatId}"]`).getAttribute('data-status', { timeout: 5_000 }).catch(() => null);

/** Fills the card form on the checkout (the real inputs, as a person types). */
export async function fillCard(page: Page, number: string): Promise<void> {
  await page.getByTestId('card-number').fill(number);
  await page.getByTestId('card-month').fill('12');
  await page.getByTestId('card-year').fill(String((new Date().getFullYear() + 3) % 100).padStart(2, '0'));
  await page.getByTestId('card-cvc').fill('123');
}

export const textOf = (page: Page, testId: string): Promise<string | null> =>
  page.getByTestId(testId).first().textContent({ timeout: 5_000 }).catch(() => null);

/**
 * Pages signed in as an account, each in a browser context of its own (a fan per context), all
 * closed after every test. Call it in the describe, after siteInChromium.
 */
export function pagesPerSession(site: () => { browser: Browser; url: string }): (token: string) => Promise<Page> {
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  return async (token) => {
    const { browser, url } = site();
    const context = await contextWithSession(browser, url, token);
    contexts.push(context);
    return context.newPage();
  };
}
