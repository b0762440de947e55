import type { Ack } from '../../../shared/realtime.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { rooms, type IoSocket, type Realtime } from '../../platform/realtime.js';
import { showIdOf } from '../../platform/validation.js';
import type { SeatChange } from './show-seats-repository.js';

export interface SeatsGatewayDeps {
  /** Throws 404 NOT_FOUND for an unknown show. */
  showExists(showId: string): Promise<unknown>;
}

/** Tells every watcher of the shows concerned. Call only after the transaction committed. */
export function publishSeatChanges(realtime: Realtime, changes: SeatChange[]): void {
  for (const c of changes) realtime.toRoom(rooms.show(c.showId), 'seat:update', c);
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
