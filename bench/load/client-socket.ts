/** Socket.IO connections of the load clients: websocket transport only, bound to a loopback source address. */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../src/shared/realtime.js';

export type LoadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Opens one connection. engine.io-client hands `localAddress` to `ws`, which hands it to
 * net.connect: the socket is bound to that source address (each one has its own ~28k ports).
 */
export function openSocket(url: string, token: string, localAddress: string | undefined, timeoutMs = 20_000): Promise<LoadSocket> {
  const opts: Partial<ManagerOptions & SocketOptions> & { localAddress?: string } = {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    auth: { token },
    localAddress,
  };
  const s: LoadSocket = io(url, opts);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      s.disconnect();
      reject(new Error('connect timeout'));
    }, timeoutMs + 1_000);
    const onConnect = () => {
      cleanup();
      resolve(s);
    };
    const onError = (e: Error) => {
      cleanup();
      s.disconnect();
      reject(e);
    };
    const cleanup = () => {
      clearTimeout(timer);
      s.off('connect', onConnect);
      s.off('connect_error', onError);
    };
    s.once('connect', onConnect);
    s.once('connect_error', onError);
  });
}

export function emitWatch(s: LoadSocket, showId: string, timeoutMs = 20_000): Promise<Ack> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('queue:watch ack timeout')), timeoutMs);
    s.emit('queue:watch', { showId }, (ack: Ack) => {
      clearTimeout(timer);
      resolve(ack);
    });
  });
}
