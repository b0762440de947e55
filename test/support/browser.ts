import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const ARTIFACTS = 'test-artifacts';

/** The machine's Chromium as global-setup.ts found it, headless (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('testServices').browser.at,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

/** Saves a screenshot under test-artifacts/ (kept by CI as evidence). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage: false, animations: 'disabled' });
  return path;
}

export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /log in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export const DOCS_SCREENSHOTS = 'docs/screenshots';

/**
 * A screenshot for the README and docs: saved under test-artifacts/ like any other, and copied to
 * docs/screenshots/<name>.png when UPDATE_SCREENSHOTS=1 or when that file does not exist yet (so a
 * plain test run does not rewrite committed pictures with every changing countdown).
 */
export async function docScreenshot(page: Page, name: string): Promise<string> {
  const path = await screenshot(page, name);
  const target = `${DOCS_SCREENSHOTS}/${name}.png`;
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(target)) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(path, target);
  }
  return path;
}

/** A fresh browser context already logged in with a session token (the HttpOnly session cookie). */
export async function contextWithSession(
  browser: Browser,
  baseUrl: string,
  token: string,
  viewport: { width: number; height: number } = { width: 1280, height: 860 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: 'tc_session', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

/** "9:58" or "1:02:05" (a countdown as the site shows it) in seconds. */
export function clockSeconds(text: string | null): number {
  const parts = (text ?? '').trim().split(':').map(Number);
  if (parts.length < 2 || parts.some((n) => !Number.isFinite(n))) return Number.NaN;
  return parts.reduce((total, n) => total * 60 + n, 0);
}

/** Whether the page is wider than its viewport (a horizontal scrollbar on a phone). */
export function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}
