import type { EndReason } from '../../../shared/realtime.js';

/** An account's current turn on a show's selling page. Times are epoch milliseconds. */
export interface Admission {
  showId: string;
  userId: string;
  /** This admission, not the account's next one: holds and orders record it. */
  admissionId: string;
  admittedAt: number;
  expiresAt: number;
}

/** What the seat and order use cases need from the waiting room. */
export interface AdmissionGate {
  /** The caller's live admission to the show; throws 403 NOT_ADMITTED when there is none. */
  requireAdmission(showId: string, userId: string): Promise<Admission>;
  /**
   * The caller's live admission, if it is still `admissionId`; throws 403 NOT_ADMITTED otherwise.
   * Called again inside a transaction that holds the account's seat lock, after which an ended
   * admission can no longer gain seats (its release takes the same lock).
   */
  requireSameAdmission(showId: string, userId: string, admissionId: string): Promise<void>;
  /** Whether `admissionId` is still the account's live admission (no error: for callers that refuse in their own words). */
  isLive(showId: string, userId: string, admissionId: string): Promise<boolean>;
  /**
   * Ends the account's admission (after a purchase) and admits the next in line. With `admissionId`,
   * only that one. `stock.anyUnsold`: whether the show has a seat left, when the caller just read it
   * (a purchase's own statement does), so the line need not ask before it ends the waits at a sell-out.
   */
  endAdmission(showId: string, userId: string, reason: EndReason, admissionId?: string, stock?: { anyUnsold: boolean }): Promise<void>;
}

/** An admission that ended without a purchase: what it held is to be released. */
export interface AdmissionEnded {
  showId: string;
  userId: string;
  admissionId: string;
}
