import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { opsOf } from '../../src/server/platform/ops/index.js';
import type { Access } from '../../src/server/platform/validation.js';

/** What one /api route declares: who may call it and the zod schemas of its request parts and answers. */
export interface DeclaredRoute {
  access: Access | undefined;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The answer's schema by status (`'200'`, `'201'`, `'204'`). */
  response: Record<string, z.ZodType>;
}

/**
 * Every /api route the app serves, keyed `METHOD /path` as registered (`:param` style), with what
 * it declares: the very list /docs is built from (ops.test.ts checks the two agree).
 */
export function declaredRoutes(app: FastifyInstance): Record<string, DeclaredRoute> {
  const out: Record<string, DeclaredRoute> = {};
  for (const r of opsOf(app)!.routes) {
    if (!r.url.startsWith('/api/')) continue;
    const s = (r.schema ?? {}) as { params?: z.ZodType; querystring?: z.ZodType; body?: z.ZodType; response?: Record<string, z.ZodType> };
    out[`${r.method} ${r.url}`] = {
      access: r.access,
      response: s.response ?? {},
      ...(s.params ? { params: s.params } : {}),
      ...(s.querystring ? { query: s.querystring } : {}),
      ...(s.body ? { body: s.body } : {}),
    };
  }
  return out;
}
