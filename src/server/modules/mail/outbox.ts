import type { Queryable } from '../../platform/database.js';
import { MailOutboxRepository, type NewMessage } from './mail-outbox-repository.js';

/** The mail module's step other modules take: an email, enqueued in their own transaction and sent by MailService. */
export const outbox = {
  /** With a `dedupeKey`, a second enqueue of the same key is nothing: says whether it was new. */
  enqueue: (q: Queryable, m: NewMessage): Promise<boolean> => new MailOutboxRepository(q).enqueue(m),
};
