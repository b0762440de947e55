import { ShowPayload } from '../../../shared/api.js';
import type { ShowStatsEvent } from '../../../shared/realtime.js';
import { AppError } from '../../platform/errors.js';
import { rooms, type IoServer, type IoSocket } from '../../platform/realtime.js';
import { onSocketEvent, type SocketErrorLog } from '../../platform/socket-events.js';

/**
 * The live sale dashboard: admins watch a show's stats; every 2 s this instance computes them for the
 * shows its own admin sockets watch and sends them to those sockets only (no duplicates across instances).
 * It keeps no history: the charts' history is the database's (GET .../stats/history, line_minutes),
 * and each update carries the current minute as that history records it.
 */
export class StatsGateway {
  private timer?: NodeJS.Timeout;
  /** Shows an admin socket of this instance has watched: the tick looks at their rooms only, not at every socket's. */
  private readonly watched = new Set<string>();

  constructor(
    private readonly io: IoServer,
    private readonly stats: (showId: string) => Promise<Omit<ShowStatsEvent, 'showId' | 'at'>>,
    private readonly now: () => number,
    private readonly onError: (err: unknown, what: string) => void,
    /** Errors of a client's event that the catalogue does not cover. */
    private readonly logEventError: SocketErrorLog,
  ) {}

  attach(socket: IoSocket): void {
    onSocketEvent(
      socket,
      'stats:watch',
      {
        schema: ShowPayload,
        allow: () => {
          if (socket.data.user.role !== 'admin') throw new AppError('FORBIDDEN');
        },
        handle: async ({ showId }) => {
          const first = await this.sample(showId); // 404 for an unknown show
          await socket.join(rooms.stats(showId));
          this.watched.add(showId);
          return () => socket.emit('stats:update', first);
        },
      },
      this.logEventError,
    );
    onSocketEvent(
      socket,
      'stats:unwatch',
      {
        // Unwatching garbage changes nothing and is acked like any unwatch.
        schema: ShowPayload.optional().catch(undefined),
        handle: (msg) => {
          if (msg !== undefined) void socket.leave(rooms.stats(msg.showId));
        },
      },
      this.logEventError,
    );
  }

  private async sample(showId: string): Promise<ShowStatsEvent> {
    const s = await this.stats(showId);
    return { showId, at: new Date(this.now()).toISOString(), ...s };
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), 2_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    const local = this.io.of('/').adapter.rooms;
    for (const showId of this.watched) {
      const room = rooms.stats(showId);
      if (!local.get(room)?.size) {
        this.watched.delete(showId);
        continue;
      }
      try {
        const e = await this.sample(showId);
        this.io.local.to(room).emit('stats:update', e);
      } catch (err) {
        this.onError(err, `stats of ${showId}`);
      }
    }
  }
}
