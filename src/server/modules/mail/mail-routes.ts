import type { FastifyInstance } from 'fastify';
import { MailList } from '../../../shared/api.js';
import type { Database } from '../../platform/database.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { MailOutboxRepository } from './mail-outbox-repository.js';

/** The console's view of the outbox: without SMTP, where each message was written. */
export function mailRoutes(fastify: FastifyInstance, db: Database, guards: AuthGuards, transport: 'smtp' | 'file' | null): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/admin/mail',
    {
      schema: {
        tags: ['Admin'],
        summary: 'The latest emails of the outbox: to whom, what, whether sent, and (without SMTP_URL) the file each was written to',
        response: { 200: MailList.describe('Messages, newest first') },
      },
      config: { access: 'admin' },
    },
    async (req) => {
      await guards.requireAdmin(req);
      const rows = await new MailOutboxRepository(db).recent(100);
      return {
        transport,
        messages: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          to: r.to_address,
          subject: r.subject,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          file: r.delivered_to && r.delivered_to !== 'smtp' ? r.delivered_to : null,
          createdAt: r.created_at.toISOString(),
          sentAt: r.sent_at?.toISOString() ?? null,
        })),
      };
    },
  );
}
