import type { DrawResponse, QueueResponse, ShowStats } from '../../../shared/api.js';
import type { EndReason, QueueStatusEvent } from '../../../shared/realtime.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import type { CatalogueService, SaleRules } from '../catalogue/catalogue-service.js';
import { showStatus } from '../catalogue/show-status.js';
import type { Admission, AdmissionEnded, AdmissionGate } from './admission.js';
import { etaLikelySeconds, etaSeconds } from './eta.js';
import { waitFigures, type WaitFigures } from './wait-stats.js';
import type { Changes, LineTick, Place, QueueCounts, QueueLimits, QueueStore } from './queue-store.js';
import type { DrawStore, Entry } from './draw.js';

export interface QueueEvents {
  onJoined?(showId: string): void;
  /** Called for every admission and every end, e.g. for metrics. */
  onAdmitted?(showId: string, count: number): void;
  onEnded?(showId: string, reason: EndReason): void;
  onError?(err: unknown, what: string): void;
}

/** A join as its account's watchers hear it: the status the join answered, and the place it was made from (waiting only). */
export interface Joined {
  showId: string;
  userId: string;
  status: QueueStatusEvent;
  place?: Place;
}

/** A show's line as the dashboard's history records it (QueueService.lineFigures). */
export interface LineFigures {
  showId: string;
  /** The line's clock (epoch ms). */
  at: number;
  waiting: number;
  /** Entries in the pre-queue's draw, before it is drawn. */
  early: number;
  admitted: number;
  /** Admissions from the line per minute of the line's clock over the last minutes (QueueCounts.byMinute). */
  byMinute: QueueCounts['byMinute'];
}

const RULES_TTL_MS = 2_000;
const RATE_TTL_MS = 2_000;
/**
 * A show's stock is counted at most once per this long per instance (on the wall clock, so a test's
 * stopped clock cannot freeze it): every waiter's status shares that one count.
 */
const STOCK_TTL_MS = 1_000;
/** A count older than this is not used once a seat change of its show was heard: a busy sale changes seats hundreds of times a second. */
const STOCK_CHANGED_TTL_MS = 100;
/** A sweep runs this long after an admission's window ends, so the next waiter is admitted at once. */
const EXPIRY_SLACK_MS = 5;
/** Drawn entries put in line per store call: each call stays far below 100 ms of Redis time. */
export const DRAW_CHUNK = 2_000;

/** The waiting room's use cases: join, look, leave, admit the next, expire, remove the absent. */
export class QueueService implements AdmissionGate {
  /** Told when an admission ended without a purchase (the seat side frees what it held). */
  private readonly admissionEndedListeners: ((e: AdmissionEnded) => Promise<void>)[] = [];
  private readonly joinListeners: ((j: Joined) => void)[] = [];
  private readonly rulesCache = new Map<string, { at: number; rules: SaleRules }>();
  private readonly rateCache = new Map<string, { at: number; perSecond: number }>();
  private readonly stockCache = new Map<string, { at: number; stock: Promise<{ left: number; unsold: number }>; changed: boolean }>();
  /** Sweeps due when admissions made here run out (undefined: not scheduling). */
  private expiryTimers?: Map<string, NodeJS.Timeout>;
  private readonly expirySweeps = new Set<Promise<unknown>>();
  private draws?: DrawStore;
  /** Shows whose draw is all in line (it never becomes undone). */
  private readonly drawn = new Set<string>();
  /** The draw this instance is putting in line, per show: concurrent joins wait for the same one. */
  private readonly drawing = new Map<string, Promise<void>>();
  private drawTimer?: { at: number; timer: NodeJS.Timeout };

  constructor(
    private readonly store: QueueStore,
    private readonly catalogue: CatalogueService,
    /** The account's seats of the show that count towards its ticket limit. */
    private readonly ownedSeats: (showId: string, userId: string) => Promise<number>,
    private readonly realtime: Realtime,
    private readonly clock: Clock,
    /** How long a waiting (`queueMs`) or admitted (`admittedMs`) account may be unseen. */
    private readonly grace: { queueMs: number; admittedMs: number },
    private readonly events: QueueEvents = {},
    private readonly hooks: TestHooks = {},
  ) {}

  /**
   * Calls `listener` whenever an admission ends without a purchase, after the end is stored and
   * before the account is told: its seats and orders of that admission are to be released.
   */
  onAdmissionEnded(listener: (e: AdmissionEnded) => Promise<void>): void {
    this.admissionEndedListeners.push(listener);
  }

  /** Calls `listener` after every fresh join (a wait or an early entry; an admission is told as one). */
  onJoin(listener: (j: Joined) => void): void {
    this.joinListeners.push(listener);
  }

  /** The pre-queue's draw (docs/waiting-room.md "The pre-queue and the draw"). */
  useDraws(draws: DrawStore): void {
    this.draws = draws;
  }

  private async rules(showId: string, fresh = false): Promise<SaleRules> {
    const now = this.clock.now();
    const hit = this.rulesCache.get(showId);
    if (!fresh && hit && now - hit.at < RULES_TTL_MS) return hit.rules;
    const rules = await this.catalogue.rules(showId);
    this.rulesCache.set(showId, { at: now, rules });
    return rules;
  }

  private limits(r: SaleRules): QueueLimits {
    return { capacity: r.pageCapacity, windowMs: r.purchaseWindowSeconds * 1000, graceMs: this.grace.queueMs, admittedGraceMs: this.grace.admittedMs };
  }

  /**
   * Seats left and unsold, counted once per STOCK_TTL_MS per show, or once per STOCK_CHANGED_TTL_MS
   * after a seat change was heard (`fresh`: now, and kept).
   */
  private stock(showId: string, fresh = false): Promise<{ left: number; unsold: number }> {
    const now = performance.now();
    const hit = this.stockCache.get(showId);
    if (!fresh && hit && now - hit.at < (hit.changed ? STOCK_CHANGED_TTL_MS : STOCK_TTL_MS)) return hit.stock;
    const stock = this.catalogue.stock(showId);
    this.stockCache.set(showId, { at: now, stock, changed: false });
    // A failed count is not kept: the next caller asks again.
    stock.catch(() => {
      if (this.stockCache.get(showId)?.stock === stock) this.stockCache.delete(showId);
    });
    return stock;
  }

  /**
   * Seats of these shows changed (held, released, sold; here or, through the show-page changes, on
   * another instance): their next count is made fresh, so `seatsLeft` follows a hold within a tick.
   */
  stockChanged(showIds: Iterable<string> | 'all'): void {
    for (const id of showIds === 'all' ? this.stockCache.keys() : showIds) {
      const hit = this.stockCache.get(id);
      if (hit) hit.changed = true;
    }
  }

  /**
   * When nothing is left to sell (every seat sold), every wait ends at once with `sold_out`: a line
   * that cannot reach anything must not keep fans in it. The admitted keep their admission.
   */
  private async endWaitsIfSoldOut(showId: string, fresh = false, anyUnsold?: boolean): Promise<void> {
    // Fresh (after every purchase): whether one seat is left (as the purchase read it, or asked now),
    // not a count of all of them; at the sell-out the count is read again too, so that joins see it at once.
    if (fresh ? (anyUnsold ?? (await this.catalogue.anyUnsold(showId))) : (await this.stock(showId)).unsold > 0) return;
    if (fresh && (await this.stock(showId, true)).unsold > 0) return;
    await this.apply(showId, await this.store.endWaits(showId, 'sold_out'));
  }

  async join(showId: string, userId: string): Promise<QueueResponse> {
    // Rules come from a cache of a few seconds (joins arrive in bursts); the clock-driven part of the
    // status is computed now, so the sale opens and closes on the second.
    const rules = await this.rules(showId);
    const [existing] = await this.store.places(showId, [userId], rules.pageCapacity);
    // A second tab or a retry gets the place it already has.
    if (existing && existing.state !== 'none') return this.describe(rules, existing);
    // Sold out by the same count the line ends on (rules' own count may be a few seconds old).
    const status = showStatus({ ...rules, unsoldCount: (await this.stock(showId)).unsold }, this.clock.now());
    if (status === 'scheduled' || (status === 'queue_open' && !this.draws)) {
      throw new AppError('NOT_ON_SALE', undefined, { queueOpensAt: rules.queueOpensAt.toISOString() });
    }
    if (status === 'ended') throw new AppError('SALE_ENDED');
    if (status === 'sold_out') throw new AppError('SOLD_OUT');
    const owned = await this.ownedSeats(showId, userId);
    if (owned >= rules.maxTicketsPerAccount) throw new AppError('TICKET_LIMIT_REACHED');
    if (status === 'queue_open') {
      const entry = await this.draws!.enter(showId, userId, this.clock.now());
      if (entry) {
        this.events.onJoined?.(showId);
        const entered = early(rules, entry);
        this.tellJoined({ showId, userId, status: { showId, at: new Date(this.clock.now()).toISOString(), ...entered } as QueueStatusEvent });
        return entered;
      }
      // Claimed already (the claimer's clock passed onSaleAt first): a late join, behind the draw.
    }
    // Everyone drawn goes in line before anyone who joins from now on.
    if (hasPreQueue(rules) || status === 'queue_open') await this.finishDraw(showId);

    const { place, changes } = await this.store.join(showId, userId, this.limits(rules));
    this.events.onJoined?.(showId);
    await this.apply(showId, changes);
    const described = await this.describe(rules, place);
    if (described.state === 'waiting' && place.state === 'waiting') {
      // An admission was told by apply(); a wait is told here.
      this.tellJoined({ showId, userId, status: { showId, at: new Date(place.at).toISOString(), ...described }, place });
      // Kept until admission, to measure how good the estimates were (on the line's clock, as admittedAt is).
      await this.store.noteJoin(showId, userId, {
        joinedAt: place.at,
        etaSeconds: described.etaSeconds,
        etaLikelySeconds: described.etaLikelySeconds,
      });
    }
    return described;
  }

  /**
   * A connection that was watching before its account joined (here or on another instance) hears
   * the new place at once, not at the watcher's next read (QueueGateway reads those every second).
   */
  private tellJoined(j: Joined): void {
    for (const l of this.joinListeners) {
      try {
        l(j);
      } catch (err) {
        this.events.onError?.(err, 'tell a join');
      }
    }
  }

  async get(showId: string, userId: string): Promise<QueueResponse> {
    const rules = await this.rules(showId);
    const [place] = await this.store.places(showId, [userId], rules.pageCapacity);
    if (place!.state === 'none') {
      const entry = (await this.earlyEntries(rules, [userId])).get(userId);
      if (entry) return early(rules, entry);
      // A fan who comes back after losing its place is told why.
      const last = await this.store.lastEnd(showId, userId);
      if (last) return { state: 'none', lastEnded: { reason: last.reason, at: new Date(last.at).toISOString() } };
    }
    return this.describe(rules, place!);
  }

  async leave(showId: string, userId: string): Promise<void> {
    if (this.draws && (await this.draws.withdraw(showId, userId))) {
      await this.store.noteEnds(showId, [{ userId, reason: 'left' }]).catch((err) => this.events.onError?.(err, 'note early end'));
      this.realtime.toUser(userId, 'queue:ended', { showId, reason: 'left' });
    }
    await this.endAdmission(showId, userId, 'left');
  }

  /** The entries of these accounts in a draw still to come (none once the draw is in line). */
  private async earlyEntries(rules: SaleRules, userIds: string[]): Promise<Map<string, Entry>> {
    if (!this.draws || !hasPreQueue(rules) || this.drawn.has(rules.id) || userIds.length === 0) return new Map();
    return this.draws.entriesOf(rules.id, userIds);
  }

  /** GET /api/shows/:showId/draw: the commitment from queueOpensAt; the seed and order once drawn. */
  async publishedDraw(showId: string): Promise<DrawResponse> {
    const rules = await this.rules(showId);
    if (this.clock.now() < rules.queueOpensAt.getTime() || !this.draws) {
      throw new AppError('NOT_ON_SALE', 'The draw is published when the queue opens', { queueOpensAt: rules.queueOpensAt.toISOString() });
    }
    return { drawAt: rules.onSaleAt.toISOString(), ...(await this.draws.published(showId)) };
  }

  /**
   * Draws the show's pre-queue (if no instance has) and puts every drawn entry in line, in order,
   * before this returns. Safe on every instance at once and after a crash half-way: the claim is
   * once per show in the database, and the store takes each position once (QueueStore.putDrawn).
   */
  finishDraw(showId: string): Promise<void> {
    if (!this.draws || this.drawn.has(showId)) return Promise.resolve();
    let run = this.drawing.get(showId);
    if (!run) {
      run = this.runDraw(showId, this.draws).finally(() => this.drawing.delete(showId));
      this.drawing.set(showId, run);
    }
    return run;
  }

  private async runDraw(showId: string, draws: DrawStore): Promise<void> {
    const rules = await this.rules(showId, true);
    const claimed = await draws.claim(showId, this.clock.now(), this.clock.now() >= rules.onSaleAt.getTime());
    if (!claimed) return;
    const { users, moved } = claimed;
    if (!moved) {
      const limits = this.limits(rules);
      await putInLine(this.store, showId, users, limits, async (offset) => this.hooks.drawChunk?.(showId, offset), (changes) => this.apply(showId, changes));
      await draws.markMoved(showId, this.clock.now());
    }
    this.drawn.add(showId);
  }

  /**
   * Once a second on every instance: draws the pre-queues whose sale has opened (also those another
   * instance left half-way), removes early entrants gone longer than the grace, and sets a timer for
   * the next sale to open within the coming seconds so its draw starts on time.
   */
  async drawDue(): Promise<void> {
    const draws = this.draws;
    if (!draws) return;
    const now = this.clock.now();
    const { due, next } = await draws.due(now);
    for (const showId of due) {
      await this.finishDraw(showId).catch((err) => this.events.onError?.(err, `draw ${showId}`));
    }
    if (next !== null && next - now <= 2_000 && this.drawTimer?.at !== next) {
      if (this.drawTimer) clearTimeout(this.drawTimer.timer);
      const timer = setTimeout(() => {
        this.drawTimer = undefined;
        void this.drawDue().catch((err) => this.events.onError?.(err, 'draw timer'));
      }, next - now);
      timer.unref();
      this.drawTimer = { at: next, timer };
    }
    const removed = await draws.removeAbsent(now - this.grace.queueMs);
    // Noted first, as apply() does for waiters: a fan who comes back is told why (GET .../queue lastEnded).
    const byShow = new Map<string, { userId: string; reason: EndReason }[]>();
    for (const r of removed) {
      let ends = byShow.get(r.showId);
      if (!ends) byShow.set(r.showId, (ends = []));
      ends.push({ userId: r.userId, reason: 'removed' });
    }
    for (const [id, ends] of byShow) await this.store.noteEnds(id, ends).catch((err) => this.events.onError?.(err, 'note early ends'));
    for (const r of removed) {
      this.realtime.toUser(r.userId, 'queue:ended', { showId: r.showId, reason: 'removed' });
      this.events.onEnded?.(r.showId, 'removed');
    }
  }

  stopDrawTimer(): void {
    if (this.drawTimer) clearTimeout(this.drawTimer.timer);
    this.drawTimer = undefined;
  }

  async endAdmission(showId: string, userId: string, reason: EndReason, admissionId?: string, stock?: { anyUnsold: boolean }): Promise<void> {
    const rules = await this.rules(showId);
    // The purchase that took the last seat ends every wait now, not at the next sweep, and before
    // its slot is freed: nobody is then admitted to a page with nothing to buy.
    if (reason === 'purchased') await this.endWaitsIfSoldOut(showId, true, stock?.anyUnsold);
    const { changes } = await this.store.leave(showId, userId, reason, this.limits(rules), admissionId);
    await this.apply(showId, changes);
  }

  /**
   * A waitlist offer's admission, outside the line (QueueStore.admitOutside). Store only, so it may
   * run inside a database transaction; `announce` tells the account once the offer is committed.
   */
  async admitOutside(showId: string, userId: string, windowMs: number): Promise<{ admission: Admission; fresh: boolean; announce(): void }> {
    const { entry, fresh } = await this.store.admitOutside(showId, userId, windowMs);
    const admission = { showId, userId, admissionId: entry.admissionId, admittedAt: entry.admittedAt, expiresAt: entry.expiresAt };
    const announce = () => {
      const admittedAt = new Date(entry.admittedAt).toISOString();
      const expiresAt = new Date(entry.expiresAt).toISOString();
      this.realtime.toUser(userId, 'queue:admitted', { showId, admittedAt, expiresAt });
      this.realtime.toUser(userId, 'queue:status', { showId, state: 'admitted', admittedAt, expiresAt, at: new Date(this.clock.now()).toISOString() });
      if (fresh) this.scheduleExpiry(showId, entry);
    };
    return { admission, fresh, announce };
  }

  async requireAdmission(showId: string, userId: string): Promise<Admission> {
    const rules = await this.rules(showId); // 404 for an unknown show
    // Live by the line's clock, not this instance's: instances whose clocks disagree still agree.
    const a = await this.store.liveAdmission(showId, userId);
    if (!a) throw new AppError('NOT_ADMITTED');
    // Once the show starts nothing more is sold: the sweep then ends every admission too.
    if (showStatus(rules, this.clock.now()) === 'ended') throw new AppError('SALE_ENDED');
    // Holds and orders of an admission run out at the start at the latest.
    return { showId, userId, admissionId: a.admissionId, admittedAt: a.admittedAt, expiresAt: Math.min(a.expiresAt, rules.startsAt.getTime()) };
  }

  // These two run inside database transactions: they ask the store only, never the database (the
  // embedded database has one connection, which the transaction is holding).
  async requireSameAdmission(showId: string, userId: string, admissionId: string): Promise<void> {
    if (!(await this.isLive(showId, userId, admissionId))) throw new AppError('NOT_ADMITTED');
  }

  async isLive(showId: string, userId: string, admissionId: string): Promise<boolean> {
    return (await this.store.liveAdmission(showId, userId))?.admissionId === admissionId;
  }

  /** Ends expired admissions, removes accounts gone longer than the grace, admits the next. */
  async sweep(showId: string): Promise<Changes> {
    const rules = await this.rules(showId);
    if (showStatus(rules, this.clock.now()) === 'ended') {
      // The show has started: every wait and admission is over (their seats and orders are released).
      const ended = await this.store.endAll(showId, 'expired');
      await this.apply(showId, ended);
      return ended;
    }
    const changes = await this.store.sweep(showId, this.limits(rules));
    await this.apply(showId, changes);
    // The safety net for a sell-out on an instance that died before ending the waits, and for a
    // join that read the stock just before the last seat sold.
    await this.endWaitsIfSoldOut(showId);
    return changes;
  }

  /**
   * From now on, every admission this instance makes schedules a sweep for the moment its window
   * ends: the freed slot goes to the next waiter within milliseconds, not at the next periodic
   * sweep. The periodic sweep stays the safety net (admissions of an instance that died).
   */
  startExpiryTimers(): void {
    this.expiryTimers ??= new Map();
  }

  /** Cancels the scheduled sweeps and waits for those already running. */
  async stopExpiryTimers(): Promise<void> {
    for (const t of this.expiryTimers?.values() ?? []) clearTimeout(t);
    this.expiryTimers = undefined;
    await Promise.all(this.expirySweeps);
  }

  private scheduleExpiry(showId: string, a: { admittedAt: number; expiresAt: number }): void {
    const timers = this.expiryTimers;
    const expiresAt = a.expiresAt;
    // The admission was made just now on the line's clock: its window, not this instance's clock,
    // says when it ends.
    const delay = a.expiresAt - a.admittedAt + EXPIRY_SLACK_MS;
    // Admissions of one show ending within the same EXPIRY_SLACK_MS share one sweep.
    const key = `${showId}:${Math.ceil((expiresAt + EXPIRY_SLACK_MS) / EXPIRY_SLACK_MS)}`;
    if (!timers || timers.has(key) || delay > 2 ** 31 - 1) return;
    const t = setTimeout(() => {
      timers.delete(key);
      const run = this.sweep(showId)
        .catch((err) => this.events.onError?.(err, `expiry sweep ${showId}`))
        .finally(() => this.expirySweeps.delete(run));
      this.expirySweeps.add(run);
    }, Math.max(0, delay));
    t.unref();
    timers.set(key, t);
  }

  async sweepAll(): Promise<void> {
    for (const showId of await this.store.activeShows()) {
      try {
        await this.sweep(showId);
      } catch (e) {
        // A show deleted since it was last active has nothing left to sweep.
        if (!(isAppError(e) && e.code === 'NOT_FOUND')) this.events.onError?.(e, `sweep ${showId}`);
      }
    }
  }

  async pageCapacity(showId: string): Promise<number> {
    return (await this.rules(showId)).pageCapacity;
  }

  async touch(showId: string, userIds: string[]): Promise<void> {
    await this.store.touch(showId, userIds);
    if (!this.draws || this.drawn.has(showId)) return;
    const rules = await this.rules(showId);
    if (hasPreQueue(rules) && this.clock.now() < rules.onSaleAt.getTime()) await this.draws.touch(showId, userIds, this.clock.now());
  }

  /** Status events for accounts watching a show (one batched read), with the places they were made from (the gateway follows the waiting ones). */
  async look(showId: string, userIds: string[]): Promise<{ status: QueueStatusEvent; place: Place }[]> {
    const rules = await this.rules(showId);
    const places = await this.store.places(showId, userIds, rules.pageCapacity);
    const entries = await this.earlyEntries(rules, places.filter((p) => p.state === 'none').map((p) => p.userId));
    // `at` is the line's clock, as admittedAt and expiresAt are: clients count down from it.
    return Promise.all(
      places.map(async (p) => {
        const entry = p.state === 'none' ? entries.get(p.userId) : undefined;
        return { place: p, status: { showId, at: new Date(p.at).toISOString(), ...(entry ? early(rules, entry) : await this.describe(rules, p)) } };
      }),
    );
  }

  /** The line log since `since` (QueueStore.lineTick): one store read per show per tick. */
  lineTick(showId: string, since: number): Promise<LineTick> {
    return this.store.lineTick(showId, since);
  }

  /**
   * Status events of waiters at these positions, as of `tick`: the same place, ETA and stock a
   * read of each would give, from the tick's admission times and the show's cached rate and stock.
   */
  async waitingStatuses(showId: string, tick: LineTick, positions: number[]): Promise<QueueStatusEvent[]> {
    const rules = await this.rules(showId);
    const [rate, stock] = await Promise.all([this.admissionRate(rules.id), this.stock(rules.id)]);
    const at = new Date(tick.at).toISOString();
    return positions.map((position) => ({
      showId,
      at,
      ...waitingStatus(rules, { position, refAdmittedAt: tick.page[(position - 1) % rules.pageCapacity] ?? null, at: tick.at }, rate, stock.left),
    }));
  }

  async stats(showId: string): Promise<Pick<ShowStats, 'waiting' | 'admitted' | 'pageCapacity' | 'admissionsPerMinute'> & WaitFigures> {
    const rules = await this.rules(showId, true);
    const [c, samples] = await Promise.all([this.store.counts(showId), this.store.waitSamples(showId)]);
    return {
      waiting: c.waiting,
      admitted: c.admitted,
      pageCapacity: rules.pageCapacity,
      admissionsPerMinute: Math.round((c.admissionsInPeriod / c.periodMs) * 60_000 * 10) / 10,
      ...waitFigures(samples),
    };
  }

  /**
   * The line's figures now, on the line's clock, with its admissions per minute as the store counts
   * them and the pre-queue's entrants (`early`, when the caller has counted them): the dashboard's history.
   */
  async lineFigures(showId: string, early?: number): Promise<LineFigures> {
    const [c, entrants] = await Promise.all([
      this.store.counts(showId),
      early !== undefined || !this.draws ? early ?? 0 : this.draws.entrantsUndrawn([showId]).then((m) => m.get(showId) ?? 0),
    ]);
    return { showId, at: c.at, waiting: c.waiting, admitted: c.admitted, early: entrants, byMinute: c.byMinute };
  }

  /** The figures of every show with a live line (anyone in line or on its page lately) or a pre-queue with entries. */
  async liveLines(): Promise<LineFigures[]> {
    const early = this.draws ? await this.draws.entrantsUndrawn(null) : new Map<string, number>();
    const shows = new Set([...(await this.store.activeShows()), ...early.keys()]);
    return Promise.all([...shows].map((id) => this.lineFigures(id, early.get(id) ?? 0)));
  }

  private async admissionRate(showId: string): Promise<number> {
    const now = this.clock.now();
    const hit = this.rateCache.get(showId);
    if (hit && now - hit.at < RATE_TTL_MS) return hit.perSecond;
    const c = await this.store.counts(showId);
    const perSecond = c.admissionsInPeriod / (c.periodMs / 1000);
    this.rateCache.set(showId, { at: now, perSecond });
    return perSecond;
  }

  private async describe(rules: SaleRules, place: Place): Promise<QueueResponse> {
    if (place.state === 'admitted') {
      return { state: 'admitted', admittedAt: new Date(place.admittedAt).toISOString(), expiresAt: new Date(place.expiresAt).toISOString() };
    }
    if (place.state === 'none') return { state: 'none' };
    const [rate, stock] = await Promise.all([this.admissionRate(rules.id), this.stock(rules.id)]);
    return waitingStatus(rules, place, rate, stock.left);
  }

  /** Tells the accounts concerned, and releases the seats of admissions that ended without a purchase. */
  private async apply(showId: string, changes: Changes): Promise<void> {
    for (const e of changes.ended) {
      if (e.wasAdmitted && e.reason !== 'purchased' && e.admissionId !== undefined) {
        try {
          await this.hooks.queueRelease?.();
          for (const listener of this.admissionEndedListeners) await listener({ showId, userId: e.userId, admissionId: e.admissionId });
        } catch (err) {
          // The holds still expire in the database with the admission: nothing is stuck.
          this.events.onError?.(err, `release seats of ${e.userId}`);
        }
      }
      this.realtime.toUser(e.userId, 'queue:ended', { showId, reason: e.reason });
      this.events.onEnded?.(showId, e.reason);
    }
    for (const a of changes.admitted) {
      const admittedAt = new Date(a.admittedAt).toISOString();
      const expiresAt = new Date(a.expiresAt).toISOString();
      // Made just now on the line's clock: its admission time is the status's time.
      const at = admittedAt;
      this.realtime.toUser(a.userId, 'queue:admitted', { showId, admittedAt, expiresAt });
      this.realtime.toUser(a.userId, 'queue:status', { showId, state: 'admitted', admittedAt, expiresAt, at });
      this.scheduleExpiry(showId, a);
    }
    if (changes.admitted.length > 0) this.events.onAdmitted?.(showId, changes.admitted.length);
    await this.store
      .noteEnds(showId, changes.ended.map((e) => ({ userId: e.userId, reason: e.reason })))
      .catch((err) => this.events.onError?.(err, 'note ends'));
    await this.recordWaits(showId, changes).catch((err) => this.events.onError?.(err, 'record waits'));
  }

  /** Turns the join notes of the newly admitted into wait samples; drops those of waiters who left. */
  private async recordWaits(showId: string, changes: Changes): Promise<void> {
    const left = changes.ended.filter((e) => !e.wasAdmitted).map((e) => e.userId);
    const admitted = changes.admitted;
    if (admitted.length + left.length === 0) return;
    const notes = await this.store.takeJoinNotes(showId, [...admitted.map((a) => a.userId), ...left]);
    const samples = admitted.flatMap((a, i) => {
      const n = notes[i];
      return n ? [{ ...n, admittedAt: a.admittedAt }] : [];
    });
    await this.store.addWaitSamples(showId, samples);
  }
}

/**
 * Puts a drawn order in line, DRAW_CHUNK entries per store call. The calls are sent back to back
 * without waiting for each answer (one connection keeps them in order), so the draw costs store
 * time, not round trips, while every call stays short: other clients run between them. Each call
 * takes only positions not taken yet, so this is safe beside another instance doing the same.
 */
export async function putInLine(
  store: QueueStore,
  showId: string,
  users: string[],
  limits: QueueLimits,
  beforeChunk: (offset: number) => Promise<unknown> = async () => undefined,
  onChanges: (changes: Changes) => Promise<void> = async () => undefined,
): Promise<void> {
  let pos = 0;
  while (pos < users.length) {
    const calls: Promise<{ next: number; changes: Changes }>[] = [];
    for (let o = pos; o < users.length; o += DRAW_CHUNK) {
      await beforeChunk(o);
      calls.push(store.putDrawn(showId, o, users.slice(o, o + DRAW_CHUNK), limits));
    }
    const results = await Promise.all(calls);
    for (const r of results) await onChanges(r.changes);
    pos = Math.max(...results.map((r) => r.next));
  }
}

function waitingStatus(
  rules: SaleRules,
  p: { position: number; refAdmittedAt: number | null; at: number },
  admissionsPerSecond: number,
  seatsLeft: number,
): QueueResponse {
  const worst = etaSeconds({ position: p.position, capacity: rules.pageCapacity, windowSeconds: rules.purchaseWindowSeconds, refAdmittedAt: p.refAdmittedAt, now: p.at });
  return {
    state: 'waiting',
    position: p.position,
    etaSeconds: worst,
    etaLikelySeconds: etaLikelySeconds({ position: p.position, admissionsPerSecond, worstCase: worst }),
    seatsLeft,
  };
}

const hasPreQueue = (r: SaleRules): boolean => r.queueOpensAt.getTime() < r.onSaleAt.getTime();

function early(rules: SaleRules, e: Entry): QueueResponse {
  return { state: 'early', entryId: e.entryId, drawAt: rules.onSaleAt.toISOString(), entrants: e.entrants };
}
