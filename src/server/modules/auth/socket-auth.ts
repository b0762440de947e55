import { fastifyCookie } from '@fastify/cookie';
import { AppError, isAppError } from '../../platform/errors.js';
import { rooms, type IoServer } from '../../platform/realtime.js';
import type { AuthService } from './auth-service.js';
import { SESSION_COOKIE, hashToken } from './sessions.js';

/**
 * The realtime handshake: a socket opens with a session (`auth: {token}`, else the session cookie),
 * as its account, in the rooms of that account and of that session (which a logout or a new role
 * closes). Anything else is refused with `connect_error` and a catalogue code.
 */
export function authenticateSockets(io: IoServer, auth: AuthService, log: (err: unknown, socketId: string) => void): void {
  io.use(async (socket, next) => {
    try {
      const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
      const header = socket.handshake.headers.cookie;
      const token = typeof fromAuth === 'string' ? fromAuth : header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined;
      const user = token ? await auth.authenticate(token) : null;
      if (!user) return next(handshakeError(new AppError('UNAUTHENTICATED')));
      socket.data.user = user;
      void socket.join(rooms.user(user.id));
      const tokenHash = hashToken(token!);
      void socket.join(rooms.session(tokenHash));
      // Ended while this handshake looked it up: the room's disconnect may have missed this socket.
      if (auth.wasRevoked(tokenHash)) return next(handshakeError(new AppError('UNAUTHENTICATED')));
      next();
    } catch (e) {
      // The client hears a code from the catalogue, never the exception's own text (a database error, say).
      if (!isAppError(e)) log(e, socket.id);
      next(handshakeError(isAppError(e) ? e : new AppError('INTERNAL')));
    }
  });
}

/** What a refused handshake tells the client: `connect_error` with the message and `data.code`, like an HTTP error body. */
function handshakeError(err: AppError): Error {
  return Object.assign(new Error(err.message), { data: { code: err.code } });
}
