import { ShowPayload } from '../../../shared/api.js';
import { rooms, type IoSocket } from '../../platform/realtime.js';
import { onSocketEvent, type SocketErrorLog } from '../../platform/socket-events.js';

export interface SeatsGatewayDeps {
  /** Throws 404 NOT_FOUND for an unknown show. */
  showExists(showId: string): Promise<unknown>;
  /** Errors of a client's event that the catalogue does not cover. */
  logEventError: SocketErrorLog;
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
