import type { z } from 'zod';
import { AppError } from './errors.js';

/** Parses input with a contract schema; a mismatch is a 400 VALIDATION_FAILED naming the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const fields = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = fields[0];
  const message = first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request';
  throw new AppError('VALIDATION_FAILED', message, { fields });
}

