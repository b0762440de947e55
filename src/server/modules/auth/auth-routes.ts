import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AuthResponse, LoginRequest, SignupRequest, User } from '../../../shared/api.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import { setSessionCookie, type AuthGuards } from './auth-context.js';
import type { AuthService } from './auth-service.js';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from './sessions.js';

export function authRoutes(fastify: FastifyInstance, auth: AuthService, guards: AuthGuards, cookieSecure: boolean): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // A request that came over HTTPS (directly, or per X-Forwarded-Proto from a trusted proxy) gets a
  // Secure cookie whatever the setting: a browser would never send it back over plain HTTP.
  const secureFor = (req: FastifyRequest) => cookieSecure || req.protocol === 'https';

  app.post(
    '/api/auth/signup',
    {
      schema: {
        tags: ['Accounts'],
        summary: 'Create a customer account and log in',
        description: 'Sets the HttpOnly `tc_session` cookie and returns the same session as `token`. Limited per client IP.',
        body: SignupRequest,
        response: { 201: AuthResponse.describe('Signed up and logged in') },
      },
      config: { access: 'public', refusals: ['EMAIL_TAKEN', 'RATE_LIMITED'] },
    },
    async (req, reply) => {
      const result = await auth.signup(req.body);
      setSessionCookie(reply, result.token, secureFor(req), SESSION_TTL_SECONDS);
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['Accounts'],
        summary: 'Log in with email and password',
        description: 'Sets the `tc_session` cookie. Failed attempts are limited per email and per IP.',
        body: LoginRequest,
        response: { 200: AuthResponse.describe('Logged in') },
      },
      config: { access: 'public', refusals: ['INVALID_CREDENTIALS', 'RATE_LIMITED'] },
    },
    async (req, reply) => {
      const result = await auth.login(req.body.email, req.body.password, req.ip);
      setSessionCookie(reply, result.token, secureFor(req), SESSION_TTL_SECONDS);
      return result;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['Accounts'], summary: 'End this session (the token and cookie stop working)', response: { 204: z.undefined().describe('Logged out') } },
      config: { access: 'user' },
    },
    async (req, reply) => {
      await guards.requireUser(req);
      await auth.logout(req.authToken!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/me',
    {
      schema: { tags: ['Accounts'], summary: 'The logged-in account', response: { 200: z.object({ user: User }).describe('The account') } },
      config: { access: 'user' },
    },
    async (req) => ({ user: await guards.requireUser(req) }),
  );
}
