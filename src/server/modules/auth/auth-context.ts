import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../../shared/api.js';
import { AppError } from '../../platform/errors.js';
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

export function makeAuthGuards(auth: AuthService) {
  async function optionalUser(req: FastifyRequest): Promise<User | null> {
    if (req.currentUser !== undefined) return req.currentUser;
    const t = tokenOf(req);
    req.authToken = t?.token;
    req.authVia = t?.via;
    req.currentUser = t ? await auth.authenticate(t.token) : null;
    return req.currentUser;
  }

  async function requireUser(req: FastifyRequest): Promise<User> {
    const user = await optionalUser(req);
    if (!user) throw new AppError('UNAUTHENTICATED');
    return user;
  }

  async function requireAdmin(req: FastifyRequest): Promise<User> {
    const user = await requireUser(req);
    if (user.role !== 'admin') throw new AppError('FORBIDDEN');
    return user;
  }

  return { optionalUser, requireUser, requireAdmin };
}

export type AuthGuards = ReturnType<typeof makeAuthGuards>;

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeSeconds });
}
