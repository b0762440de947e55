import type { FastifyPluginAsync } from 'fastify';
import type { Jobs } from '../../platform/jobs.js';
import type { IoServer } from '../../platform/realtime.js';
import { socketErrorLog } from '../../platform/socket-events.js';
import { adminRoutes, type AdminRoutesDeps } from './admin-routes.js';
import { StatsGateway } from './stats-gateway.js';

export interface AdminModuleOptions extends AdminRoutesDeps {
  io: IoServer;
  jobs: Jobs;
}

/** The organizers' console: venues, events, shows, check-in, and the live sale dashboard. */
export const adminModule: FastifyPluginAsync<AdminModuleOptions> = async (app, o) => {
  const { admin, queue, clock } = o;
  adminRoutes(app, o);

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
