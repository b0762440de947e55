import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { destination, type DestinationStream, type Logger } from 'pino';

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
 *
 * The line of a request that completed goes through a sibling of the app's logger without
 * redaction: its content is fixed here (the `req` serializer above, the status, the time, the id),
 * and none of the redaction paths can match it, so the redaction would walk it for nothing (its
 * wildcard paths run on every value, the id and the message included: most of the line's cost). A
 * test checks that the line is the one the redacting logger writes. Lines with anything else in
 * them (an error, a body, headers) go through the redacting logger as before.
 */
export class OneLinePerRequest extends LogController {
  private readonly plain = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, responseTime: reply.elapsedTime, err: error }, 'request errored');
      return;
    }
    // The request's own logger decides, as it did when it wrote the line (a route may set its level).
    if (!(reply.log as unknown as Logger).isLevelEnabled('info')) return;
    this.plainOf(request.server.log).info({ [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  /** The app's logger without redaction: same stream, level, serializers and base fields. */
  private plainOf(log: FastifyBaseLogger): FastifyBaseLogger {
    let plain = this.plain.get(log);
    if (!plain) {
      plain = log.child({}, { redact: [] });
      this.plain.set(log, plain);
    }
    return plain;
  }
}

/** A write of at most this many bytes to a pipe is atomic: lines of several workers sharing one stdout never interleave. */
const PIPE_BUF = 4096;

/** How long a line may wait to be written: lines logged within it share one write per 4 KiB. */
export const LINE_DELAY_MS = 20;
/** Pending lines past this many full writes (64 KiB of short lines) are written at once: a burst waits for no timer. */
const MAX_PENDING_WRITES = 16;

/**
 * A log destination that writes the lines of a short window (LINE_DELAY_MS) together: one write
 * per 4 KiB of whole lines instead of one per line or per turn of the event loop (at 40,000
 * requests a second a turn holds a handful of lines, and each write was the costliest part of a
 * request line; docs/benchmarks.md). Past 16 full writes pending they are written at once.
 * Lines are queued, not dropped: what is pending is written synchronously by `flushSync`, which
 * `stdoutLines` runs on exit (a clean stop, `process.exit` or a crash), so no line is lost unless
 * the process is killed outright. Writes are synchronous (pino's own sync destination): no line
 * waits in a thread pool when the process exits.
 */
export class LineBatches implements DestinationStream {
  /** Full chunks, then the one being filled. */
  private readonly full: string[] = [];
  private chunk = '';
  private chunkBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: { write(s: string): unknown },
    private readonly delayMs = LINE_DELAY_MS,
  ) {}

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.chunkBytes > 0 && this.chunkBytes + bytes > PIPE_BUF) {
      this.seal();
      if (this.full.length >= MAX_PENDING_WRITES) this.flushSync();
    }
    this.chunk += line;
    this.chunkBytes += bytes;
    // Unref'd: pending lines never keep a process alive (the exit handler writes them).
    this.timer ??= setTimeout(this.flushSync, this.delayMs).unref();
  }

  /** Writes every pending line now. */
  readonly flushSync = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.chunkBytes > 0) this.seal();
    for (let c = this.full.shift(); c !== undefined; c = this.full.shift()) this.out.write(c);
  };

  /** The chunk being filled is one write now; the next line starts another. */
  private seal(): void {
    this.full.push(this.chunk);
    this.chunk = '';
    this.chunkBytes = 0;
  }

  /** pino's `logger.flush(cb)`. */
  flush(cb?: (err?: Error) => void): void {
    try {
      this.flushSync();
    } catch (e) {
      if (!cb) throw e;
      return cb(e as Error);
    }
    cb?.();
  }
}

/** Standard output for the app's log lines, batched (LINE_DELAY_MS) and written out on exit. */
export function stdoutLines(): LineBatches {
  const lines = new LineBatches(destination({ dest: 1, sync: true }));
  process.on('exit', lines.flushSync);
  return lines;
}
