/**
 * The port: what the waiting room needs from its storage. Every method is one atomic step, so
 * several instances may call them at once (the Redis store runs each as a Lua script).
 * Times are epoch milliseconds.
 *
 * The store is the line's one clock: windows, grace, expiry and admission times are read from it
 * (Redis TIME, or the process clock in process), never from the calling instance, so instances
 * whose clocks disagree still agree on who is admitted until when.
 */
import type { EndReason } from '../../../shared/realtime.js';

export interface QueueLimits {
  /** pageCapacity: how many accounts may be admitted at once. */
  capacity: number;
  windowMs: number;
  /** How long a waiting account may go unseen before it loses its place. */
  graceMs: number;
  /** The same for an admitted account (shorter: its slot is the next fan's chance). */
  admittedGraceMs: number;
}

export interface AdmittedEntry {
  userId: string;
  /**
   * Names this one admission: the same account admitted again later gets another id, so work tied
   * to an admission (holds, orders) can tell the live one from an ended one.
   */
  admissionId: string;
  admittedAt: number;
  expiresAt: number;
}

export type Place = (
  | ({ state: 'admitted' } & AdmittedEntry)
  | {
      state: 'waiting';
      userId: string;
      position: number;
      /** The join ticket: the line is in ticket order, and a rejoin gets a new one. */
      ticket: number;
      /** The line log's length when this place was read (LineTick.mark): the tick it is exact at. */
      mark: number;
      /** Admission time of the admitted account whose window this waiter waits for (null: none). */
      refAdmittedAt: number | null;
    }
  | { state: 'none'; userId: string }
) & {
  /** The line's clock when this place was read: the ETA, and clients' countdowns, count from it. */
  at: number;
};

export interface Ended {
  userId: string;
  reason: EndReason;
  /** Whether the account was admitted (its seats must be released) or only waiting. */
  wasAdmitted: boolean;
  /** The admission that ended (when it was admitted). */
  admissionId?: string;
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
  /** The line's clock when counted. */
  at: number;
  /**
   * The same admissions per minute of the line's clock (`minute`: its start, epoch ms), oldest
   * first, minutes without any left out: the dashboard's history records them. A minute's count
   * only grows while it is in the period (the oldest one may have lost its first buckets).
   */
  byMinute: { minute: number; admissions: number }[];
}

/** How an account's place ended (on the line's clock), kept RECENT_END_MS so a fan who comes back is told why. */
export interface LastEnd {
  reason: EndReason;
  at: number;
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

/**
 * The line log since a mark: every ticket that left the waiting line (admitted, left, removed), in
 * order. Tickets only ever join at the back, so a waiter's place at `mark` is its place at its own
 * mark minus the tickets below its own that left in between: no store read per waiter.
 */
export interface LineTick {
  /** How many tickets have left the line in all: the tick's number. */
  mark: number;
  /**
   * The tickets that left in [since, mark), or null when they are no longer kept (trimmed, or a
   * sell-out ended every wait at once): the caller reads its waiters' places again.
   */
  gone: number[] | null;
  /** admittedAt of each admitted account, in order of admission (the ETA's reference per lap). */
  page: number[];
  /** The line's clock when this was read. */
  at: number;
}

export interface QueueStore {
  /** Takes a place at the back (or returns the existing one), then fills free slots in order. */
  join(showId: string, userId: string, limits: QueueLimits): Promise<{ place: Place; changes: Changes }>;
  /**
   * Leaves the line or the page with `reason`, then fills the freed slot. With `admissionId`, only
   * that admission ends (a late "purchased" must not end a newer admission of the same account).
   */
  leave(
    showId: string,
    userId: string,
    reason: EndReason,
    limits: QueueLimits,
    admissionId?: string,
  ): Promise<{ was: Place['state']; changes: Changes }>;
  /** Where accounts stand now (one atomic read for the batch). */
  places(showId: string, userIds: string[], capacity: number): Promise<Place[]>;
  /** The line log since `since` (a mark from an earlier tick or place), in one atomic read. */
  lineTick(showId: string, since: number): Promise<LineTick>;
  /** The account's admission if its window is still open by the line's clock, else null. */
  liveAdmission(showId: string, userId: string): Promise<AdmittedEntry | null>;
  /**
   * Ends expired admissions and removes accounts not seen for longer than their grace (admitted:
   * `admittedGraceMs`, waiting: `graceMs`), then fills
   * free slots in order. Safe to run from every instance at once: each account is ended once.
   */
  sweep(showId: string, limits: QueueLimits): Promise<Changes>;
  /**
   * Ends the wait of every account of the show that is not admitted (waiting, or any other
   * not-admitted state), with `reason`. Admitted accounts keep their admission.
   */
  endWaits(showId: string, reason: EndReason): Promise<Changes>;
  /**
   * Ends every wait and every admission of the show with `reason`, admitting nobody: the sale is
   * over (the show has started). The admitted are ended with their admission ids.
   */
  endAll(showId: string, reason: EndReason): Promise<Changes>;
  /** Presence: these accounts have a connection watching the show now. Unknown accounts are ignored. */
  touch(showId: string, userIds: string[]): Promise<void>;
  counts(showId: string): Promise<QueueCounts>;
  /** Notes how these accounts' places ended, replacing older notes. */
  noteEnds(showId: string, ends: { userId: string; reason: EndReason }[]): Promise<void>;
  /** How the account's place last ended, if within RECENT_END_MS, else null. */
  lastEnd(showId: string, userId: string): Promise<LastEnd | null>;
  noteJoin(showId: string, userId: string, note: JoinNote): Promise<void>;
  /** Returns and forgets the join notes of these accounts (null where there is none). */
  takeJoinNotes(showId: string, userIds: string[]): Promise<(JoinNote | null)[]>;
  /** Keeps the most recent WAIT_SAMPLES samples of the show. */
  addWaitSamples(showId: string, samples: WaitSample[]): Promise<void>;
  waitSamples(showId: string): Promise<WaitSample[]>;
  /**
   * Puts a draw's entries in line in drawn order, behind whoever is there: `userIds` are the drawn
   * order from position `offset`. The store keeps how many of the show's drawn entries it has taken
   * and takes only those past that count, in one step, then fills free slots; so instances running
   * the same draw at once, or one finishing a crashed one's, put each entry in line exactly once and
   * in order. `next` is the count afterwards: the position the caller goes on from (it skips ahead
   * when another instance was faster, and goes back when a chunk before `offset` is missing).
   */
  putDrawn(showId: string, offset: number, userIds: string[], limits: QueueLimits): Promise<{ next: number; changes: Changes }>;
  /**
   * Admits the account outside the line (a waitlist offer: docs/selling.md), for `windowMs`, even
   * past the page's capacity: out of the line if it was waiting, and exempt from the presence rule
   * (the fan may come from an email), so only its window ends it. An account already admitted
   * keeps that admission (`fresh` false).
   */
  admitOutside(showId: string, userId: string, windowMs: number): Promise<{ entry: AdmittedEntry; fresh: boolean }>;
  /** Shows whose line or page had anyone in it recently: the ones to sweep. */
  activeShows(): Promise<string[]>;
  close(): Promise<void>;
}

/** How many gone tickets the line log keeps at least: a minute and more of admissions at 350/s. */
export const LINE_LOG_KEEP = 50_000;
/** How far back the observed admission rate looks (etaLikelySeconds, admissions per minute). */
export const RATE_PERIOD_MS = 5 * 60_000;
export const RATE_BUCKET_MS = 10_000;
/** The admissions of the buckets in `[bucket, count]` pairs, added up per minute (a bucket lies in one minute: 60 s is a multiple of it). */
export function admissionsByMinute(buckets: Iterable<[number, number]>): { minute: number; admissions: number }[] {
  const per = new Map<number, number>();
  for (const [b, n] of buckets) {
    const minute = Math.floor((b * RATE_BUCKET_MS) / 60_000) * 60_000;
    per.set(minute, (per.get(minute) ?? 0) + n);
  }
  return [...per].sort((a, b) => a[0] - b[0]).map(([minute, admissions]) => ({ minute, admissions }));
}
/** A show stays on the sweep list this long after it was last seen non-empty. */
export const ACTIVE_TTL_MS = 10 * 60_000;
/** How long the note of an ended place is kept. */
export const RECENT_END_MS = 60 * 60_000;
/** How many recent waits the dashboard's wait and accuracy figures are computed from. */
export const WAIT_SAMPLES = 1000;
