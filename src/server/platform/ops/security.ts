import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { IoServer } from '../realtime.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers. The CSP allows what the built React app needs and nothing else: its own
 * scripts and styles, images from itself, data: (ticket QR codes) and https: (event posters may be
 * external URLs), and its API and Socket.IO connection on the same host. Swagger UI at /docs needs
 * inline styles, and only it gets them.
 */
export function helmetOptions(opts: { https: boolean }): FastifyHelmetOptions {
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", (req) => (isDocs(req as IncomingMessage) ? "'unsafe-inline'" : "'self'")],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: [
          "'self'",
          (req) => `ws://${hostOf(req as IncomingMessage) || 'localhost'}`,
          (req) => `wss://${hostOf(req as IncomingMessage) || 'localhost'}`,
        ],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        manifestSrc: ["'self'"],
        // Only when served over HTTPS: upgrading a plain-HTTP LAN install would break it.
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS pins browsers to HTTPS; announce it only when the operator says the site is HTTPS.
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  };
}

const hostOf = (req: IncomingMessage) => {
  const h = req.headers['x-forwarded-host'] ?? req.headers.host ?? '';
  return (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim().replace(/[^A-Za-z0-9.:[\]-]/g, '') ?? '';
};
const isDocs = (req: IncomingMessage) => req.url === '/docs' || (req.url?.startsWith('/docs/') ?? false);

// helmet's own CSP middleware, as @fastify/helmet re-exports it at runtime (its types leave it off the default export).
type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
const cspMiddleware = (helmet as unknown as { contentSecurityPolicy: (o: unknown) => Middleware }).contentSecurityPolicy;

/**
 * What a JSON answer of the API needs, and no more: it is never a document, so nothing may load
 * from it or frame it (OWASP's REST headers), it is not sniffed into something else, and it is not
 * read by another site's page. Helmet's document headers (a CSP for the app, COOP, the DNS
 * prefetch and download switches) describe pages; on the API they were two thirds of every
 * answer's bytes and a measurable share of its CPU (docs/benchmarks.md).
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** Whether a request is for the API, whose answers are JSON or a download, never a page. */
export const isApi = (url: string) => url.startsWith('/api/');

/** Distinct CSP values kept; past it (a client inventing Host headers) the value is computed each time. */
const MAX_CSP_VARIANTS = 256;

/**
 * The headers helmet would set on a page, at the price of a map lookup (API answers get
 * API_HEADERS, HSTS included when the site is HTTPS). @fastify/helmet builds helmet's whole
 * middleware, CSP parsing and validation included, again for every request (the largest single
 * cost of a small JSON answer). The same options go through helmet once here instead: the static
 * headers are read off one request to a private instance, and the CSP, which varies only with
 * the host and /docs, is kept per variant. Returns what sets them on one request: installOps calls
 * it from its one onRequest hook.
 */
export async function securityHeadersSetter(opts: { https: boolean }): Promise<(req: FastifyRequest, reply: FastifyReply) => void> {
  const options = helmetOptions(opts);
  const probe = Fastify({ logger: false });
  await probe.register(helmet, { ...options, contentSecurityPolicy: false });
  probe.get('/', async () => '');
  const probed = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  const own = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
  const staticHeaders = Object.fromEntries(Object.entries(probed.headers).filter(([k]) => !own.has(k)));
  const hsts = staticHeaders['strict-transport-security'];
  const apiHeaders = { ...API_HEADERS, ...(hsts === undefined ? {} : { 'strict-transport-security': hsts }) };

  const csp = cspMiddleware(options.contentSecurityPolicy);
  const cspByVariant = new Map<string, string>();
  const fail = (err?: unknown) => {
    if (err) throw err;
  };
  return (req, reply) => {
    if (isApi(req.url)) {
      reply.headers(apiHeaders);
      return;
    }
    reply.headers(staticHeaders);
    // Keyed by the raw header values (the CSP is a function of them): no cleaning on a hit. A
    // header value cannot hold a newline, so the parts cannot run into each other.
    const h = req.raw.headers;
    const key = `${isDocs(req.raw) ? 'docs' : 'app'}\n${h['x-forwarded-host'] === undefined ? '-' : `+${String(h['x-forwarded-host'])}`}\n${h.host ?? ''}`;
    const known = cspByVariant.get(key);
    if (known !== undefined) {
      // Through Fastify, not res.setHeader: a response with no header set on it directly has its
      // headers written in one pass (Node validates each header set with setHeader a second time).
      reply.header('content-security-policy', known);
      return;
    }
    csp(req.raw, reply.raw, fail);
    const value = reply.raw.getHeader('content-security-policy');
    if (typeof value === 'string' && cspByVariant.size < MAX_CSP_VARIANTS) cspByVariant.set(key, value);
  };
}

/** Whether an Origin or Referer value names the host the request was sent to. */
export function sameHost(source: string, host: string): boolean {
  try {
    const from = new URL(source);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // Parsed with the source's scheme, so a default port written out (Host: example.com:443) compares equal.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false; // "null" (sandboxed frames, file:) or garbage
  }
}

/**
 * CSRF: a state-changing request authenticated by the session cookie must come from our own pages.
 * A browser names the page's origin (Origin, else Referer); when that is another host, 403.
 * Requests with a bearer token are exempt (a token is never sent by the browser on its own), and so
 * are requests with neither header (not a browser; SameSite=Lax covers old browsers).
 */
export function csrfRefusal(sentByCookie: (req: FastifyRequest) => boolean): (req: FastifyRequest) => AppError | undefined {
  return (req) => {
    if (!STATE_CHANGING.has(req.method) || !sentByCookie(req)) return undefined;
    const source = req.headers.origin ?? req.headers.referer;
    return source !== undefined && !sameHost(source, req.host) ? new AppError('CSRF_FAILED') : undefined;
  };
}

/** The same rule for the realtime handshake: a cookie-authenticated socket from another site is refused. */
export function socketCsrfProtection(io: IoServer, sessionCookie: string): void {
  io.use((socket, next) => {
    const { auth, headers } = socket.handshake;
    if (typeof (auth as { token?: unknown }).token === 'string') return next();
    if (!headers.cookie?.includes(`${sessionCookie}=`)) return next();
    const source = headers.origin ?? headers.referer;
    const host = String(headers['x-forwarded-host'] ?? headers.host ?? '').split(',')[0]!.trim();
    if (source === undefined || sameHost(source, host)) return next();
    next(Object.assign(new Error('The request did not come from this site.'), { data: { code: 'CSRF_FAILED' } }));
  });
}
