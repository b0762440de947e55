import { tracingChannel } from 'node:diagnostics_channel';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { destination, symbols, type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';

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
 * The line of a request that completed has fixed content (the `req` serializer above, the status,
 * the time, the id): none of the redaction paths can match it, so it is not redacted, and where the
 * logger is configured as the app configures it, it is put together here from pino's own parts (its
 * level and time prefix, its bindings, its line end) and written to pino's stream, instead of going
 * through pino's generic serialization of an object: that was most of the line's cost on a hot path
 * (docs/benchmarks.md). A test checks that the line is, byte for byte, the one the redacting logger
 * writes. Any other configuration (a mixin, formatters, hooks, other serializers) goes through a
 * sibling of the app's logger without redaction, and lines with anything else in them (an error)
 * through the redacting logger as before.
 */
export class OneLinePerRequest extends LogController {
  private readonly plain = new WeakMap<FastifyBaseLogger, { log: FastifyBaseLogger; line: RequestLine | undefined }>();

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, responseTime: reply.elapsedTime, err: error }, 'request errored');
      return;
    }
    // The request's own logger decides, as it did when it wrote the line (a route may set its level).
    if (!(reply.log as unknown as Logger).isLevelEnabled('info')) return;
    const plain = this.plainOf(request.server.log);
    if (!plain.line?.write(request, reply)) plain.log.info({ [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  /** The app's logger without redaction (same stream, level, serializers and base fields), and its request line. */
  private plainOf(log: FastifyBaseLogger) {
    let plain = this.plain.get(log);
    if (!plain) {
      const child = log.child({}, { redact: [] });
      plain = { log: child, line: RequestLine.of(child as unknown as Logger, this.requestIdLogLabel) };
      this.plain.set(log, plain);
    }
    return plain;
  }
}

/** pino's diagnostics channel around the serialization of each line: while someone listens, lines go through pino. */
const pinoLines = tracingChannel('pino_asJson');

/** pino's internals a line is made of; `symbols` is pino's public export of them. */
type PinoParts = Record<symbol, unknown> & {
  [symbols.lsCacheSym]: Record<number, string>;
  [symbols.timeSym]: () => string;
  [symbols.chindingsSym]: string;
  [symbols.endSym]: string;
  [symbols.streamSym]: DestinationStream & Record<symbol, unknown>;
  [symbols.serializersSym]: Record<string, ((v: unknown) => unknown) | undefined>;
  [symbols.formattersSym]: { log?: unknown };
  [symbols.hooksSym]: { logMethod?: unknown; streamWrite?: unknown };
  [symbols.stringifiersSym]: Record<string | symbol, unknown>;
};

const INFO = 30;
/** Missing from pino's types, present in its `symbols`. */
const { msgPrefixSym, levelCompSym } = symbols as unknown as Record<string, symbol | undefined>;

/** The request line of a logger configured as the app configures it, written without pino's object serialization. */
class RequestLine {
  private readonly level: string;
  private readonly time: () => string;
  private readonly bindings: string;
  private readonly end: string;
  private readonly stream: DestinationStream & Record<symbol, unknown>;
  /** `,"reqId":` (the log controller's label for the request id). */
  private readonly idKey: string;

  /** The parts that do not change for a logger (its bindings are copied when it is made, as for any pino child). */
  private constructor(log: PinoParts, idLabel: string) {
    this.idKey = `,${JSON.stringify(idLabel)}:`;
    this.level = log[symbols.lsCacheSym][INFO]!;
    this.time = log[symbols.timeSym];
    this.bindings = log[symbols.chindingsSym];
    this.end = log[symbols.endSym];
    this.stream = log[symbols.streamSym];
  }

  /** Undefined where the logger would write the line differently than this class does. */
  static of(logger: Logger, idLabel: string): RequestLine | undefined {
    const log = logger as unknown as PinoParts;
    const serializers = log[symbols.serializersSym];
    const res = serializers.res;
    const plain =
      serializers.req === serializeReq &&
      res !== undefined &&
      JSON.stringify(res({ statusCode: 299 })) === '{"statusCode":299}' &&
      log[symbols.formattersSym].log === undefined &&
      log[symbols.hooksSym].logMethod === undefined &&
      log[symbols.hooksSym].streamWrite === undefined &&
      log[symbols.mixinSym] === undefined &&
      log[symbols.nestedKeySym] == null &&
      (msgPrefixSym === undefined || log[msgPrefixSym] === undefined) &&
      log[symbols.messageKeySym] === 'msg' &&
      Object.keys(log[symbols.stringifiersSym]).length === 0 &&
      log[symbols.stringifiersSym][symbols.wildcardFirstSym] === undefined &&
      typeof log[symbols.lsCacheSym][INFO] === 'string' &&
      log[symbols.streamSym][symbols.needsMetadataGsym] !== true;
    return plain ? new RequestLine(log, idLabel) : undefined;
  }

  /** Writes the line; false while someone listens on pino's diagnostics channel (then pino must write it). */
  write(request: FastifyRequest, reply: FastifyReply): boolean {
    if (pinoLines.hasSubscribers) return false;
    const id = request.id === undefined ? '' : this.idKey + jsonValue(request.id);
    const r = serializeReq(request);
    const req = `${field('method', r.method)}${field('url', r.url)}${field('route', r.route)}${field('remoteAddress', r.remoteAddress)}`;
    const time = reply.elapsedTime;
    this.stream.write(
      `${this.level}${this.time()}${this.bindings}${id},"req":{${req.slice(1)}},"res":{"statusCode":${reply.statusCode}},"responseTime":${Number.isFinite(time) ? time : null},"msg":"request completed"${this.end}`,
    );
    return true;
  }
}

/** What JSON needs escaped in a string (surrogates: JSON.stringify escapes a lone one). */
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A value as JSON.stringify writes it, without its cost for a string that needs no escape (ids, paths, addresses). */
export const jsonValue = (v: unknown): string => (typeof v === 'string' && !ESCAPED.test(v) ? `"${v}"` : JSON.stringify(v));

/** `,"name":value`, or nothing for undefined (as JSON.stringify leaves out an undefined property). */
const field = (name: string, v: string | undefined): string => (v === undefined ? '' : `,"${name}":${jsonValue(v)}`);

/**
 * Fastify's `childLoggerFactory`: each request's logger (the parent with the request id bound) is
 * made when the request first writes a line of its own, not for every request. Making a pino child
 * on the redacting logger runs the redaction over its bindings, which was a few microseconds of
 * every request on a hot path where a request that goes well writes only its request line
 * (`OneLinePerRequest`, which needs the level only). Levels are answered as the child would answer
 * them: its own level if the route set one, else the parent's.
 */
export function requestLogger(this: unknown, parent: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions): FastifyBaseLogger {
  // Not pino (logging off: Fastify's null logger, whose child is itself): as Fastify would.
  if (typeof (parent as Partial<Logger>).levels?.values !== 'object') return parent.child(bindings, opts);
  return new RequestLogger(parent as unknown as Logger, bindings, opts);
}

class RequestLogger implements FastifyBaseLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly opts: ChildLoggerOptions,
  ) {}

  private get log(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.opts));
  }

  get level(): string {
    return this.made ? this.made.level : (this.opts.level ?? this.parent.level);
  }

  set level(level: string) {
    this.log.level = level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.made) return this.made.isLevelEnabled(level);
    if (this.opts.level === undefined) return this.parent.isLevelEnabled(level);
    // The route's level, compared as pino compares (its levelComparison option).
    const values = this.parent.levels.values;
    const asked = values[level];
    const own = values[this.opts.level];
    const compare = (this.parent as unknown as Record<symbol, (a: number, b: number) => boolean>)[levelCompSym!]!;
    return asked !== undefined && own !== undefined && compare.call(this.parent, asked, own);
  }

  fatal(...args: unknown[]): void {
    this.at('fatal', args);
  }
  error(...args: unknown[]): void {
    this.at('error', args);
  }
  warn(...args: unknown[]): void {
    this.at('warn', args);
  }
  info(...args: unknown[]): void {
    this.at('info', args);
  }
  debug(...args: unknown[]): void {
    this.at('debug', args);
  }
  trace(...args: unknown[]): void {
    this.at('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.log.child(bindings, options);
  }

  private at(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]): void {
    if (this.isLevelEnabled(level)) (this.log[level] as (...a: unknown[]) => void)(...args);
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
