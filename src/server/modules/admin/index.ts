import type { FastifyPluginAsync } from 'fastify';
import type { Jobs } from '../../platform/jobs.js';
import type { IoServer } from '../../platform/realtime.js';
import { socketErrorLog } from '../../platform/socket-events.js';
import { adminRoutes, type AdminRoutesDeps } from './admin-routes.js';
import { LINE_SAMPLE_MS, minuteSample, type LineHistory } from './line-history.js';
import { StatsGateway } from './stats-gateway.js';

export interface AdminModuleOptions extends AdminRoutesDeps {
  io: IoServer;
  jobs: Jobs;
  lineHistory: LineHistory;
}

/** The organizers' console: venues, events, shows, check-in, and the live sale dashboard. */
export const adminModule: FastifyPluginAsync<AdminModuleOptions> = async (app, o) => {
  const { admin, queue, clock } = o;
  adminRoutes(app, o);

  const stats = new StatsGateway(
    o.io,
    async (showId) => {
      const [line, figures, seats, sales] = await Promise.all([queue.stats(showId), queue.lineFigures(showId), admin.seatCounts(showId, clock.now()), admin.sales(showId)]);
      const m = minuteSample(figures);
      const minute = { at: new Date(m.minute).toISOString(), waiting: m.waiting, early: m.early, admitted: m.admitted, admissions: m.admissions };
      return { ...line, ...seats, ...sales, minute };
    },
    () => clock.now(),
    (err, what) => app.log.error({ err }, what),
    socketErrorLog(app.log),
  );
  o.io.on('connection', (socket) => stats.attach(socket));
  o.jobs.alongside(stats);
  // Every instance samples every live line; the database keeps one row per show and minute.
  o.jobs.every({ name: 'record line minutes', run: () => o.lineHistory.record(), everyMs: LINE_SAMPLE_MS, atStart: true });
};
