import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AuthResponse, LoginRequest, PasswordResetAccepted, PasswordResetConfirmRequest, PasswordResetRequest, SignupRequest, UpdateMeRequest, User } from '../../../shared/api.js';
import { rateLimit, type LimiterFactory } from '../../platform/rate-limits.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
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

export function authRoutes(fastify: FastifyInstance, auth: AuthService, guards: AuthGuards, o: AuthRoutesOptions, resets: PasswordResets): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { cookieSecure } = o;
  // A request that came over HTTPS (directly, or per X-Forwarded-Proto from a trusted proxy) gets a
  // Secure cookie whatever the setting: a browser would never send it back over plain HTTP.
  const secureFor = (req: FastifyRequest) => cookieSecure || req.protocol === 'https';

  const signupLimit = rateLimit(o.limiters, { keyPrefix: 'signup-ip', points: o.signupsPerIp, durationSeconds: 600 }, (req) => req.ip);
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
      preValidation: signupLimit,
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
    async (req) => ({ user: guards.knownUser(req) ?? (await guards.requireUser(req)) }),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags: ['Accounts'],
        summary: "Set the account's language (`en` or `zh-TW`): its emails and ticket PDFs are written in it",
        body: UpdateMeRequest,
        response: { 204: z.undefined().describe('Language saved') },
      },
      config: { access: 'user' },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      await auth.setLocale(user.id, req.body.locale);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['Accounts'],
        summary: 'Forgot password: email a single-use link (valid 60 minutes) if an account has this email',
        description: 'Always 202, account or not. Limited per client IP (429) and, silently, per account.',
        body: PasswordResetRequest,
        response: { 202: PasswordResetAccepted.describe('Accepted (whether or not the email has an account)') },
      },
      config: { access: 'public', refusals: ['RATE_LIMITED'] },
    },
    async (req, reply) => {
      await resets.request(req.body.email, req.ip);
      return reply.status(202).send({ message: 'If an account has this email, a link to choose a new password is on its way.' });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['Accounts'],
        summary: 'Set a new password with the emailed token; every session of the account ends',
        body: PasswordResetConfirmRequest,
        response: { 204: z.undefined().describe('Password changed') },
      },
      config: { access: 'public', refusals: ['RESET_TOKEN_INVALID'] },
    },
    async (req, reply) => {
      await resets.confirm(req.body.token, req.body.password);
      return reply.status(204).send();
    },
  );
}
