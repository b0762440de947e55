import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from './errors.js';

/** Fastify's own client errors (bad JSON, huge body, wrong content type) become our VALIDATION_FAILED. */
function fromFastify(err: FastifyError): AppError | undefined {
  if (err.validation) return new AppError('VALIDATION_FAILED', err.message);
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('VALIDATION_FAILED', 'The request body is too large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('VALIDATION_FAILED', 'Send JSON (content-type: application/json)');
  if (err.code === 'FST_ERR_RATE_LIMIT' || err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', err.message);
  }
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  // JSON bodies: an empty body is "no body" (POST /queue with a JSON header), malformed JSON is a 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError('VALIDATION_FAILED', 'The request body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const known = isAppError(err) ? err : fromFastify(err as FastifyError);
    if (known) {
      if (known.code === 'RATE_LIMITED') reply.header('retry-after', String(retryAfterOf(err, known)));
      return reply.status(known.status).send(known.toBody());
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(new AppError('INTERNAL').toBody());
  });
}

/** Seconds a rate-limited client should wait: what the limiter said, else a minute. */
function retryAfterOf(err: unknown, known: AppError): number {
  const fromErr = (err as { retryAfter?: unknown }).retryAfter;
  const fromDetails = (known.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  const s = typeof fromErr === 'number' ? fromErr : typeof fromDetails === 'number' ? fromDetails : 60;
  return Math.max(1, Math.ceil(s));
}

/** What a route option holds (its methods, its hooks of a kind) as a list: Fastify takes one or an array. */
export function listOf<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
