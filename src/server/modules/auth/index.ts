import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { LimiterFactory } from '../../platform/rate-limits.js';
import type { IoServer } from '../../platform/realtime.js';
import type { AuthGuards } from './auth-context.js';
import { authRoutes } from './auth-routes.js';
import type { AuthService } from './auth-service.js';
import type { PasswordResets } from './password-reset.js';
import { shareSessionRevocations } from './session-revocation.js';
import { authenticateSockets } from './socket-auth.js';

export interface AuthModuleOptions {
  auth: AuthService;
  resets: PasswordResets;
  guards: AuthGuards;
  io: IoServer;
  /** Instances share Redis: sessions ended here end on every instance. */
  sharedIo: boolean;
  limiters: LimiterFactory;
  config: Pick<Config, 'cookieSecure' | 'SIGNUP_RATE_LIMIT'>;
}

/** Accounts and sessions: signup, login, logout, the socket handshake, and sessions ended everywhere at once. */
export const authModule: FastifyPluginAsync<AuthModuleOptions> = async (app, o) => {
  authRoutes(app, o.auth, o.guards, { cookieSecure: o.config.cookieSecure, limiters: o.limiters, signupsPerIp: o.config.SIGNUP_RATE_LIMIT }, o.resets);
  authenticateSockets(o.io, o.auth, (err, socketId) => app.log.error({ err, socketId }, 'socket handshake failed'));
  shareSessionRevocations(o.io, o.auth, o.sharedIo, (err) => app.log.warn({ err }, 'session revocation not acknowledged by every instance'));
};
