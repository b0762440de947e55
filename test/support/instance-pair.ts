import { afterAll, beforeAll } from 'vitest';
import { uniqueName } from './harness-env.js';
import { dropSchema, http, startInstance, type Instance } from './instances.js';
import type { ClientSocket } from './sockets.js';

/** The admin every instance pair is started with (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const PAIR_ADMIN = { email: 'ops@example.com', password: 'opsopsops' };

export interface InstancePair {
  a: Instance;
  b: Instance;
  /** A session of PAIR_ADMIN. */
  adminToken: string;
  /** Sockets the suite opened: disconnected before the instances stop. */
  sockets: ClientSocket[];
  schema: string;
}

/**
 * Two server processes on one fresh PostgreSQL schema and the shared Redis, started before the
 * suite's tests and stopped after them (sockets first, then the processes, then the schema).
 * Call it in a describe block; its fields are there once beforeAll has run.
 */
export function useInstancePair(name: string, env: Record<string, string> = {}): InstancePair {
  const pair = { sockets: [] as ClientSocket[], schema: uniqueName(name) } as InstancePair;
  beforeAll(async () => {
    const all = { DATABASE_SCHEMA: pair.schema, ADMIN_EMAIL: PAIR_ADMIN.email, ADMIN_PASSWORD: PAIR_ADMIN.password, ...env };
    [pair.a, pair.b] = await Promise.all([startInstance(all), startInstance(all)]);
    pair.adminToken = (await http(pair.a.url, 'POST', '/api/auth/login', { body: PAIR_ADMIN })).body.token;
  }, 120_000);
  afterAll(async () => {
    for (const s of pair.sockets) s.disconnect();
    await Promise.all([pair.a?.stop(), pair.b?.stop()]);
    await dropSchema(pair.schema);
  });
  return pair;
}
