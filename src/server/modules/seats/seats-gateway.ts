import { Id } from '../../../shared/api.js';
import type { Ack } from '../../../shared/realtime.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { rooms, type IoSocket } from '../../platform/realtime.js';

export interface SeatsGatewayDeps {
  /** Throws 404 NOT_FOUND for an unknown show. */
  showExists(showId: string): Promise<unknown>;
}

/** Realtime side of the seat map: a socket watching a show hears its `seat:update`s. */
export class SeatsGateway {
  constructor(private readonly deps: SeatsGatewayDeps) {}

  /** Wires the seat-map events of one connected socket. */
  attach(socket: IoSocket): void {
    socket.on('show:watch', async (msg, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = Id.safeParse((msg as { showId?: unknown } | undefined)?.showId);
      if (!parsed.success) return reply(errorAck(new AppError('VALIDATION_FAILED', 'showId: must be an id')));
      try {
        await this.deps.showExists(parsed.data);
        await socket.join(rooms.show(parsed.data));
        reply({ ok: true });
      } catch (e) {
        reply(errorAck(e));
      }
    });

    socket.on('show:unwatch', async (msg, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = Id.safeParse((msg as { showId?: unknown } | undefined)?.showId);
      if (!parsed.success) return reply(errorAck(new AppError('VALIDATION_FAILED', 'showId: must be an id')));
      await socket.leave(rooms.show(parsed.data));
      reply({ ok: true });
    });
  }
}

function errorAck(e: unknown): Ack {
  const err = isAppError(e) ? e : new AppError('INTERNAL');
  return { error: { code: err.code, message: err.message } };
}
