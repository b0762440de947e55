import { existsSync } from 'node:fs';
import { isEmpty, loadDemoData } from '../../src/server/demo/demo-data.js';
import { systemClock } from '../../src/server/platform/clock.js';
import { startHarness, type Harness } from './harness.js';

export const WEB_DIST = 'dist/web';

/** A listening server with the built web app and the demo data, on in-memory PGlite. */
export async function startWebServer(env: Record<string, string> = {}): Promise<{ h: Harness; url: string }> {
  if (!existsSync(`${WEB_DIST}/index.html`)) throw new Error('Build the web app first: npm run build:web (npm test does)');
  const h = await startHarness({ jobs: true, env: { WEB_DIST, ...env } });
  if (await isEmpty(h.db)) {
    const { admin, auth } = h.ticketClub.services;
    await loadDemoData({ db: h.db, admin, auth, clock: systemClock });
  }
  const url = await h.listen();
  return { h, url };
}
