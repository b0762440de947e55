/**
 * The port: what the waiting room needs from its storage. Every method is one atomic step, so
 * several instances may call them at once (the Redis store runs each as a Lua script).
 * Times are epoch milliseconds.
 */
import type { EndReason } from '../../../shared/realtime.js';

export interface QueueLimits {
  /** pageCapacity: how many accounts may be admitted at once. */
  capacity: number;
  windowMs: number;
  graceMs: number;
}

export interface AdmittedEntry {
  userId: string;
  admittedAt: number;
  expiresAt: number;
}

export type Place =
  | ({ state: 'admitted' } & AdmittedEntry)
  | {
      state: 'waiting';
      userId: string;
      position: number;
      /** Admission time of the admitted account whose window this waiter waits for (null: none). */
      refAdmittedAt: number | null;
    }
  | { state: 'none'; userId: string };

export interface Ended {
  userId: string;
  reason: EndReason;
  /** Whether the account was admitted (its seats must be released) or only waiting. */
  wasAdmitted: boolean;
}

/** What a step changed, so the caller can tell the accounts concerned. */
export interface Changes {
  admitted: AdmittedEntry[];
  ended: Ended[];
}

export interface QueueCounts {
  waiting: number;
  admitted: number;
  /** Admissions from the line during the last `periodMs`. */
  admissionsInPeriod: number;
  periodMs: number;
}

/** What an account was told when it joined the line, kept until it is admitted or leaves. */
export interface JoinNote {
  joinedAt: number;
  etaSeconds: number;
  etaLikelySeconds: number;
}

/** One account's actual wait next to what it was predicted: the dashboard's accuracy figures. */
export interface WaitSample extends JoinNote {
  admittedAt: number;
}

export interface QueueStore {
  /** Takes a place at the back (or returns the existing one), then fills free slots in order. */
  join(showId: string, userId: string, limits: QueueLimits, now: number): Promise<{ place: Place; changes: Changes }>;
  /** Leaves the line or the page with `reason`, then fills the freed slot. */
  leave(showId: string, userId: string, reason: EndReason, limits: QueueLimits, now: number): Promise<{ was: Place['state']; changes: Changes }>;
  /** Where accounts stand now (one atomic read for the batch). */
  places(showId: string, userIds: string[], capacity: number): Promise<Place[]>;
  /**
   * Ends expired admissions and removes accounts not seen for longer than the grace, then fills
   * free slots in order. Safe to run from every instance at once: each account is ended once.
   */
  sweep(showId: string, limits: QueueLimits, now: number): Promise<Changes>;
  /** Presence: these accounts have a connection watching the show now. Unknown accounts are ignored. */
  touch(showId: string, userIds: string[], now: number): Promise<void>;
  counts(showId: string, now: number): Promise<QueueCounts>;
  noteJoin(showId: string, userId: string, note: JoinNote): Promise<void>;
  /** Returns and forgets the join notes of these accounts (null where there is none). */
  takeJoinNotes(showId: string, userIds: string[]): Promise<(JoinNote | null)[]>;
  /** Keeps the most recent WAIT_SAMPLES samples of the show. */
  addWaitSamples(showId: string, samples: WaitSample[]): Promise<void>;
  waitSamples(showId: string): Promise<WaitSample[]>;
  /** Shows whose line or page had anyone in it recently: the ones to sweep. */
  activeShows(now: number): Promise<string[]>;
  close(): Promise<void>;
}

/** How far back the observed admission rate looks (etaLikelySeconds, admissions per minute). */
export const RATE_PERIOD_MS = 5 * 60_000;
export const RATE_BUCKET_MS = 10_000;
/** A show stays on the sweep list this long after it was last seen non-empty. */
export const ACTIVE_TTL_MS = 10 * 60_000;
/** How many recent waits the dashboard's wait and accuracy figures are computed from. */
export const WAIT_SAMPLES = 1000;
