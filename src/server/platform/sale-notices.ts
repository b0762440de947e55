import type { Queryable } from './database.js';

/**
 * What the sale tells fans outside the site (by email): the port the mail module's NoticesService
 * implements. Each notice is one outbox message, enqueued in the caller's transaction when it
 * passes one (so it goes out if and only if the change commits), and keyed so a retry sends one.
 */
export interface SaleNotices {
  /** Places came back for a waitlisted fan and are held until `expiresAt`. */
  waitlistOffered(accountId: string, showId: string, seatIds: string[], expiresAt: Date | string, tx?: Queryable): Promise<unknown>;
  /** An organizer refunded the fan's order: its tickets are void. */
  orderRefunded(orderId: string, tx?: Queryable): Promise<unknown>;
}
