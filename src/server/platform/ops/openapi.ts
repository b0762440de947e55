import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { ERROR_MESSAGES, ERROR_STATUS, type ErrorCode } from '../../../shared/errors.js';
import { API_ROUTES, errorsOf, type RouteDoc } from './api-docs.js';
import { errorBodyDoc } from './response-schemas.js';

/** Operations of /api routes that API_ROUTES does not describe carry this tag (the drift test looks for it). */
export const UNDOCUMENTED_TAG = 'Undocumented';

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

/** A Fastify route schema for @fastify/swagger, from one RouteDoc (documentation only: nothing validates with it). */
export function routeSchema(key: string, doc: RouteDoc): FastifySchema & Record<string, unknown> {
  const response: Record<string, unknown> = {
    [doc.ok.status]: doc.ok.contentType
      ? { description: doc.ok.description, content: { [doc.ok.contentType]: { schema: { type: 'string', format: 'binary' } } } }
      : doc.ok.schema
        ? { description: doc.ok.description, ...jsonSchema(doc.ok.schema, 'output') }
        : { description: doc.ok.description, type: 'null' },
  };
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorsOf(key, doc)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    response[status] = {
      description: codes.map((c) => `\`${c}\`: ${ERROR_MESSAGES[c]}`).join(' '),
      ...jsonSchema(errorBodyDoc(codes), 'output'),
    };
  }
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    operationId: operationId(key),
    ...(doc.access === 'public' ? {} : { security: [{ bearerAuth: [] }, { cookieAuth: [] }] }),
    ...(doc.params ? { params: jsonSchema(doc.params, 'input') } : {}),
    ...(doc.query ? { querystring: jsonSchema(doc.query, 'input') } : {}),
    ...(doc.body ? { body: jsonSchema(doc.body, 'input') } : {}),
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
 * registers them: every /api route gets the schemas API_ROUTES gives it, anything else is hidden.
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
      tags: ['Health', 'Accounts', 'Catalogue', 'Waiting room', 'Seats and orders', 'Admin'].map((name) => ({ name })),
    },
    transform: ({ schema, url, route }) => {
      if (!url.startsWith('/api/')) return { schema: { ...schema, hide: true } as FastifySchema, url };
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const key = `${methods[0]} ${url}`;
      const doc = API_ROUTES[key];
      if (!doc) return { schema: { ...schema, tags: [UNDOCUMENTED_TAG], summary: `${key} is missing from api-docs.ts` } as FastifySchema, url };
      return { schema: routeSchema(key, doc), url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, defaultModelsExpandDepth: 0 },
  });
}
