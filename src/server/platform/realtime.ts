import type { Server, Socket } from 'socket.io';
import type { User } from '../../shared/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime.js';

export interface SocketData {
  user: User;
}

/** Between server instances (through the Redis adapter), never seen by browsers. */
export interface ServerSideEvents {
  /** A session ended (logout): drop any cached copy of it, then acknowledge. */
  'session:revoked': (tokenHash: string, ack: (ok: true) => void) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

type Args<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  /** Everyone watching a show's seat map. */
  show: (showId: string) => `show:${showId}`,
  /** Admins watching a show's live dashboard. */
  stats: (showId: string) => `stats:${showId}`,
};

/**
 * How the modules push events: to every socket of an account or of a room, on every instance
 * (the Socket.IO Redis adapter carries it between instances when Redis is configured).
 */
export interface Realtime {
  toUser<E extends keyof ServerToClientEvents>(userId: string, event: E, ...args: Args<E>): void;
  toRoom<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Args<E>): void;
}

export function socketIoRealtime(io: IoServer): Realtime {
  return {
    toUser: (userId, event, ...args) => {
      io.to(rooms.user(userId)).emit(event, ...args);
    },
    toRoom: (room, event, ...args) => {
      io.to(room).emit(event, ...args);
    },
  };
}
