import type { SeatUpdateEvent } from '../../../shared/realtime.js';
import type { Queryable } from '../../platform/database.js';
import { rooms, type Realtime } from '../../platform/realtime.js';

/** A committed change of one seat's state, as the seat map hears it. */
export type SeatChange = SeatUpdateEvent;

interface ChangedRow {
  show_id: string;
  seat_id: string;
  area_id: string;
}

/** Maps rows RETURNING show_id, seat_id, area_id to the changes they describe. */
export function changesOf(rows: ChangedRow[], status: SeatChange['status']): SeatChange[] {
  return rows.map((r) => ({ showId: r.show_id, areaId: r.area_id, seatId: r.seat_id, status }));
}

/** Tells every watcher of the shows concerned. Call only after the transaction committed. */
export function publishSeatChanges(realtime: Realtime, changes: SeatChange[]): void {
  for (const c of changes) realtime.toRoom(rooms.show(c.showId), 'seat:update', c);
}

/** What a seat row becomes when it is free again (satisfies the show_seats CHECKs). */
export const FREE_SEAT = `status = 'available', holder_id = NULL, hold_expires_at = NULL, order_id = NULL, admission_id = NULL`;

/**
 * Returns the locked seats of these orders to sale. Only to be called in the transaction that
 * moved the orders out of `pending`, so a seat is never freed while its order can still be paid.
 */
export async function freeSeatsOfOrders(tx: Queryable, orderIds: string[], now: Date): Promise<SeatChange[]> {
  if (orderIds.length === 0) return [];
  const { rows } = await tx.query<ChangedRow>(
    `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $2
      WHERE order_id = ANY($1::uuid[]) AND status = 'locked'
      RETURNING show_id, seat_id, area_id`,
    [orderIds, now],
  );
  return changesOf(rows, 'available');
}

/**
 * The account's seats that count towards the ticket limit: unexpired holds and checkouts, and
 * sold seats. Shared by the limit check in hold() and by the waiting room's join.
 */
export const countedSeats = (now: string): string =>
  `(status = 'sold' OR (status IN ('selected', 'locked') AND hold_expires_at > ${now}))`;

/**
 * Serialises the changes one account makes to its seats of one show, inside the transaction
 * making them. The ticket limit needs it (parallel holds would each miss the others' claims under
 * READ COMMITTED), and taking it first in every multi-seat change of an account rules out
 * deadlocks between that account's own requests (a double-clicked checkout, a pay racing a leave).
 * The key is built from the uuid values, not the strings given: every spelling of an id (capitals,
 * say) is one show to the seat rows, so it must be one lock too.
 */
export async function lockAccountSeats(tx: Queryable, showId: string, userId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('seat-holds:' || $1::uuid::text), hashtext($2::uuid::text))`, [showId, userId]);
}
