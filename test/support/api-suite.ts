import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { newAdmin } from './api-client.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';
import { startSmtp, type TestSmtp } from './mail.js';
import { connect, type ClientSocket } from './sockets.js';

/** Starting PGlite (or a PostgreSQL schema), migrating it and hashing the admin's password take a while on a busy shared machine. */
const SETUP_TIMEOUT = 180_000;
const TEARDOWN_TIMEOUT = 120_000;

/** What `useHarness` gives a describe block; its fields are set once the block's beforeAll has run. */
export interface ApiSuite {
  h: Harness;
  /** `h.ticketClub.app`. */
  app: FastifyInstance;
  /** A session token of an admin account (unless `admin: false`). */
  admin: string;
  /** The base URL the app listens on (with `listen: true`). */
  url: string;
  /** The SMTP server the app sends through (with `smtp: true`): empty, and accepting, at the start of each test. */
  smtp: TestSmtp;
  /** A Socket.IO client logged in with `token` (with `listen: true`); disconnected before the app closes. */
  open(token: string): Promise<ClientSocket>;
}

export interface ApiSuiteOptions extends HarnessOptions {
  /** Create an admin account and log it in (default true). */
  admin?: boolean;
  /** Listen on a random loopback port (for sockets). */
  listen?: boolean;
  /** Send the app's mail to a real SMTP server in this process (SMTP_URL), with PUBLIC_URL https://tickets.example.test. */
  smtp?: boolean;
}

/**
 * The in-process app for the tests of one describe block: started in a beforeAll (with an admin,
 * and the SMTP server or the listening port when asked), closed in an afterAll. `ready` runs at the
 * end of that beforeAll, for the block's own setup on the started app.
 */
export function useHarness(opts: ApiSuiteOptions = {}, ready?: (suite: ApiSuite) => unknown): ApiSuite {
  const { admin = true, listen = false, smtp = false, ...harness } = opts;
  const sockets: ClientSocket[] = [];
  const suite: Partial<ApiSuite> = {
    async open(token) {
      const s = await connect(suite.url!, token);
      sockets.push(s);
      return s;
    },
  };
  beforeAll(async () => {
    if (smtp) suite.smtp = await startSmtp();
    const env = suite.smtp ? { SMTP_URL: suite.smtp.url, PUBLIC_URL: 'https://tickets.example.test', ...harness.env } : harness.env;
    suite.h = await startHarness({ ...harness, env });
    suite.app = suite.h.ticketClub.app;
    if (listen) suite.url = await suite.h.listen();
    if (admin) suite.admin = await newAdmin(suite.h.ticketClub, suite.app);
    await ready?.(suite as ApiSuite);
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await suite.h?.close();
    await suite.smtp?.close();
  }, TEARDOWN_TIMEOUT);
  if (smtp) {
    beforeEach(() => {
      suite.smtp!.received.length = 0;
      suite.smtp!.refuseNext(0);
    });
  }
  return suite as ApiSuite;
}
