import type { FastifyInstance } from 'fastify';
import type { Database } from '../../platform/database.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { MailOutboxRepository } from './mail-outbox-repository.js';

/** The console's view of the outbox: without SMTP, where each message was written. */
export function mailRoutes(app: FastifyInstance, db: Database, guards: AuthGuards, transport: 'smtp' | 'file' | null): void {
  app.get('/api/admin/mail', async (req) => {
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
  });
}
