import type { Database } from '../../platform/database.js';
import type { Realtime } from '../../platform/realtime.js';
import { publishSeatChanges } from '../seats/seats-gateway.js';
import { seatSteps } from '../seats/seats-service.js';
import { OrdersRepository } from './orders-repository.js';

export interface Released {
  /** Pending orders whose time ran out, now expired. */
  orders: number;
  /** Seats back on sale: those of the expired orders and holds that ran out. */
  seats: number;
}

const BATCH = 500;
const MAX_ROUNDS = 20;

/**
 * The server-side end of every purchase window: pending orders past their time expire and their
 * seats go back on sale, and so do holds that ran out. An order whose payment is in flight waits
 * for the attempt to be resolved (the charge may have gone through). Several instances may run it at once:
 * each step claims its rows with FOR UPDATE SKIP LOCKED and re-checks them in the UPDATE, so a
 * row is released once and nobody waits on anybody.
 */
export async function releaseExpired(db: Database, realtime: Realtime, now: Date): Promise<Released> {
  const total: Released = { orders: 0, seats: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const step = await db.transaction(async (tx) => {
      const seats = seatSteps(tx);
      const ended = await new OrdersRepository(tx).expireDue(now, BATCH);
      const fromOrders = await seats.releaseOrders(ended, now);
      const lapsed = await seats.expireLapsedHolds(now, BATCH);
      return { ended: ended.length, lapsed: lapsed.length, changes: [...fromOrders, ...lapsed] };
    });
    publishSeatChanges(realtime, step.changes);
    total.orders += step.ended;
    total.seats += step.changes.length;
    if (step.ended < BATCH && step.lapsed < BATCH) break;
  }
  return total;
}
