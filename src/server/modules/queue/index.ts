import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config.js';
import type { Jobs } from '../../platform/jobs.js';
import type { LimiterFactory } from '../../platform/rate-limits.js';
import type { IoServer } from '../../platform/realtime.js';
import { socketErrorLog } from '../../platform/socket-events.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { QueueGateway } from './queue-gateway.js';
import { queueRoutes } from './queue-routes.js';
import type { Joined, QueueService } from './queue-service.js';

/** What another instance says about a join: only the parts the gateway reads are checked. */
const JoinedMessage = z.object({
  showId: z.string(),
  userId: z.string(),
  status: z.object({ showId: z.string(), state: z.enum(['waiting', 'early']), at: z.string() }).passthrough(),
  place: z
    .object({ state: z.literal('waiting'), userId: z.string(), position: z.number(), ticket: z.number(), mark: z.number(), refAdmittedAt: z.number().nullable(), at: z.number() })
    .optional(),
});

export interface QueueModuleOptions {
  queue: QueueService;
  guards: AuthGuards;
  io: IoServer;
  /** Other instances share this Socket.IO server's events (the Redis adapter). */
  sharedIo: boolean;
  jobs: Jobs;
  limiters: LimiterFactory;
  config: Pick<Config, 'QUEUE_JOIN_RATE_LIMIT' | 'QUEUE_GRACE_SECONDS' | 'ADMITTED_GRACE_SECONDS'>;
  now: () => number;
  hooks: TestHooks;
}

/** The waiting room: joining and leaving, the draw, places told live, and the sweeps that admit and expire. */
export const queueModule: FastifyPluginAsync<QueueModuleOptions> = async (app, o) => {
  const { queue, config } = o;
  queueRoutes(app, queue, o.guards, { limiters: o.limiters, joinsPerAccount: config.QUEUE_JOIN_RATE_LIMIT });

  const gateway = new QueueGateway(queue, {
    // Presence must be refreshed well within the shorter of the two graces.
    graceMs: Math.min(config.QUEUE_GRACE_SECONDS, config.ADMITTED_GRACE_SECONDS) * 1000,
    now: o.now,
    onError: (err, what) => app.log.error({ err }, what),
    logEventError: socketErrorLog(app.log),
    hooks: o.hooks,
  });
  o.io.on('connection', (socket) => gateway.attach(socket));
  // A join's watchers may be connected to any instance: each hears the join at once.
  queue.onJoin((j) => {
    gateway.joined(j);
    if (o.sharedIo) o.io.serverSideEmit('queue:joined', j);
  });
  if (o.sharedIo) {
    o.io.on('queue:joined', (j) => {
      const parsed = JoinedMessage.safeParse(j);
      if (parsed.success) gateway.joined(parsed.data as Joined);
    });
  }

  o.jobs.alongside(gateway);
  o.jobs.alongside({
    start: () => queue.startExpiryTimers(),
    stop: () => {
      queue.stopDrawTimer();
      return queue.stopExpiryTimers();
    },
  });
  o.jobs.every({ name: 'sweep waiting rooms', run: () => queue.sweepAll(), everyMs: 1_000 });
  // The pre-queue's draw at onSaleAt; also finishes a draw an instance that died left half-way.
  o.jobs.every({ name: 'draw pre-queues', run: () => queue.drawDue(), everyMs: 1_000 });
};
