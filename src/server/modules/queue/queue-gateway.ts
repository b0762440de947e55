import { ShowPayload } from '../../../shared/api.js';
import type { Ack } from '../../../shared/realtime.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { IoSocket } from '../../platform/realtime.js';
import { showIdOf } from '../../platform/validation.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import type { QueueService } from './queue-service.js';

interface Watcher {
  sockets: Set<IoSocket>;
  /** When this account's next status is due (ms), by how far back in line it stands. */
  dueAt: number;
}

export interface GatewayOptions {
  graceMs: number;
  now: () => number;
  onError?: (err: unknown, what: string) => void;
  hooks?: TestHooks;
}

/** How often a waiter hears its place: the front of the line every second, the far back every 10-15 s. */
export function refreshInterval(position: number | undefined, capacity: number): number {
  if (position === undefined) return 1_000;
  if (position <= 2 * capacity + 100) return 1_000;
  if (position <= 5_000) return 5_000;
  return 10_000 + Math.floor(Math.random() * 5_000);
}

/**
 * Realtime side of the waiting room. Sockets watching a show count as the account's presence:
 * this instance refreshes their "seen" time in the store, and tells each its place on a schedule
 * (no per-admission fan-out to every waiter).
 */
export class QueueGateway {
  private readonly watchers = new Map<string, Map<string, Watcher>>();
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

    socket.on('queue:watch', async (msg, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      let showId: string;
      try {
        showId = showIdOf(msg);
      } catch (e) {
        return reply(errorAck(e));
      }
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
        const [status] = await this.queue.statuses(showId, [userId]); // 404 for an unknown show
        if (fresh && socket.connected) await this.queue.touch(showId, [userId]);
        reply({ ok: true });
        if (status) socket.emit('queue:status', status);
      } catch (e) {
        if (fresh && watched.delete(showId)) await this.remove(showId, userId, socket);
        reply(errorAck(e));
      }
    });

    socket.on('queue:unwatch', async (msg, ack) => {
      const parsed = ShowPayload.safeParse(msg);
      const showId = parsed.success ? parsed.data.showId : undefined;
      if (showId !== undefined && watched.delete(showId)) await this.remove(showId, userId, socket);
      if (typeof ack === 'function') ack({ ok: true });
    });

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
    else show.set(userId, { sockets: new Set([socket]), dueAt: this.opts.now() + 1_000 });
  }

  private async remove(showId: string, userId: string, socket: IoSocket): Promise<void> {
    const show = this.watchers.get(showId);
    const w = show?.get(userId);
    if (!show || !w) return;
    w.sockets.delete(socket);
    if (w.sockets.size > 0) return;
    show.delete(userId);
    if (show.size === 0) this.watchers.delete(showId);
    // Last seen now: the grace runs from this moment.
    await this.queue.touch(showId, [userId]).catch((e) => this.opts.onError?.(e, 'touch on disconnect'));
  }

  start(): void {
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
        if (w.sockets.size === 0) show.delete(userId);
      }
      if (show.size === 0) {
        this.watchers.delete(showId);
        continue;
      }
      await this.queue.touch(showId, [...show.keys()]).catch((e) => this.opts.onError?.(e, 'heartbeat'));
    }
  }

  /** Sends each local watcher whose update is due its place and ETA. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.opts.now();
      for (const [showId, show] of this.watchers) {
        const due = [...show].filter(([, w]) => w.dueAt <= now).map(([u]) => u);
        if (due.length === 0) continue;
        const capacity = await this.queue.pageCapacity(showId);
        for (let i = 0; i < due.length; i += 500) {
          const batch = due.slice(i, i + 500);
          const statuses = await this.queue.statuses(showId, batch);
          statuses.forEach((s, j) => {
            const w = show.get(batch[j]!);
            if (!w) return;
            w.dueAt = now + refreshInterval(s.state === 'waiting' ? s.position : undefined, capacity);
            for (const socket of w.sockets) socket.emit('queue:status', s);
          });
        }
      }
    } catch (e) {
      this.opts.onError?.(e, 'status tick');
    } finally {
      this.ticking = false;
    }
  }
}

function errorAck(e: unknown): Ack {
  const err = isAppError(e) ? e : new AppError('INTERNAL');
  return { error: { code: err.code, message: err.message } };
}
