import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { HealthResponse } from '../../../shared/api.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Access, ZodTypeProvider } from '../validation.js';
import type { IoServer } from '../realtime.js';
import { HealthCheck, type HealthOptions } from './health.js';
import { OpsMetrics, type WaitingRoomCounts } from './metrics.js';
import { openApiDocs } from './openapi.js';
import { csrfRefusal, securityHeadersSetter, socketCsrfProtection } from './security.js';

export { OneLinePerRequest, requestLogger, withLogRedaction } from './logging.js';
export { OpsMetrics } from './metrics.js';

export interface OpsDeps {
  config: Pick<Config, 'METRICS_ENABLED' | 'METRICS_TOKEN' | 'COOKIE_SECURE' | 'demoData'>;
  io: IoServer;
  clock: Clock;
  /** The waiting rooms' gauges, read when metrics are scraped. */
  waitingRooms: WaitingRoomCounts;
  /** How a session reaches the server, for CSRF: its cookie's name, and whether a request was authenticated by it. */
  sessions: { cookieName: string; sentByCookie(req: FastifyRequest): boolean };
  /** What GET /api/health checks (the database and the waiting-room store): resolves when they answer. */
  healthProbe(): Promise<unknown>;
  health?: HealthOptions;
}

/** The operations side of one app instance. */
export interface Ops {
  metrics: OpsMetrics;
  /** Every route as Fastify registered it after installOps (HEAD twins left out), with what it declares. */
  readonly routes: readonly RouteInfo[];
  /** HTTP requests being served now. */
  inFlight(): number;
  readonly draining: boolean;
  /** Shutdown has begun: health answers 503 (load balancers stop sending), responses close their connection. */
  drain(): void;
  /** Resolves true once no request is in flight, false if `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean>;
}

export interface RouteInfo {
  method: string;
  url: string;
  /** `config.access`: who may call (undefined: the route declares nothing, e.g. /metrics). */
  access?: Access;
  /** The zod schemas the route validates with (params, querystring, body) and answers with (response). */
  schema?: FastifySchema;
}

const opsByApp = new WeakMap<FastifyInstance, Ops>();

/** The ops installed on an app (tests and main.ts reach it through here). */
export function opsOf(app: FastifyInstance): Ops | undefined {
  return opsByApp.get(app);
}

/**
 * Metrics, docs, health, security headers, CSRF and drain support. Call it after the cookie
 * plugin and before any module: the docs and the route list see routes as they are added.
 */
export async function installOps(app: FastifyInstance, deps: OpsDeps): Promise<Ops> {
  const { config } = deps;
  const metrics = new OpsMetrics({
    waitingRooms: deps.waitingRooms,
    io: deps.io,
    onError: (err, what) => app.log.error({ err }, what),
  });

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, access: r.config?.access, schema: r.schema });
    }
  });

  let inFlight = 0;
  let draining = false;
  const idleWaiters = new Set<() => void>();
  // One listener for every response (no closure, no `once` wrapper per request). 'close' comes
  // once per response, also when the client went away before the answer.
  const answered = () => {
    inFlight--;
    if (inFlight === 0) for (const w of idleWaiters) w();
  };
  // HSTS and upgrade-insecure-requests only when the operator said the site is HTTPS, not by the
  // cookie's default: on a plain-HTTP install they would break the site.
  const setSecurityHeaders = await securityHeadersSetter({ https: config.COOKIE_SECURE === true });
  const csrf = csrfRefusal(deps.sessions.sentByCookie);
  // One hook for every request's own concerns, in callback style: each hook is a step of Fastify's
  // runner, and an async one costs a promise and a microtask turn per request.
  app.addHook('onRequest', (req, reply, done) => {
    inFlight++;
    reply.raw.on('close', answered);
    reply.header('x-request-id', req.id);
    setSecurityHeaders(req, reply);
    // Health tells load balancers to move on while this instance stops.
    if (draining && req.url.split('?')[0] === '/api/health') return done(new AppError('UNAVAILABLE', 'Shutting down'));
    done(csrf(req));
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    // A keep-alive connection must not outlive the shutdown: the server only closes once every
    // connection has, and an idle one would otherwise hold it open for the keep-alive timeout.
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });

  socketCsrfProtection(deps.io, deps.sessions.cookieName);
  metrics.observeHttp(app);
  await openApiDocs(app);

  const health = new HealthCheck(deps.healthProbe, deps.clock, deps.health, (err) => app.log.warn({ err }, 'health check failed'));
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: { tags: ['Health'], summary: 'Whether the server can serve (database and queue store reachable)', response: { 200: HealthResponse.describe('Ready') } },
      config: { access: 'public', refusals: ['UNAVAILABLE', 'INTERNAL'] },
    },
    async () => {
      const h = await health.check();
      if (h.ok) return { status: 'ok' as const };
      throw new AppError('UNAVAILABLE', 'The database or the waiting-room store does not answer');
    },
  );

  // Metrics name shows and show traffic: outside demo mode, only for whoever holds the token.
  const metricsServed = config.METRICS_ENABLED && (config.METRICS_TOKEN !== undefined || config.demoData);
  if (config.METRICS_ENABLED && !metricsServed) {
    app.log.warn('GET /metrics is off: outside demo mode it needs METRICS_TOKEN (METRICS_ENABLED=0 turns it off quietly)');
  }
  if (metricsServed) {
    const expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
    app.get('/metrics', async (req, reply) => {
      if (expected) {
        const given = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : '';
        if (!timingSafeEqual(digest(given), expected)) {
          reply.header('www-authenticate', 'Bearer realm="metrics"');
          throw new AppError('UNAUTHENTICATED', 'Send the metrics token as a bearer token');
        }
      }
      const { contentType, body } = await metrics.render();
      return reply.type(contentType).send(body);
    });
  }

  const ops: Ops = {
    metrics,
    routes,
    inFlight: () => inFlight,
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
    idle(timeoutMs) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (v: boolean) => {
          clearTimeout(timer);
          idleWaiters.delete(waiter);
          resolve(v);
        };
        const waiter = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        idleWaiters.add(waiter);
      });
    },
  };
  opsByApp.set(app, ops);
  return ops;
}

/**
 * Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, or a path parameter over
 * the router's length limit, is bad input like any other (400 VALIDATION_FAILED in our error
 * shape), not Fastify's own 400/414 body.
 */
export function answerFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  req.log.info({ code: err.code }, 'malformed request URL');
  void reply
    .status(400)
    .header('x-request-id', req.id)
    .send(new AppError('VALIDATION_FAILED', err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The URL is not valid').toBody());
}

const digest = (s: string) => createHash('sha256').update(s).digest();
