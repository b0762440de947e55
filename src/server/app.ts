import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Server } from 'socket.io';
import { AdminService } from './modules/admin/admin-service.js';
import { CheckinService } from './modules/admin/checkin-service.js';
import { adminRoutes } from './modules/admin/admin-routes.js';
import { guardRoutesByAccess, makeAuthGuards } from './modules/auth/auth-context.js';
import { authRoutes } from './modules/auth/auth-routes.js';
import { AuthService } from './modules/auth/auth-service.js';
import { LoginLimiter, type LoginDelay } from './modules/auth/login-limiter.js';
import { SESSION_COOKIE, hashToken } from './modules/auth/sessions.js';
import { catalogueRoutes } from './modules/catalogue/catalogue-routes.js';
import { CatalogueService } from './modules/catalogue/catalogue-service.js';
import { followShowChanges } from './modules/catalogue/show-page-changes.js';
import { ShowPages, type ShowPagesOptions } from './modules/catalogue/show-pages.js';
import { QueueGateway } from './modules/queue/queue-gateway.js';
import { queueRoutes } from './modules/queue/queue-routes.js';
import { QueueService } from './modules/queue/queue-service.js';
import { DrawStore } from './modules/queue/draw.js';
import { pagesRoutes } from './modules/pages/pages-routes.js';
import { PagesService } from './modules/pages/pages-service.js';
import { OrdersService, type PaymentHooks } from './modules/orders/orders-service.js';
import { ordersRoutes } from './modules/orders/orders-routes.js';
import { TestPaymentProvider } from './modules/payments/test-payment-provider.js';
import { SeatsGateway } from './modules/seats/seats-gateway.js';
import { StatsGateway } from './modules/admin/stats-gateway.js';
import { seatsRoutes } from './modules/seats/seats-routes.js';
import { SeatsService } from './modules/seats/seats-service.js';
import type { QueueStore } from './modules/queue/queue-store.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/database.js';
import { AppError, isAppError } from './platform/errors.js';
import { installErrorHandling } from './platform/http.js';
import { useZodSchemas, type ZodTypeProvider } from './platform/validation.js';
import type { LimiterFactory } from './platform/rate-limits.js';
import type { TestHooks } from './platform/test-hooks.js';
import { serveWeb } from './platform/web.js';
import { answerFrameworkError, installOps, withLogRedaction } from './platform/ops/index.js';
import { HealthCheck, type HealthOptions } from './platform/ops/health.js';
import { rooms, socketIoRealtime, type IoServer } from './platform/realtime.js';
import { HealthResponse, PublicConfig } from '../shared/api.js';

export interface AppDeps {
  config: Config;
  db: Database;
  queueStore: QueueStore;
  limiters: LimiterFactory;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Test-only fault and delay hooks in the payment steps (never set in production). */
  paymentHooks?: PaymentHooks;
  /** Tests only: widen race windows on purpose. */
  testHooks?: TestHooks;
  /** Installs the Socket.IO Redis adapter when instances share Redis. */
  configureIo?: (io: IoServer) => void;
  /** Scales the growing delay of logins to an account under attack (tests shrink or record it). */
  loginDelay?: Partial<LoginDelay>;
  /** How long show pages are kept (tests lengthen it to prove that changes, not age, refresh them). */
  showPages?: ShowPagesOptions;
  /** How long a health probe's answer stands, and how long it may take (tests shorten them). */
  health?: HealthOptions;
}

export interface TicketClub {
  app: FastifyInstance;
  io: IoServer;
  services: {
    auth: AuthService;
    catalogue: CatalogueService;
    admin: AdminService;
    queue: QueueService;
    seats: SeatsService;
    orders: OrdersService;
    payments: TestPaymentProvider;
  };
  /** Starts the background jobs (sweeps, presence heartbeats, status updates). */
  startJobs(): void;
  /** Stops jobs and sockets; the caller closes the database and stores. */
  close(): Promise<void>;
}

/** Builds the whole application from its dependencies. Never listens: main.ts and tests decide. */
export async function buildApp(deps: AppDeps): Promise<TicketClub> {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const hooks = deps.testHooks ?? {};
  const app = Fastify({
    logger: withLogRedaction(deps.logger),
    bodyLimit: 256 * 1024,
    trustProxy: config.TRUST_PROXY,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    frameworkErrors: answerFrameworkError,
  });
  installErrorHandling(app);
  useZodSchemas(app);
  // Past the open-files limit the process would fail with EMFILE: refuse extra connections instead.
  app.server.maxConnections = config.MAX_CONNECTIONS;
  await app.register(cookie);

  const io: IoServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 16 * 1024,
  });
  deps.configureIo?.(io);
  const ioRealtime = socketIoRealtime(io);

  const limiter = new LoginLimiter(
    {
      perPair: deps.limiters({ keyPrefix: 'login-pair', points: 10, durationSeconds: 15 * 60 }),
      perIp: deps.limiters({ keyPrefix: 'login-ip', points: 100, durationSeconds: 15 * 60 }),
      // Counts only, never refuses: the count sets the delay.
      perEmail: deps.limiters({ keyPrefix: 'login-email-failures', points: 1_000_000_000, durationSeconds: 15 * 60 }),
    },
    deps.loginDelay,
  );
  const auth = new AuthService(db, clock, limiter);
  shareSessionRevocations(io, auth, Boolean(deps.configureIo), (err) => app.log.warn({ err }, 'session revocation not acknowledged by every instance'));
  const guards = makeAuthGuards(auth);
  guardRoutesByAccess(app, guards);
  const ops = await installOps(app, { config, io, queueStore: deps.queueStore, clock, limiters: deps.limiters, guards });
  const catalogue = new CatalogueService(db, clock);
  const showPages = new ShowPages((id) => catalogue.getShow(id), clock, deps.showPages);
  // Every seat change goes out through this Realtime: it also ends the cached show pages, here and elsewhere.
  const realtime = followShowChanges({ app, io, shared: Boolean(deps.configureIo), pages: showPages, realtime: ioRealtime });
  const admin = new AdminService(db, config.DEFAULT_TIME_ZONE);
  const grace = { queueMs: config.QUEUE_GRACE_SECONDS * 1000, admittedMs: config.ADMITTED_GRACE_SECONDS * 1000 };
  const queue = new QueueService(deps.queueStore, catalogue, realtime, clock, grace, {
    ...ops.metrics.queueEvents,
    onError: (err, what) => app.log.error({ err }, what),
  }, hooks);
  queue.useDraws(new DrawStore(db, hooks));
  const gateway = new QueueGateway(queue, {
    // Presence must be refreshed well within the shorter of the two graces.
    graceMs: Math.min(grace.queueMs, grace.admittedMs),
    now: () => clock.now(),
    onError: (err, what) => app.log.error({ err }, what),
    hooks,
  });

  const health = new HealthCheck(
    async () => {
      await db.query('SELECT 1');
      await deps.queueStore.counts('00000000-0000-0000-0000-000000000000');
    },
    clock,
    deps.health,
    (err) => app.log.warn({ err }, 'health check failed'),
  );
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
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
  authRoutes(app, auth, guards, config.cookieSecure);
  catalogueRoutes(app, catalogue, showPages);
  pagesRoutes(app, new PagesService(db), guards);
  queueRoutes(app, queue, guards);
  adminRoutes(app, { admin, checkin: new CheckinService(db, clock), catalogue, auth, queue, guards, clock, loadTestApi: config.ENABLE_LOAD_TEST_API });
  // seats & orders wiring
  const seats = new SeatsService(db, clock, ops.metrics.countingSeatHolds(realtime), queue, hooks);
  queue.useSeatHolds(seats);
  const payments = new TestPaymentProvider(db);
  const orders = new OrdersService(
    db,
    clock,
    realtime,
    queue,
    payments,
    { onPaid: ops.metrics.ticketsSold, onError: (err, what) => app.log.error({ err }, what) },
    // Read field by field when called: tests set them on the objects they passed in.
    deps.paymentHooks,
    hooks,
  );
  const seatsGateway = new SeatsGateway({ showExists: (showId) => catalogue.rules(showId) });
  const statsGateway = new StatsGateway(
    io,
    async (showId) => ({ ...(await queue.stats(showId)), ...(await admin.seatCounts(showId, clock.now())) }),
    () => clock.now(),
    (err, what) => app.log.error({ err }, what),
  );
  // What the web app needs to know about this deployment.
  api.get(
    '/api/config',
    {
      schema: { tags: ['Health'], summary: 'What the web app needs to know about this deployment', response: { 200: PublicConfig.describe('Deployment settings') } },
      config: { access: 'public' },
    },
    async () => ({ demo: config.demoData, currency: 'TWD', defaultTimeZone: config.DEFAULT_TIME_ZONE }),
  );
  seatsRoutes(app, seats, guards);
  ordersRoutes(app, orders, guards);
  await serveWeb(app, config.WEB_DIST);

  io.use(async (socket, next) => {
    try {
      const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
      const token = typeof fromAuth === 'string' ? fromAuth : cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
      const user = token ? await auth.authenticate(token) : null;
      if (!user) return next(handshakeError(new AppError('UNAUTHENTICATED')));
      socket.data.user = user;
      void socket.join(`user:${user.id}`);
      const tokenHash = hashToken(token!);
      void socket.join(rooms.session(tokenHash));
      // Ended while this handshake looked it up: the room's disconnect may have missed this socket.
      if (auth.wasRevoked(tokenHash)) return next(handshakeError(new AppError('UNAUTHENTICATED')));
      next();
    } catch (e) {
      // The client hears a code from the catalogue, never the exception's own text (a database error, say).
      if (!isAppError(e)) app.log.error({ err: e, socketId: socket.id }, 'socket handshake failed');
      next(handshakeError(isAppError(e) ? e : new AppError('INTERNAL')));
    }
  });
  io.on('connection', (socket) => {
    gateway.attach(socket);
    seatsGateway.attach(socket);
    statsGateway.attach(socket);
  });

  const jobs = [
    { name: 'sweep waiting rooms', run: () => queue.sweepAll(), everyMs: 1_000 },
    // The pre-queue's draw at onSaleAt; also finishes a draw an instance that died left half-way.
    { name: 'draw pre-queues', run: () => queue.drawDue(), everyMs: 1_000 },
    { name: 'release expired seats', run: () => orders.releaseExpired(), everyMs: 1_000 },
    // Also at start: attempts a crashed process left in flight hold their orders until resolved.
    { name: 'reconcile payments', run: () => orders.reconcilePayments(), everyMs: 5_000, atStart: true },
  ].map((job) => ({ ...job, running: undefined as Promise<unknown> | undefined, timer: undefined as NodeJS.Timeout | undefined }));
  return {
    app,
    io,
    services: { auth, catalogue, admin, queue, seats, orders, payments },
    startJobs() {
      gateway.start();
      statsGateway.start();
      queue.startExpiryTimers();
      for (const job of jobs) {
        // Every job.everyMs, never two runs of the same job at once on this instance.
        const tick = () => {
          if (job.running) return;
          job.running = job
            .run()
            .catch((err) => app.log.error({ err }, job.name))
            .finally(() => (job.running = undefined));
        };
        job.timer = setInterval(tick, job.everyMs);
        job.timer.unref();
        if ('atStart' in job && job.atStart) tick();
      }
    },
    async close() {
      ops.drain(); // health 503, responses close their connection: the server can close
      for (const job of jobs) clearInterval(job.timer);
      queue.stopDrawTimer();
      gateway.stop();
      statsGateway.stop();
      // A run in progress finishes before the database goes away.
      await Promise.all([...jobs.map((j) => j.running), queue.stopExpiryTimers()]);
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await app.close();
    },
  };
}

/**
 * When sessions end, their cached copies and their open sockets go on every instance before the
 * request that ended them answers: a logged-out or demoted session's socket must not keep watching.
 * Each instance closes its own sockets of the session (their room is per token hash), so waiting for
 * the acknowledgements covers both (or REVOCATION_ACK_MS passed, after which the cache's own TTL
 * still ends the cached copies).
 */
const REVOCATION_ACK_MS = 2_000;
function shareSessionRevocations(io: IoServer, auth: AuthService, shared: boolean, onError: (err: unknown) => void): void {
  const endHere = (tokenHashes: string[]) => {
    if (!Array.isArray(tokenHashes)) return; // not from this version of the app: nothing to end
    for (const h of tokenHashes) auth.forgetSession(h);
    io.local.in(tokenHashes.map(rooms.session)).disconnectSockets(true);
  };
  if (shared) {
    io.on('session:revoked', (tokenHashes, ack) => {
      endHere(tokenHashes);
      if (typeof ack === 'function') ack(true);
    });
  }
  auth.onSessionsEnded(async (tokenHashes) => {
    endHere(tokenHashes);
    if (!shared) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        io.serverSideEmitWithAck('session:revoked', tokenHashes),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), REVOCATION_ACK_MS))),
      ]);
    } catch (err) {
      onError(err);
    } finally {
      clearTimeout(timer);
    }
  });
}

/** What a refused handshake tells the client: `connect_error` with the message and `data.code`, like an HTTP error body. */
function handshakeError(err: AppError): Error {
  return Object.assign(new Error(err.message), { data: { code: err.code } });
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
