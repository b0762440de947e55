/**
 * What the sale tells fans outside the site (by email): the port the mailer implements. The app
 * calls it after the change is committed; a notice that fails to go out changes nothing sold.
 */
export interface SaleNotices {
  /** Places came back for a waitlisted fan and are held until `expiresAt`. */
  waitlistOffered(n: { userId: string; showId: string; seatIds: string[]; expiresAt: string }): void | Promise<void>;
  /** An organizer refunded the fan's order: its tickets are void. */
  orderRefunded(n: { userId: string; showId: string; orderId: string }): void | Promise<void>;
}

/** Sends nothing: the default until a mailer is wired in. */
export const NO_SALE_NOTICES: SaleNotices = {
  waitlistOffered() {},
  orderRefunded() {},
};
