import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

type LoggerOption = FastifyServerOptions['logger'];

/**
 * Where secrets can appear in a log line: credentials in headers, passwords, tokens, card data and
 * ticket codes in bodies, at the top level or one level down (pino's `*` matches one key).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-metrics-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'body.password',
  'body.token',
  'body.card',
  'body.code',
  'req.body.password',
  'req.body.token',
  'req.body.card',
  'req.body.code',
  'password',
  'token',
  'card',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.card',
  '*.cvc',
  '*.authorization',
  '*.cookie',
  '*.passwordHash',
  '*.password_hash',
];

const SECRET_QUERY = /^(token|access_token|password|code|key|secret|auth)$/i;

/** The URL with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((kv) => {
      const [k = '', ...v] = kv.split('=');
      return v.length > 0 && SECRET_QUERY.test(decodeSafe(k)) ? `${k}=[Redacted]` : kv;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What a request log line says about the request: no headers, no body, a redacted URL. */
function serializeReq(req: { method?: string; url?: string; id?: unknown; ip?: string; routeOptions?: { url?: string } }) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    route: req.routeOptions?.url,
    remoteAddress: req.ip,
  };
}

/**
 * Fastify's logger options with our redaction and serializers: JSON lines, the request id on every
 * request-scoped line (Fastify's `reqId`), and no secret ever written. `false` stays off.
 */
export function withLogRedaction(logger: LoggerOption): LoggerOption {
  if (logger === false || logger === undefined) return false;
  const base = logger === true ? {} : logger;
  const redact = Array.isArray(base.redact) ? base.redact : (base.redact?.paths ?? []);
  return {
    ...base,
    redact: { paths: [...new Set([...REDACT_PATHS, ...redact])], censor: '[Redacted]' },
    serializers: { req: serializeReq, ...base.serializers },
  };
}

/**
 * One line per request, written when its answer has gone (Fastify's own controller writes two: one
 * on arrival, one at the end). Half the lines is most of the logging's cost on a hot path; the line
 * says what both said: the request, its status, its time and, as every request line, its id.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
