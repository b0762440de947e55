import type { Server, Socket } from 'socket.io';
import type { User } from '../../shared/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime.js';

export interface SocketData {
  user: User;
}

/** Between server instances (through the Redis adapter), never seen by browsers. */
export interface ServerSideEvents {
  /** Sessions ended (logout, new role or password): drop cached copies, close their sockets, then acknowledge. */
  'session:revoked': (tokenHashes: string[], ack: (ok: true) => void) => void;
  /** Seats or rules of these shows (or of every show) changed: cached show pages are out of date. */
  'shows:changed': (showIds: string[] | 'all') => void;
  /** An account joined a show's line (or pre-queue): its watchers, wherever they are, hear it now. */
  'queue:joined': (joined: unknown) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

type Args<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  /** Every socket opened with one session (by its token's hash): closed when the session ends. */
  session: (tokenHash: string) => `session:${tokenHash}`,
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
