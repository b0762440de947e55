import type { Ack } from '../../../shared/realtime.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { rooms, type IoSocket } from '../../platform/realtime.js';
import { showIdOf } from '../../platform/validation.js';

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
      try {
        const showId = showIdOf(msg);
        await this.deps.showExists(showId);
        await socket.join(rooms.show(showId));
        reply({ ok: true });
      } catch (e) {
        reply(errorAck(e));
      }
    });

    socket.on('show:unwatch', async (msg, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      try {
        await socket.leave(rooms.show(showIdOf(msg)));
        reply({ ok: true });
      } catch (e) {
        reply(errorAck(e));
      }
    });
  }
}

function errorAck(e: unknown): Ack {
  const err = isAppError(e) ? e : new AppError('INTERNAL');
  return { error: { code: err.code, message: err.message } };
}
