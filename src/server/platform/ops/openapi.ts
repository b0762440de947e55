import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ERROR_MESSAGES, ERROR_STATUS, type ErrorCode } from '../../../shared/errors.js';
import { fileContentType } from '../validation.js';
import { listOf } from '../http.js';

/** Operations of /api routes that declare no summary, tag or access carry this tag (the drift test looks for it). */
export const UNDOCUMENTED_TAG = 'Undocumented';
export const TAGS = ['Health', 'Accounts', 'Catalogue', 'Waiting room', 'Seats and orders', 'Admin'] as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return tidy(out, io) as Record<string, unknown>;
}

/**
 * Drops what says nothing to a reader: zod's safe-integer bounds on every int, and (in responses)
 * the closed-object marker, since the contract lets the server add fields.
 */
function tidy(node: unknown, io: 'input' | 'output'): unknown {
  if (Array.isArray(node)) return node.map((n) => tidy(n, io));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue;
    if (k === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue;
    if (k === 'additionalProperties' && v === false && io === 'output') continue;
    out[k] = tidy(v, io);
  }
  return out;
}

const codes = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
/** The one error shape; `only` narrows `error.code` to what the operation can answer with that status. */
const errorBody = (only: readonly ErrorCode[] = codes) =>
  z.object({
    error: z.object({
      code: z.enum(only as [ErrorCode, ...ErrorCode[]]),
      message: z.string().describe('a sentence a person can read'),
      details: z.unknown().optional(),
    }),
  });

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every refusal an operation can answer with: its own, plus those its access and inputs imply. */
function refusalsOf(method: string, schema: FastifySchema, route: RouteOptions): ErrorCode[] {
  const out = new Set<ErrorCode>();
  const access = route.config?.access ?? 'public';
  const changes = STATE_CHANGING.has(method);
  // A body that is not JSON is refused even where the route reads none.
  if (schema.params || schema.querystring || schema.body || changes) out.add('VALIDATION_FAILED');
  if (access !== 'public') out.add('UNAUTHENTICATED');
  if (access === 'admin') out.add('FORBIDDEN');
  if (changes) out.add('CSRF_FAILED');
  for (const c of route.config?.refusals ?? []) out.add(c);
  return [...out];
}

const isZod = (s: unknown): s is z.ZodType => s instanceof z.ZodType;

/**
 * The OpenAPI operation of one /api route, from the zod schemas it declares: request parts as
 * input, answers as output (a 204 declares `z.undefined()`, a file `fileResponse(contentType)`), plus
 * one error answer per status.
 */
function operation(method: string, url: string, schema: FastifySchema, route: RouteOptions): Record<string, unknown> {
  const { params, querystring, body, response: declared, ...words } = schema as FastifySchema & Record<string, unknown>;
  const response: Record<string, unknown> = {};
  for (const [status, s] of Object.entries((declared ?? {}) as Record<string, unknown>)) {
    if (!isZod(s)) continue;
    const file = fileContentType(s);
    const body = file
      ? { content: { [file]: { schema: { type: 'string', format: 'binary' } } } }
      : status === '204'
        ? { type: 'null' }
        : jsonSchema(s, 'output');
    response[status] = { ...body, description: s.description ?? 'OK' };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of refusalsOf(method, schema, route)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    response[status] = { description: codes.map((c) => `\`${c}\`: ${ERROR_MESSAGES[c]}`).join(' '), ...jsonSchema(errorBody(codes), 'output') };
  }
  return {
    ...words,
    operationId: operationId(`${method} ${url}`),
    ...(route.config?.access === 'public' ? {} : { security: [{ bearerAuth: [] }, { cookieAuth: [] }] }),
    ...(isZod(params) ? { params: jsonSchema(params, 'input') } : {}),
    ...(isZod(querystring) ? { querystring: jsonSchema(querystring, 'input') } : {}),
    ...(isZod(body) ? { body: jsonSchema(body, 'input') } : {}),
    response,
  };
}

/** `POST /api/shows/:showId/queue` -> `postShowsShowIdQueue`. */
function operationId(key: string): string {
  const [method, path] = key.split(' ') as [string, string];
  const words = path
    .replace(/^\/api\//, '')
    .split(/[/:-]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/**
 * The OpenAPI 3 document at /docs/json (and the UI at /docs), built from the routes as Fastify
 * registers them: every /api route is documented by what it declares (`schema` with zod parts,
 * `tags` and `summary`; `config.access` and `config.refusals`), anything else is hidden.
 * Must be installed before the routes.
 */
export async function openApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'TicketClub API',
        version: version(),
        description:
          'Concert tickets with a fair waiting room and a live seat map. Every error is ' +
          '`{"error":{"code","message"}}`. Authenticate with the `tc_session` cookie that signup/login set, ' +
          'or with `Authorization: Bearer <token>`.\n\n' +
          'Realtime: Socket.IO at `/socket.io`, authenticated by the same cookie or `auth: {token}`. Send ' +
          '`queue:watch {showId}` to follow your place in line (an open watch is also the presence that keeps it), ' +
          '`show:watch {showId}` for seat changes, and as an admin `stats:watch {showId}` for the live figures; each ' +
          'acks `{ok:true}` or `{error}` and has an `…:unwatch`. The server sends `queue:status`, `queue:admitted`, ' +
          '`queue:ended {showId,reason}`, `seat:update {showId,areaId,seatId,status}` and `stats:update`. ' +
          'Every field of every event: docs/api.md in the TicketClub repository.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'the `token` from signup or login' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'tc_session' },
        },
      },
      tags: TAGS.map((name) => ({ name })),
    },
    transform: ({ schema, url, route }) => {
      if (!url.startsWith('/api/')) return { schema: { ...schema, hide: true } as FastifySchema, url };
      const method = listOf(route.method)[0]!;
      const words = (schema ?? {}) as FastifySchema & { summary?: string; tags?: string[] };
      if (!words.summary || !words.tags?.length || !route.config?.access) {
        return { schema: { tags: [UNDOCUMENTED_TAG], summary: `${method} ${url} declares no summary, tags or config.access` } as FastifySchema, url };
      }
      return { schema: operation(method, url, schema, route) as FastifySchema, url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, defaultModelsExpandDepth: 0 },
  });
}
