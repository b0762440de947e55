import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../../platform/clock.js';
import type { Jobs } from '../../platform/jobs.js';
import type { IoServer } from '../../platform/realtime.js';
import { socketErrorLog } from '../../platform/socket-events.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { AuthService } from '../auth/auth-service.js';
import type { CatalogueService } from '../catalogue/catalogue-service.js';
import type { QueueService } from '../queue/queue-service.js';
import { adminRoutes } from './admin-routes.js';
import type { AdminService } from './admin-service.js';
import type { CheckinService } from './checkin-service.js';
import type { ExportsService } from './exports-service.js';
import { StatsGateway } from './stats-gateway.js';

export interface AdminModuleOptions {
  admin: AdminService;
  checkin: CheckinService;
  exports: ExportsService;
  catalogue: CatalogueService;
  auth: AuthService;
  queue: QueueService;
  guards: AuthGuards;
  clock: Clock;
  io: IoServer;
  jobs: Jobs;
  /** POST /api/admin/users/bulk for load tests (ENABLE_LOAD_TEST_API). */
  loadTestApi: boolean;
}

/** The organizers' console: venues, events, shows, check-in, and the live sale dashboard. */
export const adminModule: FastifyPluginAsync<AdminModuleOptions> = async (app, o) => {
  const { admin, queue, clock } = o;
  adminRoutes(app, { admin, checkin: o.checkin, exports: o.exports, catalogue: o.catalogue, auth: o.auth, queue, guards: o.guards, clock, loadTestApi: o.loadTestApi });

  const stats = new StatsGateway(
    o.io,
    async (showId) => ({ ...(await queue.stats(showId)), ...(await admin.seatCounts(showId, clock.now())), ...(await admin.sales(showId)) }),
    () => clock.now(),
    (err, what) => app.log.error({ err }, what),
    socketErrorLog(app.log),
  );
  o.io.on('connection', (socket) => stats.attach(socket));
  o.jobs.alongside(stats);
};
