import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../../platform/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { mailRoutes } from './mail-routes.js';
import type { MailService } from './mail-service.js';

export interface MailModuleOptions {
  db: Database;
  guards: AuthGuards;
  jobs: Jobs;
  /** Null when the app has no transport (tests that do not look at mail). */
  mail: MailService | null;
  transport: 'smtp' | 'file' | null;
}

/** Email: the console's list of messages, and the job that sends what the outbox holds. */
export const mailModule: FastifyPluginAsync<MailModuleOptions> = async (app, o) => {
  mailRoutes(app, o.db, o.guards, o.transport);
  const { mail } = o;
  if (mail) o.jobs.every({ name: 'send mail', run: () => mail.sendDue(), everyMs: 2_000, atStart: true });
};
