import type { Database } from '../../platform/database.js';
import type { Realtime } from '../../platform/realtime.js';
import { changesOf, FREE_SEAT, freeSeatsOfOrders, publishSeatChanges } from '../seats/seat-changes.js';
import { NO_PAYMENT_IN_FLIGHT } from './payment-attempts.js';

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
 * each claims its rows with FOR UPDATE SKIP LOCKED and re-checks them in the UPDATE, so a row is
 * released once and nobody waits on anybody.
 */
export async function releaseExpired(db: Database, realtime: Realtime, now: Date): Promise<Released> {
  const total: Released = { orders: 0, seats: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const step = await db.transaction(async (tx) => {
      const { rows: ended } = await tx.query<{ id: string }>(
        `UPDATE orders o SET status = 'expired'
           FROM (SELECT id FROM orders
                  WHERE status = 'pending' AND expires_at <= $1 AND ${NO_PAYMENT_IN_FLIGHT}
                  ORDER BY expires_at LIMIT $2
                  FOR UPDATE SKIP LOCKED) due
          WHERE o.id = due.id AND o.status = 'pending' AND o.${NO_PAYMENT_IN_FLIGHT}
          RETURNING o.id`,
        [now, BATCH],
      );
      const fromOrders = await freeSeatsOfOrders(
        tx,
        ended.map((o) => o.id),
        now,
      );
      const { rows: lapsed } = await tx.query<{ show_id: string; seat_id: string; area_id: string }>(
        `UPDATE show_seats ss SET ${FREE_SEAT}, updated_at = $1
           FROM (SELECT show_id, seat_id FROM show_seats
                  WHERE status = 'selected' AND hold_expires_at <= $1
                  LIMIT $2
                  FOR UPDATE SKIP LOCKED) due
          WHERE ss.show_id = due.show_id AND ss.seat_id = due.seat_id
            AND ss.status = 'selected' AND ss.hold_expires_at <= $1
          RETURNING ss.show_id, ss.seat_id, ss.area_id`,
        [now, BATCH],
      );
      return { ended: ended.length, lapsed: lapsed.length, changes: [...fromOrders, ...changesOf(lapsed, 'available')] };
    });
    publishSeatChanges(realtime, step.changes);
    total.orders += step.ended;
    total.seats += step.changes.length;
    if (step.ended < BATCH && step.lapsed < BATCH) break;
  }
  return total;
}
