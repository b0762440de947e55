import { ShowPayload } from '../../../shared/api.js';
import { rooms, type IoSocket, type Realtime } from '../../platform/realtime.js';
import { onSocketEvent, type SocketErrorLog } from '../../platform/socket-events.js';
import type { SeatChange } from './show-seats-repository.js';

export interface SeatsGatewayDeps {
  /** Throws 404 NOT_FOUND for an unknown show. */
  showExists(showId: string): Promise<unknown>;
  /** Errors of a client's event that the catalogue does not cover. */
  logEventError: SocketErrorLog;
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
    onSocketEvent(
      socket,
      'show:watch',
      {
        schema: ShowPayload,
        handle: async ({ showId }) => {
          await this.deps.showExists(showId);
          await socket.join(rooms.show(showId));
        },
      },
      this.deps.logEventError,
    );

    onSocketEvent(socket, 'show:unwatch', { schema: ShowPayload, handle: ({ showId }) => socket.leave(rooms.show(showId)) }, this.deps.logEventError);
  }
}
