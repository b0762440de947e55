import type { EndReason } from '../../../shared/realtime.js';

/** An account's current turn on a show's selling page. Times are epoch milliseconds. */
export interface Admission {
  showId: string;
  userId: string;
  admittedAt: number;
  expiresAt: number;
}

/** What the seat and order use cases need from the waiting room. */
export interface AdmissionGate {
  /** The caller's live admission to the show; throws 403 NOT_ADMITTED when there is none. */
  requireAdmission(showId: string, userId: string): Promise<Admission>;
  /** Ends the account's admission (after a purchase) and admits the next in line. */
  endAdmission(showId: string, userId: string, reason: EndReason): Promise<void>;
}

/** What the waiting room needs from the seat side: the account's seats, and their release. */
export interface SeatHolds {
  /** Selected (unexpired) + locked + sold seats of the account for the show. */
  countForAccount(showId: string, userId: string): Promise<number>;
  /** Releases the account's selected seats and cancels its pending orders for the show (never paid ones). */
  releaseForAccount(showId: string, userId: string): Promise<void>;
}
