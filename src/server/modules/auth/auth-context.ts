import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { User } from '../../../shared/api.js';
import { AppError } from '../../platform/errors.js';
import { listOf } from '../../platform/http.js';
import type { AuthService } from './auth-service.js';
import { SESSION_COOKIE } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    authToken?: string;
    authVia?: 'cookie' | 'bearer';
    currentUser?: User | null;
  }
}

/** The session token of a request: a bearer token wins over the cookie. */
export function tokenOf(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return { token: h.slice(7).trim(), via: 'bearer' };
  const c = req.cookies?.[SESSION_COOKIE];
  return c ? { token: c, via: 'cookie' } : undefined;
}

/** Why an account may not use a route of this access (none: it may). One rule for the awaited and the synchronous guards. */
function refusal(user: User | null, access: 'user' | 'admin'): AppError | undefined {
  if (!user) return new AppError('UNAUTHENTICATED');
  if (access === 'admin' && user.role !== 'admin') return new AppError('FORBIDDEN');
  return undefined;
}

export function makeAuthGuards(auth: AuthService) {
  async function optionalUser(req: FastifyRequest): Promise<User | null> {
    if (req.currentUser !== undefined) return req.currentUser;
    const t = tokenOf(req);
    req.authToken = t?.token;
    req.authVia = t?.via;
    req.currentUser = t ? await auth.authenticate(t.token) : null;
    return req.currentUser;
  }

  async function required(req: FastifyRequest, access: 'user' | 'admin'): Promise<User> {
    const user = await optionalUser(req);
    const refused = refusal(user, access);
    if (refused) throw refused;
    return user!;
  }

  const requireUser = (req: FastifyRequest): Promise<User> => required(req, 'user');
  const requireAdmin = (req: FastifyRequest): Promise<User> => required(req, 'admin');

  /** The request's account if it is known without waiting (looked up already, or its session cached), else undefined. */
  function knownUser(req: FastifyRequest): User | null | undefined {
    if (req.currentUser !== undefined) return req.currentUser;
    const t = tokenOf(req);
    const user = t ? auth.knownUser(t.token) : null;
    if (user === undefined) return undefined;
    req.authToken = t?.token;
    req.authVia = t?.via;
    req.currentUser = user;
    return user;
  }

  return { optionalUser, requireUser, requireAdmin, knownUser };
}

export type AuthGuards = ReturnType<typeof makeAuthGuards>;

/**
 * Each route's `config.access` is checked before its request is validated (Fastify's
 * preValidation, after the route's own): a caller without the right account gets 401/403 for any
 * input, never a 400 that tells what the route takes. Install before the routes.
 */
export function guardRoutesByAccess(app: FastifyInstance, guards: AuthGuards): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (access !== 'user' && access !== 'admin') return;
    const check = access === 'admin' ? guards.requireAdmin : guards.requireUser;
    // Callback style: a cached session is answered without a promise; the rest waits for the lookup.
    const guard = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
      const user = guards.knownUser(req);
      if (user === undefined) return void check(req).then(() => done(), done);
      done(refusal(user, access));
    };
    route.preValidation = [...listOf(route.preValidation), guard];
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeSeconds });
}
