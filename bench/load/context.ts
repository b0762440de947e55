/** What every scenario gets: the targets, an admin session, the options, and a place to register cleanup. */
import type { JsonClient } from './http.js';
import type { Progress } from './progress.js';
import type { ServerInstance } from './servers.js';

export interface CommonOptions {
  urls?: string[];
  instances: number;
  serverWorkers?: number;
  clients?: number;
  grace: number;
  capacity?: number;
  window?: number;
  pg: string;
  /** DATABASE_POOL_SIZE of each started server process (default: 80 connections shared out). */
  pgPool?: number;
  schema?: string;
  redis: string;
  adminEmail?: string;
  adminPassword?: string;
  srcBase: string;
  perAddress: number;
  out: string;
  maxSeconds?: number;
  seed: number;
  keep: boolean;
}

export interface Context {
  runId: string;
  started: Date;
  progress: Progress;
  instances: ServerInstance[];
  /** The main process's own client (admin calls, stats sampling, the line mover). */
  http: JsonClient;
  adminToken: string;
  /** True when this run started the servers (and so may kill one, and drops the schema after). */
  managed: boolean;
  /** PostgreSQL of the servers, for the checks that read the database (unknown for some --url runs). */
  db?: { url: string; schema?: string };
  redisUrl?: string;
  common: CommonOptions;
  deadlineAt: number;
  aborted(): boolean;
  log(line: string): void;
  /** Remembered for the end of the run (Redis keys of the show, ...). */
  onCleanup(fn: () => Promise<void>): void;
}

/** Environment of an instance started by the tool (besides PORT). */
export function serverEnv(c: CommonOptions, schema: string, admin: { email: string; password: string }): Record<string, string> {
  const env: Record<string, string> = {
    DATABASE_URL: c.pg,
    DATABASE_SCHEMA: schema,
    REDIS_URL: c.redis,
    ENABLE_LOAD_TEST_API: '1',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'warn',
    WEB_DIST: '/nonexistent',
    QUEUE_GRACE_SECONDS: String(c.grace),
    ADMITTED_GRACE_SECONDS: String(c.grace),
    DEMO_DATA: '0',
  };
  if (c.serverWorkers && c.serverWorkers > 1) env.WORKERS = String(c.serverWorkers);
  // All processes share one PostgreSQL (max_connections 100 by default): beyond it, handshakes fail
  // with "too many clients". Keep 20 for the tool's own checks and psql.
  const processes = c.instances * Math.max(1, c.serverWorkers ?? 1);
  env.DATABASE_POOL_SIZE = String(c.pgPool ?? Math.max(2, Math.min(10, Math.floor(80 / processes))));
  return env;
}
