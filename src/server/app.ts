import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Server } from 'socket.io';
import { ERROR_MESSAGES } from '../shared/errors.js';
import { AdminService } from './modules/admin/admin-service.js';
import { adminRoutes } from './modules/admin/admin-routes.js';
import { makeAuthGuards } from './modules/auth/auth-context.js';
import { authRoutes } from './modules/auth/auth-routes.js';
import { AuthService } from './modules/auth/auth-service.js';
import { LoginLimiter } from './modules/auth/login-limiter.js';
import { SESSION_COOKIE } from './modules/auth/sessions.js';
import { catalogueRoutes } from './modules/catalogue/catalogue-routes.js';
import { CatalogueService } from './modules/catalogue/catalogue-service.js';
import { QueueGateway } from './modules/queue/queue-gateway.js';
import { queueRoutes } from './modules/queue/queue-routes.js';
import { QueueService } from './modules/queue/queue-service.js';
import type { QueueStore } from './modules/queue/queue-store.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/database.js';
import { installErrorHandling } from './platform/http.js';
import type { LimiterFactory } from './platform/rate-limits.js';
import { serveWeb } from './platform/web.js';
import { socketIoRealtime, type IoServer } from './platform/realtime.js';

export interface AppDeps {
  config: Config;
  db: Database;
  queueStore: QueueStore;
  limiters: LimiterFactory;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Installs the Socket.IO Redis adapter when instances share Redis. */
  configureIo?: (io: IoServer) => void;
}

export interface TicketClub {
  app: FastifyInstance;
  io: IoServer;
  services: {
    auth: AuthService;
    catalogue: CatalogueService;
    admin: AdminService;
    queue: QueueService;
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
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 256 * 1024,
    trustProxy: true,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
  });
  installErrorHandling(app);
  await app.register(cookie);

  const io: IoServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 16 * 1024,
  });
  deps.configureIo?.(io);
  const realtime = socketIoRealtime(io);

  const limiter = new LoginLimiter(
    deps.limiters({ keyPrefix: 'login-email', points: 10, durationSeconds: 15 * 60 }),
    deps.limiters({ keyPrefix: 'login-ip', points: 100, durationSeconds: 15 * 60 }),
  );
  const auth = new AuthService(db, clock, limiter);
  const guards = makeAuthGuards(auth);
  const catalogue = new CatalogueService(db, clock);
  const admin = new AdminService(db);
  const queue = new QueueService(deps.queueStore, catalogue, realtime, clock, config.QUEUE_GRACE_SECONDS * 1000, {
    onError: (err, what) => app.log.error({ err }, what),
  });
  const gateway = new QueueGateway(queue, {
    graceMs: config.QUEUE_GRACE_SECONDS * 1000,
    now: () => clock.now(),
    onError: (err, what) => app.log.error({ err }, what),
  });

  app.get('/api/health', async () => {
    await db.query('SELECT 1');
    await deps.queueStore.counts('00000000-0000-0000-0000-000000000000', clock.now());
    return { status: 'ok' };
  });
  authRoutes(app, auth, guards, config.COOKIE_SECURE);
  catalogueRoutes(app, catalogue);
  queueRoutes(app, queue, guards);
  adminRoutes(app, { admin, catalogue, auth, queue, guards, clock, loadTestApi: config.ENABLE_LOAD_TEST_API });
  // seats & orders wiring
  await serveWeb(app, config.WEB_DIST);

  io.use(async (socket, next) => {
    try {
      const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
      const token = typeof fromAuth === 'string' ? fromAuth : cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
      const user = token ? await auth.authenticate(token) : null;
      if (!user) return next(Object.assign(new Error(ERROR_MESSAGES.UNAUTHENTICATED), { data: { code: 'UNAUTHENTICATED' } }));
      socket.data.user = user;
      void socket.join(`user:${user.id}`);
      next();
    } catch (e) {
      next(e as Error);
    }
  });
  io.on('connection', (socket) => {
    gateway.attach(socket);
  });

  const timers: NodeJS.Timeout[] = [];
  let sweeping = false;
  return {
    app,
    io,
    services: { auth, catalogue, admin, queue },
    startJobs() {
      gateway.start();
      const t = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        void queue.sweepAll().finally(() => (sweeping = false));
      }, 1_000);
      t.unref();
      timers.push(t);
    },
    async close() {
      for (const t of timers) clearInterval(t);
      gateway.stop();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await app.close();
    },
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
