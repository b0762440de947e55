import { expect, it } from 'vitest';
import { PasswordResetsRepository } from '../../src/server/modules/auth/password-resets-repository.js';
import { MailOutboxRepository } from '../../src/server/modules/mail/mail-outbox-repository.js';
import { OrdersRepository } from '../../src/server/modules/orders/orders-repository.js';
import { ShowSeatsRepository } from '../../src/server/modules/seats/show-seats-repository.js';
import { createShow, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { seatIdsOf, seatRow } from './seat-helpers.js';

/**
 * The guarantees the repositories' steps carry themselves (the API suites cover the use cases):
 * each is one conditional statement, so it holds whoever calls it and however often at once.
 */
describeOnEachDatabase('repository steps on %s', (kind) => {
  let h: Harness;
  let admin: string;
  useHarness({ db: kind }, (s) => ({ h, admin } = s));

  const aMinute = () => ({ now: new Date(), until: new Date(Date.now() + 60_000) });
  /** A pending order of the show's first seat for the account, made in admission 'adm-1'. */
  const pendingOrder = async (showId: string, userId: string): Promise<string> => {
    const [seatId] = await seatIdsOf(h.db, showId);
    await new ShowSeatsRepository(h.db).holdSeat(showId, seatId!, userId, { ...aMinute(), admissionId: 'adm-1' });
    const out = await new OrdersRepository(h.db).checkOut({ userId, showId, seatIds: [seatId!], expiresAt: new Date(Date.now() + 60_000), now: new Date(), admissionId: 'adm-1' });
    return out.made!;
  };

  it('when two accounts hold the same seat at once, then exactly one hold claims it and a hold of a taken seat claims nothing', async () => {
    const show = await createShow(h.ticketClub.app, admin, { areas: [{ name: 'A', rows: 1, seatsPerRow: 2 }] });
    const [seatId] = await seatIdsOf(h.db, show.id);
    const fans = await newCustomers(h.ticketClub.app, admin, 2);
    const claims = await Promise.all(fans.map((f, i) => new ShowSeatsRepository(h.db).holdSeat(show.id, seatId!, f.id, { ...aMinute(), admissionId: `adm-${i}` })));
    expect(claims.filter((c) => c?.claimed)).toHaveLength(1);
    const winner = fans[claims.findIndex((c) => c?.claimed)]!;
    const loser = fans.find((f) => f !== winner)!;
    expect(await new ShowSeatsRepository(h.db).holdSeat(show.id, seatId!, loser.id, { ...aMinute(), admissionId: 'adm-late' })).toMatchObject({ claimed: false, mine: false, claimable: false });
    expect(await seatRow(h.db, show.id, seatId!)).toMatchObject({ status: 'selected', holder_id: winner.id });
  });

  it('when a release of an ended admission comes late, then it frees only the holds of that admission', async () => {
    const show = await createShow(h.ticketClub.app, admin, { areas: [{ name: 'A', rows: 1, seatsPerRow: 2 }] });
    const [first, second] = await seatIdsOf(h.db, show.id);
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    const seats = new ShowSeatsRepository(h.db);
    await seats.holdSeat(show.id, first!, fan!.id, { ...aMinute(), admissionId: 'adm-1' });
    await seats.holdSeat(show.id, second!, fan!.id, { ...aMinute(), admissionId: 'adm-2' });
    const freed = await seats.releaseHolds(show.id, fan!.id, new Date(), 'adm-1');
    expect(freed.map((c) => c.seatId)).toEqual([first]);
    expect((await seatRow(h.db, show.id, second!)).status).toBe('selected');
  });

  it('when an order is being paid, then no step that ends pending orders ends it', async () => {
    const show = await createShow(h.ticketClub.app, admin, { areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }] });
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    const orders = new OrdersRepository(h.db);
    const orderId = await pendingOrder(show.id, fan!.id);
    const attempt = (n: string) => ({ orderId, attemptId: `00000000-0000-4000-8000-00000000000${n}`, idempotencyKey: `ticketclub-pay-${n}`, amount: 100, currency: 'TWD', now: new Date() });
    expect(await orders.markPaying(attempt('a'))).toBe(true);
    // A second attempt cannot mark it too, and is not recorded: one charge in flight per order.
    expect(await orders.markPaying(attempt('b'))).toBe(false);
    const recorded = await h.db.query<{ id: string; state: string }>(`SELECT id, state FROM payment_attempts WHERE order_id = $1`, [orderId]);
    expect(recorded.rows).toEqual([{ id: '00000000-0000-4000-8000-00000000000a', state: 'charging' }]);
    const later = new Date(Date.now() + 120_000);
    expect(await orders.endPending(orderId, later)).toBe(false);
    expect(await orders.expire(orderId, later)).toBe(false);
    expect(await orders.endPendingOfAdmission(show.id, fan!.id, 'adm-1', later)).toEqual([]);
    expect(await orders.expireDue(later, 100)).not.toContain(orderId);
    expect((await orders.stateOf(orderId, fan!.id))?.status).toBe('pending');
  });

  it('when two senders claim due messages at once, then no message is claimed by both, and a claimed one is not due again before its lease ends', async () => {
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    // Far in the future, so the app's own sender (which runs on the real clock) leaves these alone.
    const at = new Date(Date.UTC(2100, 0, 1));
    const outbox = new MailOutboxRepository(h.db);
    for (let i = 0; i < 10; i++) await outbox.enqueue({ kind: 'password-reset', userId: fan!.id, payload: { i }, now: at });
    const claims = await Promise.all([0, 1].map(() => h.db.transaction((tx) => new MailOutboxRepository(tx).claimDue(at, 6))));
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(10);
    expect(await outbox.claimDue(new Date(at.getTime() + 60_000), 100)).toEqual([]);
    const afterLease = await outbox.claimDue(new Date(at.getTime() + 3 * 60_000), 100);
    expect(afterLease.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(afterLease.every((m) => m.attempts === 2)).toBe(true);
  });

  it('when the same reset link is used twice at once, then exactly one use gets the account, and an expired or retired link gets nothing', async () => {
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    const now = new Date();
    const resets = new PasswordResetsRepository(h.db);
    const inAnHour = new Date(now.getTime() + 3_600_000);
    await resets.create({ tokenHash: `twice-${fan!.id}`, userId: fan!.id, now, expiresAt: inAnHour });
    const uses = await Promise.all([0, 1].map(() => h.db.transaction((tx) => new PasswordResetsRepository(tx).use(`twice-${fan!.id}`, now))));
    expect(uses.filter((u) => u === fan!.id)).toHaveLength(1);
    expect(uses.filter((u) => u === null)).toHaveLength(1);

    await resets.create({ tokenHash: `late-${fan!.id}`, userId: fan!.id, now, expiresAt: inAnHour });
    expect(await resets.use(`late-${fan!.id}`, new Date(inAnHour.getTime() + 1))).toBeNull();
    await resets.create({ tokenHash: `other-${fan!.id}`, userId: fan!.id, now, expiresAt: inAnHour });
    await resets.retireAllOf(fan!.id, now);
    expect(await resets.use(`other-${fan!.id}`, now)).toBeNull();
  });

  it('when two accounts claim the same standing places at once, then no place goes to both and a claim past what is free comes back short', async () => {
    const show = await createShow(h.ticketClub.app, admin, { areas: [{ name: 'Floor', kind: 'standing', capacity: 3 }] });
    const areaId = show.areas[0]!.id;
    const fans = await newCustomers(h.ticketClub.app, admin, 2);
    const claims = await Promise.all(
      fans.map((f, i) => h.db.transaction((tx) => new ShowSeatsRepository(tx).claimStanding(show.id, areaId, f.id, 2, { ...aMinute(), admissionId: `adm-${i}` }))),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(claims.map((c) => c.length).sort()).toEqual([1, 2]);
  });

  it('when a paid order is refunded twice at once, then exactly one refund marks it', async () => {
    const show = await createShow(h.ticketClub.app, admin, { areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }] });
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    const orderId = await pendingOrder(show.id, fan!.id);
    await h.db.query(`UPDATE orders SET status = 'paid', paid_at = now() WHERE id = $1`, [orderId]);
    const marks = await Promise.all([0, 1].map(() => h.db.transaction((tx) => new OrdersRepository(tx).markRefunded(orderId, new Date()))));
    expect(marks.filter(Boolean)).toEqual([{ user_id: fan!.id, show_id: show.id }]);
    expect((await new OrdersRepository(h.db).ownerAndStatus(orderId))?.status).toBe('refunded');
  });
});
