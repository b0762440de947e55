import { expect, it } from 'vitest';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';
import { call, createShow, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { DbKind, Harness } from '../support/harness.js';
import { admit, checkout, hold, pay, seatIdsOf, seatRow } from './seat-helpers.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Holds, checkouts and payments are tied to the admission they are made in. Each race is forced
 * open with a hook that stops the request at the point where the other side must slip in.
 */
const SETUPS: { name: string; db: DbKind; redis: boolean }[] = [
  { name: 'in-process store + PGlite', db: 'pglite' as const, redis: false },
  { name: 'Redis + PostgreSQL', db: 'postgres' as const, redis: true },
];

/** A hook that stops its caller until `letGo`; `entered` resolves once the caller is stopped. */
function pausePoint(): { hook: () => Promise<void>; entered: Promise<void>; letGo: () => void } {
  let letGo!: () => void;
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (letGo = resolve));
  const entered = new Promise<void>((resolve) => (arrived = resolve));
  return {
    hook: () => {
      arrived();
      return held;
    },
    entered,
    letGo,
  };
}

for (const { name, db, redis } of SETUPS)
  describeNeeding(redis ? ['postgres', 'redis'] : [], `admission-bound holds and orders (${name})`, () => {
  let h: Harness;
  let admin: string;
  const hooks: TestHooks = {};
  useHarness({ db, redis, testHooks: hooks }, (s) => ({ h, admin } = s));

  const app = () => h.ticketClub.app;
  const leave = (showId: string, token: string) => call(app(), 'DELETE', `/api/shows/${showId}/queue`, { token });
  const orderOf = async (id: string, token: string) => (await call(app(), 'GET', `/api/orders/${id}`, { token })).body.order;

  it('when the account leaves between the hold\'s admission check and its transaction, then the hold is refused and the seat stays available', async () => {
    const show = await createShow(app(), admin);
    const [seat] = await seatIdsOf(h.db, show.id);
    const fan = await newCustomer(app());
    await admit(app(), show.id, fan.token);

    const p = pausePoint();
    hooks.seatHold = p.hook;
    const holding = hold(app(), show.id, seat!, fan.token);
    await p.entered;
    hooks.seatHold = undefined;
    expect((await leave(show.id, fan.token)).status).toBe(204);
    p.letGo();

    const r = await holding;
    expect([r.status, r.body.error?.code]).toEqual([403, 'NOT_ADMITTED']);
    expect(await seatRow(h.db, show.id, seat!)).toMatchObject({ status: 'available', holder_id: null });
  });

  it('when a late release of admission #1 arrives after the account is admitted again as #2, then #2\'s seats and order stay', async () => {
    const show = await createShow(app(), admin);
    const [s1, s2, s3] = await seatIdsOf(h.db, show.id);
    const fan = await newCustomer(app());
    await admit(app(), show.id, fan.token);
    expect((await hold(app(), show.id, s1!, fan.token)).status).toBe(200);

    // Admission #1 ends; its release is held back until #2 has seats and an order.
    const p = pausePoint();
    hooks.queueRelease = p.hook;
    const leaving = leave(show.id, fan.token);
    await p.entered;
    hooks.queueRelease = undefined;
    await admit(app(), show.id, fan.token);
    expect((await hold(app(), show.id, s2!, fan.token)).status).toBe(200);
    const order = await checkout(app(), show.id, [s2!], fan.token);
    expect(order.status).toBe(201);
    expect((await hold(app(), show.id, s3!, fan.token)).status).toBe(200);
    p.letGo();
    expect((await leaving).status).toBe(204);

    // #1's own hold is freed; #2's hold and pending order are untouched and still usable.
    expect(await seatRow(h.db, show.id, s1!)).toMatchObject({ status: 'available', holder_id: null });
    expect(await seatRow(h.db, show.id, s2!)).toMatchObject({ status: 'locked', holder_id: fan.id, order_id: order.body.order.id });
    expect(await seatRow(h.db, show.id, s3!)).toMatchObject({ status: 'selected', holder_id: fan.id });
    expect((await orderOf(order.body.order.id, fan.token)).status).toBe('pending');
    const paid = await call(app(), 'POST', `/api/orders/${order.body.order.id}/pay`, { token: fan.token, body: pay() });
    expect([paid.status, paid.body.order?.status]).toEqual([200, 'paid']);
  });

  it('when the account leaves between checkout\'s admission check and its transaction, then no order is made and its seats go back on sale', async () => {
    const show = await createShow(app(), admin);
    const [seat] = await seatIdsOf(h.db, show.id);
    const fan = await newCustomer(app());
    await admit(app(), show.id, fan.token);
    expect((await hold(app(), show.id, seat!, fan.token)).status).toBe(200);

    // Checkout stops after its admission check; the leave ends the admission, and its release of
    // the seat waits until checkout has had its chance (the seat is still selected meanwhile).
    const atCheckout = pausePoint();
    const atRelease = pausePoint();
    hooks.checkout = atCheckout.hook;
    const checkingOut = checkout(app(), show.id, [seat!], fan.token);
    await atCheckout.entered;
    hooks.checkout = undefined;
    hooks.queueRelease = atRelease.hook;
    const leaving = leave(show.id, fan.token);
    await atRelease.entered;
    hooks.queueRelease = undefined;
    atCheckout.letGo();
    const r = await checkingOut;
    atRelease.letGo();
    expect((await leaving).status).toBe(204);

    expect([r.status, r.body.error?.code]).toEqual([403, 'NOT_ADMITTED']);
    expect((await call(app(), 'GET', '/api/orders', { token: fan.token })).body.orders).toEqual([]);
    expect(await seatRow(h.db, show.id, seat!)).toMatchObject({ status: 'available', holder_id: null });
  });

  it('when a payment lands after the account left but before its release, then the payment stands with its seats and the late release frees nothing of it', async () => {
    const show = await createShow(app(), admin);
    const [seat, spare] = await seatIdsOf(h.db, show.id);
    const fan = await newCustomer(app());
    await admit(app(), show.id, fan.token);
    expect((await hold(app(), show.id, seat!, fan.token)).status).toBe(200);
    const order = (await checkout(app(), show.id, [seat!], fan.token)).body.order;
    expect((await hold(app(), show.id, spare!, fan.token)).status).toBe(200);

    const p = pausePoint();
    hooks.queueRelease = p.hook;
    const leaving = leave(show.id, fan.token);
    await p.entered;
    hooks.queueRelease = undefined;
    const paid = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: fan.token, body: pay() });
    p.letGo();
    expect((await leaving).status).toBe(204);

    // The order's row decided: paid once, ticketed, its seat sold; the release freed only the rest.
    expect(paid.status).toBe(200);
    expect(paid.body.order.tickets).toHaveLength(1);
    expect(await h.ticketClub.services.payments.chargesOf(order.id)).toMatchObject([{ status: 'succeeded', refunded: false }]);
    expect((await orderOf(order.id, fan.token)).status).toBe('paid');
    expect(await seatRow(h.db, show.id, seat!)).toMatchObject({ status: 'sold', order_id: order.id });
    expect(await seatRow(h.db, show.id, spare!)).toMatchObject({ status: 'available', holder_id: null });
  });
});
