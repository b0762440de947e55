import type { FastifyInstance, FastifyReply, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';
import type { ErrorCode } from '../../shared/errors.js';
import { AppError } from './errors.js';

/** Who may call a route: anyone, a logged-in account, or an admin. */
export type Access = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call (checked before the request is validated, so a stranger learns nothing from a 400). */
    access?: Access;
    /** For /docs: the refusals besides those the access rule and the validated parts imply. */
    refusals?: readonly ErrorCode[];
  }
}

/**
 * Routes declare zod schemas (`schema: { params, querystring, body, response }`): requests arrive
 * parsed (`req.params` is the schema's output), and a handler's answer must be of its response type.
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/**
 * The answer of a route that sends a file, not JSON (application/pdf, text/csv, text/calendar):
 * the handler sends a Buffer or a string with that content type, and /docs shows it as such.
 */
export function fileResponse(contentType: string, description: string) {
  return z.custom<Buffer | string>((v) => typeof v === 'string' || v instanceof Uint8Array).meta({ contentType, description });
}

/** Sends one account's file (a PDF, a CSV) as a download that no cache keeps. */
export function sendPrivateFile(reply: FastifyReply, contentType: string, filename: string, body: Buffer | string) {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(body);
}

/** The content type a response schema declares (fileResponse), or undefined for JSON. */
export function fileContentType(schema: z.ZodType): string | undefined {
  const ct = schema.meta()?.contentType;
  return typeof ct === 'string' ? ct : undefined;
}

/** A zod mismatch as the API answers it: 400 VALIDATION_FAILED naming the fields. */
function refusal(error: z.ZodError): AppError {
  const fields = error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = fields[0];
  const message = first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request';
  return new AppError('VALIDATION_FAILED', message, { fields });
}

/** Parses input with a contract schema; a mismatch is a 400 VALIDATION_FAILED naming the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  throw refusal(r.error);
}

/**
 * Fastify validates each request part with the zod schema the route declares (a missing body
 * parses as `{}`), and the part becomes the parsed value: ids lower-cased, text trimmed, defaults
 * filled. Responses are sent with JSON.stringify: their schemas document and type them, and
 * filter nothing (a field the schema forgot is still sent).
 */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => (data: unknown) => {
    const r = (schema as z.ZodType).safeParse(data ?? {});
    return r.success ? { value: r.data } : { error: refusal(r.error) };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

