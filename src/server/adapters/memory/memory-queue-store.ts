import type { EndReason } from '../../../shared/realtime.js';
import { systemClock, type Clock } from '../../platform/clock.js';
import {
  ACTIVE_TTL_MS,
  LINE_LOG_KEEP,
  RECENT_END_MS,
  type LastEnd,
  type LineTick,
  RATE_BUCKET_MS,
  RATE_PERIOD_MS,
  WAIT_SAMPLES,
  type AdmittedEntry,
  type JoinNote,
  type WaitSample,
  type Changes,
  type Place,
  type QueueCounts,
  type QueueLimits,
  type QueueStore,
  admissionsByMinute,
} from '../../modules/queue/queue-store.js';

interface ShowLine {
  seq: number;
  /** Waiting accounts in join order; `seqOf` gives each one's ticket number for binary search. */
  waiting: string[];
  waitSeq: number[];
  seqOf: Map<string, number>;
  /** Admitted accounts in order of admission. */
  admitted: AdmittedEntry[];
  seen: Map<string, number>;
  buckets: Map<number, number>;
  activeAt: number;
  notes: Map<string, JoinNote>;
  waits: WaitSample[];
  ends: Map<string, LastEnd>;
  /** The line log (QueueStore.lineTick): tickets that left the waiting line, the first `gone0` trimmed. */
  gone: number[];
  gone0: number;
}

/**
 * The embedded default: the waiting room in this process (one instance). Each method runs to
 * completion, so it is atomic. The process clock is the line's clock (tests inject theirs).
 */
export class MemoryQueueStore implements QueueStore {
  private readonly shows = new Map<string, ShowLine>();
  /** Per show: how many of its drawn entries are in line (QueueStore.putDrawn). */
  private readonly drawn = new Map<string, number>();
  /** Admission ids are unique in this process; the start time keeps them apart across restarts. */
  private admissions = 0;
  private readonly epoch = Date.now().toString(36);

  constructor(
    private readonly clock: Clock = systemClock,
    /** How many gone tickets the line log keeps at least (tests make it small to trim it often). */
    private readonly lineLogKeep = LINE_LOG_KEEP,
  ) {}

  private line(showId: string): ShowLine {
    let line = this.shows.get(showId);
    if (!line) {
      line = { seq: 0, waiting: [], waitSeq: [], seqOf: new Map(), admitted: [], seen: new Map(), buckets: new Map(), activeAt: 0, notes: new Map(), waits: [], ends: new Map(), gone: [], gone0: 0 };
      this.shows.set(showId, line);
    }
    return line;
  }

  private rank(line: ShowLine, userId: string): number {
    const seq = line.seqOf.get(userId);
    if (seq === undefined) return -1;
    let lo = 0;
    let hi = line.waitSeq.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = line.waitSeq[mid]!;
      if (v === seq) return mid;
      if (v < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private removeWaiting(line: ShowLine, userId: string): boolean {
    const r = this.rank(line, userId);
    if (r < 0) return false;
    line.waiting.splice(r, 1);
    this.logGone(line, line.waitSeq.splice(r, 1)[0]!);
    line.seqOf.delete(userId);
    return true;
  }

  /** Appends a ticket to the line log; trims it in bulk, so each append costs O(1) on average. */
  private logGone(line: ShowLine, ticket: number): void {
    line.gone.push(ticket);
    if (line.gone.length >= 2 * this.lineLogKeep) {
      line.gone.splice(0, this.lineLogKeep);
      line.gone0 += this.lineLogKeep;
    }
  }

  private mark(line: ShowLine): number {
    return line.gone0 + line.gone.length;
  }

  private removeAdmitted(line: ShowLine, userId: string): boolean {
    const i = line.admitted.findIndex((a) => a.userId === userId);
    if (i < 0) return false;
    line.admitted.splice(i, 1);
    return true;
  }

  /** Admits from the front while there is room. `observed`: count it in the line's admission rate. */
  private fill(line: ShowLine, limits: QueueLimits, now: number, changes: Changes, observed = true): void {
    let promoted = 0;
    while (line.admitted.length < limits.capacity && line.waiting.length > 0) {
      const userId = line.waiting.shift()!;
      this.logGone(line, line.waitSeq.shift()!);
      line.seqOf.delete(userId);
      const entry = { userId, admissionId: `${this.epoch}-${++this.admissions}`, admittedAt: now, expiresAt: now + limits.windowMs };
      line.admitted.push(entry);
      changes.admitted.push(entry);
      // The admitted grace runs from the admission: a waiter away within its longer grace still
      // gets the admitted grace to come back to its page.
      line.seen.set(userId, now);
      promoted++;
    }
    if (promoted > 0 && observed) {
      const b = Math.floor(now / RATE_BUCKET_MS);
      line.buckets.set(b, (line.buckets.get(b) ?? 0) + promoted);
    }
  }

  private placeOf(line: ShowLine, userId: string, capacity: number, now: number): Place {
    const a = line.admitted.find((x) => x.userId === userId);
    if (a) return { state: 'admitted', ...a, at: now };
    const r = this.rank(line, userId);
    if (r < 0) return { state: 'none', userId, at: now };
    const ref = line.admitted[r % capacity];
    const ticket = line.waitSeq[r]!;
    return { state: 'waiting', userId, position: r + 1, ticket, mark: this.mark(line), refAdmittedAt: ref ? ref.admittedAt : null, at: now };
  }

  async join(showId: string, userId: string, limits: QueueLimits) {
    const now = this.clock.now();
    const line = this.line(showId);
    const changes: Changes = { admitted: [], ended: [] };
    line.activeAt = now;
    if (!line.seqOf.has(userId) && !line.admitted.some((a) => a.userId === userId)) {
      const seq = ++line.seq;
      line.waiting.push(userId);
      line.waitSeq.push(seq);
      line.seqOf.set(userId, seq);
      line.seen.set(userId, now);
      // Walking straight in when there is room is not the line moving: keep it out of the rate.
      this.fill(line, limits, now, changes, false);
    }
    return { place: this.placeOf(line, userId, limits.capacity, now), changes };
  }

  async putDrawn(showId: string, offset: number, userIds: string[], limits: QueueLimits): Promise<{ next: number; changes: Changes }> {
    const now = this.clock.now();
    const line = this.line(showId);
    const changes: Changes = { admitted: [], ended: [] };
    const taken = this.drawn.get(showId) ?? 0;
    if (taken < offset || taken >= offset + userIds.length) return { next: taken, changes };
    line.activeAt = now;
    const admitted = new Set(line.admitted.map((a) => a.userId));
    for (const userId of userIds.slice(taken - offset)) {
      if (line.seqOf.has(userId) || admitted.has(userId)) continue;
      const seq = ++line.seq;
      line.waiting.push(userId);
      line.waitSeq.push(seq);
      line.seqOf.set(userId, seq);
      line.seen.set(userId, now);
    }
    const next = offset + userIds.length;
    this.drawn.set(showId, next);
    this.fill(line, limits, now, changes, false);
    return { next, changes };
  }

  async admitOutside(showId: string, userId: string, windowMs: number): Promise<{ entry: AdmittedEntry; fresh: boolean }> {
    const now = this.clock.now();
    const line = this.line(showId);
    line.activeAt = now;
    const existing = line.admitted.find((a) => a.userId === userId);
    if (existing) return { entry: { ...existing }, fresh: false };
    this.removeWaiting(line, userId);
    // Not in `seen`: the presence sweep leaves it alone, only its window ends it.
    line.seen.delete(userId);
    const entry = { userId, admissionId: `${this.epoch}-${++this.admissions}`, admittedAt: now, expiresAt: now + windowMs };
    line.admitted.push(entry);
    return { entry: { ...entry }, fresh: true };
  }

  async leave(showId: string, userId: string, reason: EndReason, limits: QueueLimits, admissionId?: string) {
    const now = this.clock.now();
    const line = this.line(showId);
    const changes: Changes = { admitted: [], ended: [] };
    let was: Place['state'] = 'none';
    const adm = line.admitted.find((a) => a.userId === userId);
    if (admissionId !== undefined) {
      if (adm?.admissionId === admissionId && this.removeAdmitted(line, userId)) was = 'admitted';
    } else if (this.removeAdmitted(line, userId)) was = 'admitted';
    else if (this.removeWaiting(line, userId)) was = 'waiting';
    if (was !== 'none') {
      line.seen.delete(userId);
      changes.ended.push(was === 'admitted' ? { userId, reason, wasAdmitted: true, admissionId: adm!.admissionId } : { userId, reason, wasAdmitted: false });
      this.fill(line, limits, now, changes);
    }
    return { was, changes };
  }

  async places(showId: string, userIds: string[], capacity: number): Promise<Place[]> {
    const line = this.line(showId);
    const now = this.clock.now();
    return userIds.map((u) => this.placeOf(line, u, capacity, now));
  }

  async lineTick(showId: string, since: number): Promise<LineTick> {
    const line = this.line(showId);
    const mark = this.mark(line);
    const gone = since >= line.gone0 && since <= mark ? line.gone.slice(since - line.gone0) : null;
    return { mark, gone, page: line.admitted.map((a) => a.admittedAt), at: this.clock.now() };
  }

  async liveAdmission(showId: string, userId: string): Promise<AdmittedEntry | null> {
    const a = this.shows.get(showId)?.admitted.find((x) => x.userId === userId);
    return a && a.expiresAt > this.clock.now() ? { ...a } : null;
  }

  async sweep(showId: string, limits: QueueLimits): Promise<Changes> {
    const now = this.clock.now();
    const line = this.line(showId);
    const changes: Changes = { admitted: [], ended: [] };
    for (const a of [...line.admitted]) {
      if (a.expiresAt <= now) {
        this.removeAdmitted(line, a.userId);
        line.seen.delete(a.userId);
        changes.ended.push({ userId: a.userId, reason: 'expired', wasAdmitted: true, admissionId: a.admissionId });
      }
    }
    const admittedNow = new Map(line.admitted.map((a) => [a.userId, a]));
    for (const [userId, at] of line.seen) {
      const adm = admittedNow.get(userId);
      if (at >= now - (adm ? limits.admittedGraceMs : limits.graceMs)) continue;
      line.seen.delete(userId);
      if (adm && this.removeAdmitted(line, userId)) changes.ended.push({ userId, reason: 'removed', wasAdmitted: true, admissionId: adm.admissionId });
      else if (this.removeWaiting(line, userId)) changes.ended.push({ userId, reason: 'removed', wasAdmitted: false });
    }
    this.fill(line, limits, now, changes);
    if (line.waiting.length + line.admitted.length > 0) line.activeAt = now;
    for (const b of line.buckets.keys()) if (b < Math.floor((now - RATE_PERIOD_MS) / RATE_BUCKET_MS)) line.buckets.delete(b);
    return changes;
  }

  async endWaits(showId: string, reason: EndReason): Promise<Changes> {
    const line = this.shows.get(showId);
    const changes: Changes = { admitted: [], ended: [] };
    if (!line) return changes;
    for (const userId of line.waiting) {
      line.seen.delete(userId);
      changes.ended.push({ userId, reason, wasAdmitted: false });
    }
    line.waiting = [];
    line.waitSeq = [];
    line.seqOf.clear();
    // Every wait ended at once: one step past the log, so every follower reads its places again.
    line.gone0 = this.mark(line) + 1;
    line.gone = [];
    return changes;
  }

  async endAll(showId: string, reason: EndReason): Promise<Changes> {
    const changes = await this.endWaits(showId, reason);
    const line = this.shows.get(showId);
    if (!line) return changes;
    for (const a of line.admitted) {
      line.seen.delete(a.userId);
      changes.ended.push({ userId: a.userId, reason, wasAdmitted: true, admissionId: a.admissionId });
    }
    line.admitted = [];
    return changes;
  }

  async touch(showId: string, userIds: string[]): Promise<void> {
    const now = this.clock.now();
    const line = this.shows.get(showId);
    if (!line) return;
    for (const u of userIds) if (line.seen.has(u)) line.seen.set(u, now);
  }

  async counts(showId: string): Promise<QueueCounts> {
    const now = this.clock.now();
    const line = this.line(showId);
    const from = Math.floor((now - RATE_PERIOD_MS) / RATE_BUCKET_MS);
    const kept = [...line.buckets].filter(([b]) => b > from);
    const n = kept.reduce((sum, [, c]) => sum + c, 0);
    return { waiting: line.waiting.length, admitted: line.admitted.length, admissionsInPeriod: n, periodMs: RATE_PERIOD_MS, at: now, byMinute: admissionsByMinute(kept) };
  }

  async noteEnds(showId: string, ends: { userId: string; reason: EndReason }[]): Promise<void> {
    const now = this.clock.now();
    const line = this.line(showId);
    for (const e of ends) {
      line.ends.delete(e.userId); // re-inserted last: the map stays in order of time
      line.ends.set(e.userId, { reason: e.reason, at: now });
    }
    for (const [u, e] of line.ends) {
      if (e.at >= now - RECENT_END_MS) break;
      line.ends.delete(u);
    }
  }

  async lastEnd(showId: string, userId: string): Promise<LastEnd | null> {
    const e = this.shows.get(showId)?.ends.get(userId);
    return e && e.at >= this.clock.now() - RECENT_END_MS ? { ...e } : null;
  }

  async noteJoin(showId: string, userId: string, note: JoinNote): Promise<void> {
    this.line(showId).notes.set(userId, note);
  }

  async takeJoinNotes(showId: string, userIds: string[]): Promise<(JoinNote | null)[]> {
    const line = this.line(showId);
    return userIds.map((u) => {
      const n = line.notes.get(u) ?? null;
      line.notes.delete(u);
      return n;
    });
  }

  async addWaitSamples(showId: string, samples: WaitSample[]): Promise<void> {
    const line = this.line(showId);
    line.waits.push(...samples);
    if (line.waits.length > WAIT_SAMPLES) line.waits.splice(0, line.waits.length - WAIT_SAMPLES);
  }

  async waitSamples(showId: string): Promise<WaitSample[]> {
    return [...this.line(showId).waits];
  }

  async activeShows(): Promise<string[]> {
    const now = this.clock.now();
    return [...this.shows].filter(([, line]) => line.activeAt > now - ACTIVE_TTL_MS).map(([id]) => id);
  }

  async close(): Promise<void> {
    this.shows.clear();
  }
}
