import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../src/shared/realtime.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected Socket.IO client authenticated with a session token. */
export async function connect(baseUrl: string, token: string): Promise<ClientSocket> {
  const s: ClientSocket = io(baseUrl, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5_000 });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
  return s;
}

export function emitAck(s: ClientSocket, event: 'queue:watch' | 'show:watch' | 'stats:watch', showId: string): Promise<Ack> {
  return new Promise((resolve) => s.emit(event, { showId }, resolve));
}

/** Resolves with the first event of that name matching `pred`, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  s: ClientSocket,
  event: E,
  pred: (e: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, handler as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (e: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      s.off(event, handler as never);
      resolve(e);
    };
    s.on(event, handler as never);
  });
}

export { sleep } from './harness-env.js';
