import { z } from 'zod';
import { canonicalTimeZone } from '../../shared/time-zones.js';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

// Digits only: z.coerce.number() would read " " as 0 (a random port) and accept "1e3" or "0x10".
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const str = () => z.string().trim().min(1);

const schema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  /** PostgreSQL connections per process: instances × workers × this must stay under the server's max_connections. */
  DATABASE_POOL_SIZE: int(1, 1000).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  DEMO_DATA: flag.optional(),
  /** Waiting accounts may be away this long (a phone's app switch) before they lose their place. */
  QUEUE_GRACE_SECONDS: int(1, 3600).default(120),
  /** Admitted accounts lose their slot sooner: while they are away, the next fan's chance waits. */
  ADMITTED_GRACE_SECONDS: int(1, 3600).default(30),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  ENABLE_LOAD_TEST_API: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_CONNECTIONS: int(1, 1_000_000).default(19_000),
  /** Mark the session cookie Secure; unset: on outside demo mode (requests over HTTPS always get it). */
  COOKIE_SECURE: flag.optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits per IP). */
  TRUST_PROXY: flag.default(false),
  WEB_DIST: z.string().min(1).default('./dist/web'),
  WORKERS: int(1, 64).default(1),
  /** smtp://user:pass@host:port (smtps:// for TLS): email goes out through it; unset: files in DATA_DIR/mail. */
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/[^\s/]+/, 'must be smtp://host:port or smtps://host:port')
    .refine((v) => URL.canParse(v), 'must be a valid URL such as smtp://user:pass@mail.example.com:587')
    .optional(),
  /** The sender of every email: an address, or a name and an address ("TicketClub <tickets@example.com>"). */
  MAIL_FROM: str()
    .regex(/^[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address or "Name <address>"')
    .default('TicketClub <tickets@localhost>'),
  /** The site's address as fans reach it, for links in emails; unset: http://localhost:PORT. */
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// address')
    .refine((v) => URL.canParse(v), 'must be a valid URL')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /**
   * GET /metrics (Prometheus); with METRICS_TOKEN it needs `Authorization: Bearer <token>`.
   * Outside demo mode it is served only with a token.
   */
  METRICS_ENABLED: flag.default(true),
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** Signups per client IP per 10 minutes, and queue joins per account per 10 seconds; 0 = no limit. */
  SIGNUP_RATE_LIMIT: int(0, 1_000_000).default(300),
  QUEUE_JOIN_RATE_LIMIT: int(0, 1_000_000).default(60),
  /** Failed logins per (email, client IP), and per client IP, in 15 minutes; past either that IP gets 429. Never off. */
  LOGIN_PAIR_RATE_LIMIT: int(1, 1_000_000).default(10),
  LOGIN_IP_RATE_LIMIT: int(1, 1_000_000).default(100),
  /** The time zone of a venue created without one (an IANA name such as Asia/Taipei). */
  DEFAULT_TIME_ZONE: z
    .string()
    .trim()
    .refine((v) => canonicalTimeZone(v) !== null, 'must be an IANA time zone such as Asia/Taipei or UTC')
    .transform((v) => canonicalTimeZone(v)!)
    .default('UTC'),
});

export type Config = z.infer<typeof schema> & {
  demoData: boolean;
  /** Whether the session cookie is always Secure: COOKIE_SECURE, else outside demo mode. */
  cookieSecure: boolean;
  /** PUBLIC_URL, else http://localhost:PORT: where links in emails point. */
  publicUrl: string;
};

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if ((c.ADMIN_EMAIL === undefined) !== (c.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD go together');
  }
  const demoData = c.DEMO_DATA ?? c.DATABASE_URL === undefined;
  // A real deployment is behind HTTPS; a demo on a laptop is plain http://localhost.
  return { ...c, demoData, cookieSecure: c.COOKIE_SECURE ?? !demoData, publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}` };
}
