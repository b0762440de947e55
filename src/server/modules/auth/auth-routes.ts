import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoginRequest, PasswordResetConfirmRequest, PasswordResetRequest, SignupRequest, UpdateMeRequest } from '../../../shared/api.js';
import { rateLimit, type LimiterFactory } from '../../platform/rate-limits.js';
import { parse } from '../../platform/validation.js';
import { setSessionCookie, type AuthGuards } from './auth-context.js';
import type { AuthService } from './auth-service.js';
import type { PasswordResets } from './password-reset.js';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from './sessions.js';

export interface AuthRoutesOptions {
  /** Session cookies are always Secure (config.cookieSecure). */
  cookieSecure: boolean;
  limiters: LimiterFactory;
  /** Signups per client IP per 10 minutes (every signup costs a password hash); 0: no limit. */
  signupsPerIp: number;
}

export function authRoutes(app: FastifyInstance, auth: AuthService, guards: AuthGuards, o: AuthRoutesOptions, resets: PasswordResets): void {
  const { cookieSecure } = o;
  // A request that came over HTTPS (directly, or per X-Forwarded-Proto from a trusted proxy) gets a
  // Secure cookie whatever the setting: a browser would never send it back over plain HTTP.
  const secureFor = (req: FastifyRequest) => cookieSecure || req.protocol === 'https';

  const signupLimit = rateLimit(o.limiters, { keyPrefix: 'signup-ip', points: o.signupsPerIp, durationSeconds: 600 }, (req) => req.ip);
  app.post('/api/auth/signup', { preHandler: signupLimit }, async (req, reply) => {
    const body = parse(SignupRequest, req.body);
    const result = await auth.signup(body);
    setSessionCookie(reply, result.token, secureFor(req), SESSION_TTL_SECONDS);
    return reply.status(201).send(result);
  });

  app.post('/api/auth/login', async (req, reply) => {
    const body = parse(LoginRequest, req.body);
    const result = await auth.login(body.email, body.password, req.ip);
    setSessionCookie(reply, result.token, secureFor(req), SESSION_TTL_SECONDS);
    return result;
  });

  app.post('/api/auth/logout', async (req, reply) => {
    await guards.requireUser(req);
    await auth.logout(req.authToken!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/me', async (req) => ({ user: await guards.requireUser(req) }));

  app.patch('/api/me', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { locale } = parse(UpdateMeRequest, req.body);
    await auth.setLocale(user.id, locale);
    return reply.status(204).send();
  });

  app.post('/api/auth/password-reset', async (req, reply) => {
    const { email } = parse(PasswordResetRequest, req.body);
    await resets.request(email, req.ip);
    return reply.status(202).send({ message: 'If an account has this email, a link to choose a new password is on its way.' });
  });

  app.post('/api/auth/password-reset/confirm', async (req, reply) => {
    const { token, password } = parse(PasswordResetConfirmRequest, req.body);
    await resets.confirm(token, password);
    return reply.status(204).send();
  });
}
