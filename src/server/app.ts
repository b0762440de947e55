import { fastifyCookie } from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Server } from 'socket.io';
import { adminModule } from './modules/admin/index.js';
import { AdminService } from './modules/admin/admin-service.js';
import { CheckinService } from './modules/admin/checkin-service.js';
import { guardRoutesByAccess, makeAuthGuards, tokenOf } from './modules/auth/auth-context.js';
import { AuthService } from './modules/auth/auth-service.js';
import { authModule } from './modules/auth/index.js';
import { LoginLimiter, loginLimiters, type LoginDelay } from './modules/auth/login-limiter.js';
import { SESSION_COOKIE } from './modules/auth/sessions.js';
import { ExportsService } from './modules/admin/exports-service.js';
import { LineHistory } from './modules/admin/line-history.js';
import { PasswordResets } from './modules/auth/password-reset.js';
import { CatalogueService } from './modules/catalogue/catalogue-service.js';
import { catalogueModule } from './modules/catalogue/index.js';
import { followShowChanges } from './modules/catalogue/show-page-changes.js';
import { ShowPages, type ShowPagesOptions } from './modules/catalogue/show-pages.js';
import { OrdersService } from './modules/orders/orders-service.js';
import { ordersModule } from './modules/orders/index.js';
import { pagesModule } from './modules/pages/index.js';
import { PagesService } from './modules/pages/pages-service.js';
import { MailService } from './modules/mail/mail-service.js';
import { mailModule } from './modules/mail/index.js';
import type { MailTransport } from './modules/mail/mail-transport.js';
import { NoticesService } from './modules/mail/notices.js';
import { TestPaymentProvider } from './modules/payments/test-payment-provider.js';
import { DrawStore } from './modules/queue/draw.js';
import { queueModule } from './modules/queue/index.js';
import { QueueService } from './modules/queue/queue-service.js';
import { RefundService } from './modules/orders/refunds.js';
import { waitlistModule } from './modules/waitlist/index.js';
import { WaitlistService } from './modules/waitlist/waitlist-service.js';
import type { QueueStore } from './modules/queue/queue-store.js';
import { seatsModule } from './modules/seats/index.js';
import { ownedSeatCounter, SeatsService } from './modules/seats/seats-service.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/database.js';
import { installErrorHandling } from './platform/http.js';
import { useZodSchemas } from './platform/validation.js';
import { Jobs } from './platform/jobs.js';
import type { LimiterFactory } from './platform/rate-limits.js';
import type { TestHooks } from './platform/test-hooks.js';
import { serveWeb } from './platform/web.js';
import { answerFrameworkError, installOps, OneLinePerRequest, requestLogger, withLogRedaction } from './platform/ops/index.js';
import type { HealthOptions } from './platform/ops/health.js';
import { socketIoRealtime, type IoServer } from './platform/realtime.js';

export interface AppDeps {
  config: Config;
  db: Database;
  queueStore: QueueStore;
  limiters: LimiterFactory;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Tests only: widen race windows or stage a crash on purpose (never set in production). Used as given, never copied. */
  testHooks?: TestHooks;
  /** Installs the Socket.IO Redis adapter when instances share Redis. */
  configureIo?: (io: IoServer) => void;
  /** Scales the growing delay of logins to an account under attack (tests shrink or record it). */
  loginDelay?: Partial<LoginDelay>;
  /** How long show pages are kept (tests lengthen it to prove that changes, not age, refresh them). */
  showPages?: ShowPagesOptions;
  /** How long a health probe's answer stands, and how long it may take (tests shorten them). */
  health?: HealthOptions;
  /** Where email goes (SMTP or files, adapters/mail). Absent: messages wait in the outbox unsent. */
  mailTransport?: MailTransport;
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
    /** Sends the outbox (null without a transport). */
    mail: MailService | null;
    /** The emails other modules ask for (waitlist offers, refunds). */
    notices: NoticesService;
    waitlist: WaitlistService;
    refunds: RefundService;
    /** Records the live lines' minutes for the dashboard's history (a job on every instance). */
    lineHistory: LineHistory;
  };
  /** Starts the background jobs (sweeps, presence heartbeats, status updates). */
  startJobs(): void;
  /** Stops jobs and sockets; the caller closes the database and stores. */
  close(): Promise<void>;
}

/** Builds the whole application from its dependencies, then plugs in each module. Never listens: main.ts and tests decide. */
export async function buildApp(deps: AppDeps): Promise<TicketClub> {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const hooks = deps.testHooks ?? {};
  const app = Fastify({
    logger: withLogRedaction(deps.logger),
    logController: new OneLinePerRequest(),
    childLoggerFactory: requestLogger,
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
  await app.register(fastifyCookie);

  const io: IoServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 16 * 1024,
  });
  deps.configureIo?.(io);
  const sharedIo = Boolean(deps.configureIo);
  const jobs = new Jobs((err, name) => app.log.error({ err }, name));

  const ops = await installOps(app, {
    config,
    io,
    clock,
    waitingRooms: deps.queueStore,
    sessions: { cookieName: SESSION_COOKIE, sentByCookie: (req) => tokenOf(req)?.via === 'cookie' },
    healthProbe: async () => {
      // The only statement about the connection rather than a table: it asks whether the database answers.
      // Both asked at once: their answers arrive together (see HealthCheck's timeout).
      await Promise.all([db.query('SELECT 1'), deps.queueStore.counts('00000000-0000-0000-0000-000000000000')]);
    },
    health: deps.health,
  });

  // The services, each given the others it needs.
  const loginLimits = { perPair: config.LOGIN_PAIR_RATE_LIMIT, perIp: config.LOGIN_IP_RATE_LIMIT };
  const auth = new AuthService(db, clock, new LoginLimiter(loginLimiters(deps.limiters, loginLimits), deps.loginDelay));
  const guards = makeAuthGuards(auth);
  guardRoutesByAccess(app, guards);
  const catalogue = new CatalogueService(db, clock);
  const showPages = new ShowPages((id) => catalogue.getShow(id), clock, deps.showPages);
  // Every seat change goes out through this Realtime: it also ends the cached show pages, here and elsewhere.
  const showChanges = followShowChanges({ app, io, shared: sharedIo, pages: showPages, realtime: socketIoRealtime(io) });
  const { realtime } = showChanges;
  const admin = new AdminService(db, config.DEFAULT_TIME_ZONE, hooks);
  const grace = { queueMs: config.QUEUE_GRACE_SECONDS * 1000, admittedMs: config.ADMITTED_GRACE_SECONDS * 1000 };
  const queue = new QueueService(deps.queueStore, catalogue, ownedSeatCounter(db, clock), realtime, clock, grace, {
    ...ops.metrics.queueEvents,
    onError: (err, what) => app.log.error({ err }, what),
  }, hooks);
  queue.useDraws(new DrawStore(db, hooks));
  // Seats left, as waiters are told it, follows every seat change (here and on the other instances).
  showChanges.onChanged((ids) => queue.stockChanged(ids));
  const resets = new PasswordResets(db, clock, auth, {
    perIp: deps.limiters({ keyPrefix: 'password-reset-ip', points: 10, durationSeconds: 3600 }),
    perEmail: deps.limiters({ keyPrefix: 'password-reset-account', points: 3, durationSeconds: 3600 }),
  });
  const seats = new SeatsService(db, clock, ops.metrics.countingSeatHolds(realtime), queue, hooks);
  const payments = new TestPaymentProvider(db);
  // The sale's emails (waitlist offers, refunds) are outbox messages, enqueued in the sale's own transactions.
  const notices = new NoticesService(db, clock);
  const onError = (err: unknown, what: string) => app.log.error({ err }, what);
  const waitlist = new WaitlistService(db, clock, catalogue, queue, seats, realtime, notices, { onError });
  // Places that come back go to the waitlist at once (the waitlist job is the safety net).
  const onPlacesBack = (showId: string) => void waitlist.offerFor(showId).catch((err) => onError(err, `waitlist offers of ${showId}`));
  const refunds = new RefundService(db, clock, realtime, payments, notices, { onPlacesBack, onError });
  const orders = new OrdersService(
    db,
    clock,
    realtime,
    queue,
    payments,
    { onPaid: ops.metrics.ticketsSold, onPlacesBack, onError },
    hooks,
  );
  // An admission that ended without a purchase: its holds and pending orders go, in one transaction.
  queue.onAdmissionEnded((e) => orders.releaseAdmission(e.showId, e.userId, e.admissionId));
  const lineHistory = new LineHistory(db, queue);
  const mail = deps.mailTransport
    ? new MailService(db, clock, deps.mailTransport, { from: config.MAIL_FROM, publicUrl: config.publicUrl, onError: (err, what) => app.log.error({ err }, what) })
    : null;

  // The modules: each registers its routes, socket handlers and jobs.
  const { limiters } = deps;
  await app.register(authModule, { auth, resets, guards, io, sharedIo, limiters, config });
  await app.register(catalogueModule, { catalogue, showPages });
  await app.register(pagesModule, { pages: new PagesService(db), guards });
  await app.register(queueModule, { queue, guards, io, sharedIo, jobs, limiters, config, now: () => clock.now(), hooks });
  await app.register(adminModule, { admin, checkin: new CheckinService(db, clock), exports: new ExportsService(db), catalogue, auth, queue, guards, clock, io, jobs, lineHistory, loadTestApi: config.ENABLE_LOAD_TEST_API });
  await app.register(seatsModule, { seats, guards, io, showExists: (showId) => catalogue.rules(showId) });
  await app.register(ordersModule, { orders, refunds, guards, jobs, showExists: (showId) => catalogue.rules(showId) });
  await app.register(waitlistModule, { waitlist, guards, jobs });
  await app.register(mailModule, { db, guards, jobs, mail, transport: deps.mailTransport?.kind ?? null });
  await serveWeb(app, config.WEB_DIST, { demo: config.demoData, currency: 'TWD', defaultTimeZone: config.DEFAULT_TIME_ZONE });

  return {
    app,
    io,
    services: { auth, catalogue, admin, queue, seats, orders, payments, mail, notices, waitlist, refunds, lineHistory },
    startJobs: () => jobs.start(),
    async close() {
      ops.drain(); // health 503, responses close their connection: the server can close
      // A run in progress finishes before the database goes away.
      await jobs.stop();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await app.close();
      mail?.close();
    },
  };
}
