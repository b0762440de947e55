import { afterAll, expect, it } from 'vitest';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachStore } from '../support/needs.js';

/**
 * A window that runs out frees its slot at once: the instance that admitted the account sweeps at
 * that moment (no periodic jobs run here, so nothing else could admit the next waiter).
 */
describeOnEachStore('admission expiry (%s store)', (storeKind) => {
  let h: Harness;
  let admin: string;

  useHarness({ redis: storeKind === 'redis' }, (s) => {
    ({ h, admin } = s);
    h.ticketClub.services.queue.startExpiryTimers();
  });
  afterAll(() => h?.ticketClub.services.queue.stopExpiryTimers());

  it('when an admission window ends, then the next waiter is admitted within 200 ms of its end', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1, purchaseWindowSeconds: 5, now: Date.now() - 1_000 });
    const [first, second] = await newCustomers(h.ticketClub.app, admin, 2);
    const a = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: first!.token });
    expect(a.body.state).toBe('admitted');
    expect((await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: second!.token })).body).toMatchObject({ state: 'waiting', position: 1 });

    const endsAt = Date.parse(a.body.expiresAt);
    let b = await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: second!.token });
    while (b.body.state !== 'admitted' && Date.now() < endsAt + 3_000) {
      await new Promise((r) => setTimeout(r, 20));
      b = await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: second!.token });
    }
    expect(b.body.state).toBe('admitted');
    expect(Date.parse(b.body.admittedAt) - endsAt).toBeGreaterThanOrEqual(0);
    expect(Date.parse(b.body.admittedAt) - endsAt).toBeLessThan(200);
    expect((await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: first!.token })).body).toMatchObject({ state: 'none' });
  }, 20_000);
});
