import { ShowPayload } from '../../../shared/api.js';
import type { QueueStatusEvent } from '../../../shared/realtime.js';
import type { IoSocket } from '../../platform/realtime.js';
import { onSocketEvent, type SocketErrorLog } from '../../platform/socket-events.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import { LineFollower } from './line-follower.js';
import type { Joined, QueueService } from './queue-service.js';
import type { Place } from './queue-store.js';

interface Watcher {
  sockets: Set<IoSocket>;
  /**
   * When this account's status is looked at again (ms), by how far back in line it stands. A
   * followed waiter is told at once when its place changes; this only looks at its stock and ETAs.
   */
  dueAt: number;
  /** The waiting status last sent to a followed waiter. */
  told?: WaitingStatus;
  /** What the last status sent to a watcher not waiting said (`sameness`), so it is sent only when that changes. */
  shown?: string;
  /** Bumped when a join is told: a read begun before it must not undo it. */
  joins: number;
}

type WaitingStatus = Extract<QueueStatusEvent, { state: 'waiting' }>;

export interface GatewayOptions {
  graceMs: number;
  now: () => number;
  onError?: (err: unknown, what: string) => void;
  /** Errors of a client's event that the catalogue does not cover. */
  logEventError: SocketErrorLog;
  hooks?: TestHooks;
}

/** Unwatching garbage, or a show never watched, changes nothing and is acked like any unwatch. */
const UnwatchPayload = ShowPayload.optional().catch(undefined);

const EARLY_REFRESH_MS = 5_000;
/**
 * A watcher due within this much of a tick is looked at in that tick: a timer that fires a little
 * early (or a tick that starts a little late) must not push a 1 s schedule to 2 s.
 */
const TICK_SLACK_MS = 100;
/** An estimate counted down on the page that is this far off (s) is told again. */
const ETA_DRIFT_SECONDS = 2;
/** The likely estimate, a guess from the line's recent rate, may drift by this share of itself too. */
const LIKELY_DRIFT_SHARE = 0.1;

/**
 * How often a watcher's status is looked at when its place did not change (a changed place is told
 * at the next tick whatever this says): the front of the line every second, up to 5,000 every 5 s,
 * the far back every 30-45 s. A waiter is then told only what changed (`worthTelling`): the seats
 * left, or an ETA that its countdown no longer matches. An early entry is told every 5 s (the
 * entrants so far), and at the draw; any other watcher is read every second (to find a join made
 * elsewhere) and told only when its status changed (`sameness`).
 */
export function refreshInterval(status: QueueStatusEvent, capacity: number, now: number): number {
  if (status.state === 'early') {
    const untilDraw = Date.parse(status.drawAt) - now;
    return untilDraw > 0 ? Math.min(EARLY_REFRESH_MS, untilDraw) : 1_000;
  }
  if (status.state !== 'waiting') return 1_000;
  const position = status.position;
  if (position <= 2 * capacity + 100) return 1_000;
  if (position <= 5_000) return 5_000;
  return 30_000 + Math.floor(Math.random() * 15_000);
}

/**
 * Whether a waiter whose last status was `told` needs `now`: its place or the seats left changed, or
 * an estimate moved away from what its page shows by counting the last one down (a still line's ETAs
 * count down exactly, so telling them again would only cost a frame per fan).
 */
export function worthTelling(told: WaitingStatus | undefined, now: WaitingStatus): boolean {
  if (!told || told.position !== now.position || told.seatsLeft !== now.seatsLeft) return true;
  const elapsed = (Date.parse(now.at) - Date.parse(told.at)) / 1000;
  const drift = (sent: number, fresh: number) => Math.abs(Math.max(0, sent - elapsed) - fresh);
  if (drift(told.etaSeconds, now.etaSeconds) >= ETA_DRIFT_SECONDS) return true;
  if (told.etaLikelySeconds === undefined || now.etaLikelySeconds === undefined) return told.etaLikelySeconds !== now.etaLikelySeconds;
  return drift(told.etaLikelySeconds, now.etaLikelySeconds) >= Math.max(ETA_DRIFT_SECONDS, LIKELY_DRIFT_SHARE * now.etaLikelySeconds);
}

/**
 * What a status of a watcher not waiting says, leaving out the time it was made at: a `none` or an
 * unchanged admission read again says nothing new and is not sent again.
 */
export function sameness(status: QueueStatusEvent): string {
  switch (status.state) {
    case 'admitted':
      return `admitted ${status.admittedAt} ${status.expiresAt}`;
    case 'early':
      return `early ${status.entryId} ${status.drawAt} ${status.entrants}`;
    case 'waiting':
      return `waiting ${status.position}`;
    case 'none':
      return `none ${status.lastEnded?.reason ?? ''} ${status.lastEnded?.at ?? ''}`;
  }
}

/**
 * Realtime side of the waiting room. Sockets watching a show count as the account's presence:
 * this instance refreshes their "seen" time in the store. Once a second, one read of the line log
 * per show (QueueStore.lineTick) moves every waiter it serves to its exact place (LineFollower),
 * and each waiter whose place changed is told it: no per-admission fan-out, no read per waiter.
 * A waiter whose ticket left the line, and a watcher not waiting, are read again; the latter is told
 * only when what it is told changed.
 */
export class QueueGateway {
  private readonly watchers = new Map<string, Map<string, Watcher>>();
  private readonly lines = new Map<string, LineFollower>();
  private timers: NodeJS.Timeout[] = [];
  private ticking = false;

  constructor(
    private readonly queue: QueueService,
    private readonly opts: GatewayOptions,
  ) {}

  /** Wires the queue events of one connected socket. */
  attach(socket: IoSocket): void {
    const userId = socket.data.user.id;
    const watched = new Set<string>();

    onSocketEvent(
      socket,
      'queue:watch',
      {
        schema: ShowPayload,
        handle: async ({ showId }) => {
          // A socket that closed before its watch was handled must never be registered: its disconnect
          // handler has run already and would not run again (and nobody is left to answer).
          if (!socket.connected) return;
          // Registered before the first await, so a disconnect during the watch finds it and removes it
          // (registering after an await would add a dead socket whose heartbeat never stops).
          const fresh = !watched.has(showId);
          if (fresh) {
            watched.add(showId);
            this.add(showId, userId, socket);
          }
          try {
            await this.opts.hooks?.queueWatch?.();
            const [seen] = await this.queue.look(showId, [userId]); // 404 for an unknown show
            if (fresh && socket.connected) await this.queue.touch(showId, [userId]);
            if (seen)
              return () => {
                socket.emit('queue:status', seen.status);
                this.follow(showId, userId, seen);
              };
          } catch (e) {
            if (fresh && watched.delete(showId)) await this.remove(showId, userId, socket);
            throw e;
          }
        },
      },
      this.opts.logEventError,
    );

    onSocketEvent(
      socket,
      'queue:unwatch',
      {
        schema: UnwatchPayload,
        handle: async (msg) => {
          if (msg !== undefined && watched.delete(msg.showId)) await this.remove(msg.showId, userId, socket);
        },
      },
      this.opts.logEventError,
    );

    socket.on('disconnect', () => {
      for (const showId of watched) void this.remove(showId, userId, socket);
      watched.clear();
    });
  }

  private add(showId: string, userId: string, socket: IoSocket): void {
    let show = this.watchers.get(showId);
    if (!show) this.watchers.set(showId, (show = new Map()));
    const w = show.get(userId);
    if (w) w.sockets.add(socket);
    else show.set(userId, { sockets: new Set([socket]), dueAt: this.opts.now() + 1_000, joins: 0 });
  }

  private async remove(showId: string, userId: string, socket: IoSocket): Promise<void> {
    const show = this.watchers.get(showId);
    const w = show?.get(userId);
    if (!show || !w) return;
    w.sockets.delete(socket);
    if (w.sockets.size > 0) return;
    this.forget(showId, userId);
    // Last seen now: the grace runs from this moment.
    await this.queue.touch(showId, [userId]).catch((e) => this.opts.onError?.(e, 'touch on disconnect'));
  }

  /**
   * An account joined (on this instance or another): its watchers here hear the join's own answer at
   * once, and a waiter is followed from the place the join made.
   */
  joined(j: Joined): void {
    const w = this.watchers.get(j.showId)?.get(j.userId);
    if (!w) return;
    w.joins++;
    for (const socket of w.sockets) socket.emit('queue:status', j.status);
    w.dueAt = this.opts.now() + 1_000;
    this.follow(j.showId, j.userId, j);
  }

  /**
   * Follows a watcher's place if it is waiting (else, or with no place, it is read again on its
   * schedule); `status` was just sent.
   */
  private follow(showId: string, userId: string, { place, status }: { place?: Place; status: QueueStatusEvent }): void {
    const w = this.watchers.get(showId)?.get(userId);
    if (!w) return;
    let line = this.lines.get(showId);
    if (place?.state !== 'waiting' || status.state !== 'waiting') {
      line?.unfollow(userId);
      w.told = undefined;
      w.shown = sameness(status);
      return;
    }
    if (!line) this.lines.set(showId, (line = new LineFollower()));
    line.follow(userId, place);
    w.told = status;
    w.shown = undefined;
  }

  private forget(showId: string, userId: string): void {
    const show = this.watchers.get(showId);
    show?.delete(userId);
    this.lines.get(showId)?.unfollow(userId);
    if (show?.size === 0) {
      this.watchers.delete(showId);
      this.lines.delete(showId);
    }
  }

  start(): void {
    // Three refreshes per grace (two can be missed), and at least one per 5 s: the slack an instance
    // whose event loop falls behind on a loaded box needs (10 s was tried: docs/benchmarks.md).
    const heartbeat = Math.max(250, Math.min(5_000, Math.floor(this.opts.graceMs / 3)));
    this.timers.push(setInterval(() => void this.heartbeat(), heartbeat));
    this.timers.push(setInterval(() => void this.tick(), 1_000));
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /**
   * Presence: every account with a live local connection is seen now. A socket that is no longer
   * connected is dropped here whatever path left it registered, so it cannot keep an account
   * present; the account's grace then runs from its last heartbeat.
   */
  async heartbeat(): Promise<void> {
    for (const [showId, show] of [...this.watchers]) {
      for (const [userId, w] of show) {
        for (const socket of w.sockets) if (!socket.connected) w.sockets.delete(socket);
        if (w.sockets.size === 0) this.forget(showId, userId);
      }
      if (show.size === 0) continue;
      await this.queue.touch(showId, [...show.keys()]).catch((e) => this.opts.onError?.(e, 'heartbeat'));
    }
  }

  /**
   * The line tick: moves every followed waiter by the line log and tells those whose place changed
   * (or whose ETA refresh is due); reads again the waiters who left the line and the watchers due
   * who are not waiting.
   */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.opts.now();
      for (const [showId, show] of this.watchers) {
        try {
          await this.tickShow(showId, show, now);
        } catch (e) {
          this.opts.onError?.(e, 'status tick');
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  private async tickShow(showId: string, show: Map<string, Watcher>, now: number): Promise<void> {
    const capacity = await this.queue.pageCapacity(showId);
    const again = new Set<string>();
    const line = this.lines.get(showId);
    const since = line?.begin() ?? null;
    if (line && since !== null) {
      const tick = await this.queue.lineTick(showId, since);
      const { places, lost } = line.apply(since, tick);
      for (const u of lost) again.add(u);
      // One pass, no copy per waiter: a still line's tick costs a lookup per waiter and nothing more.
      const tell: { userId: string; w: Watcher; position: number }[] = [];
      for (const { userId, position } of places) {
        const w = show.get(userId);
        if (w !== undefined && (w.told?.position !== position || w.dueAt <= now + TICK_SLACK_MS)) tell.push({ userId, w, position });
      }
      const joins = tell.map((t) => t.w.joins);
      const statuses = await this.queue.waitingStatuses(showId, tick, tell.map((t) => t.position));
      tell.forEach(({ userId, w }, i) => {
        // Gone, watching again, or joined again, while the statuses were made.
        if (show.get(userId) !== w || w.joins !== joins[i]) return;
        const status = statuses[i]!;
        w.dueAt = now + refreshInterval(status, capacity, now);
        if (status.state === 'waiting' && !worthTelling(w.told, status)) return;
        w.told = status.state === 'waiting' ? status : undefined;
        w.shown = status.state === 'waiting' ? undefined : sameness(status);
        for (const socket of w.sockets) socket.emit('queue:status', status);
      });
    }
    const due: string[] = [];
    for (const [u, w] of show) if ((again.size > 0 && again.has(u)) || (w.dueAt <= now + TICK_SLACK_MS && !line?.has(u))) due.push(u);
    for (let i = 0; i < due.length; i += 500) {
      const batch = due.slice(i, i + 500);
      const joins = batch.map((u) => show.get(u)?.joins);
      const seen = await this.queue.look(showId, batch);
      seen.forEach(({ status, place }, j) => {
        const userId = batch[j]!;
        const w = show.get(userId);
        // A join told while this read was on its way is newer than what the read found.
        if (!w || w.joins !== joins[j]) return;
        w.dueAt = now + refreshInterval(status, capacity, now);
        // Read again to find a join, an admission or the end of one made elsewhere; sent only if one came.
        if (status.state === 'waiting' || w.shown !== sameness(status)) for (const socket of w.sockets) socket.emit('queue:status', status);
        this.follow(showId, userId, { place, status });
      });
    }
  }
}
