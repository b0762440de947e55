import type { FastifyPluginAsync } from 'fastify';
import type { Jobs } from '../../platform/jobs.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { waitlistRoutes } from './waitlist-routes.js';
import type { WaitlistService } from './waitlist-service.js';

export interface WaitlistModuleOptions {
  waitlist: WaitlistService;
  guards: AuthGuards;
  jobs: Jobs;
}

/** The waitlist of a sold-out show: joining and leaving it, the console's list, and the job that makes offers. */
export const waitlistModule: FastifyPluginAsync<WaitlistModuleOptions> = async (app, o) => {
  const { waitlist } = o;
  waitlistRoutes(app, waitlist, o.guards);
  // Places back from lapsed holds and offers go to the first waitlist entries they fit.
  o.jobs.every({ name: 'offer waitlist places', run: () => waitlist.offerDue(), everyMs: 1_000 });
};
