/**
 * Suites that need Chromium, PostgreSQL or Redis: skipped (and noted for the run's closing lines)
 * when global-setup.ts did not find them, so the PGlite and in-process variants always run.
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, inject, it, TestRunner } from 'vitest';
import { DB_KINDS, type DbKind } from './harness.js';
import type { Service } from './services.js';

export type StoreKind = 'memory' | 'redis';
const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

// The PostgreSQL variants run as deployed with PostgreSQL: beside Redis (several of them use both).
const DB_NEEDS: Record<DbKind, Service[]> = { pglite: [], postgres: ['postgres', 'redis'] };
const STORE_NEEDS: Record<StoreKind, Service[]> = { memory: [], redis: ['redis'] };

/** The services of `needs` this run does not have. */
export function missing(needs: Service[]): Service[] {
  const probes = inject('testServices');
  return needs.filter((s) => !probes[s].ok);
}

function noteSkip(absent: Service[], title: string): void {
  const file = TestRunner.getCurrentSuite()?.file?.filepath;
  const where = file ? `${relative(process.cwd(), file)} › ${title}` : title;
  appendFileSync(inject('testSkipLog'), absent.map((s) => `${s}\t${where}\n`).join(''));
}

/** A describe that runs only where every service of `needs` is reachable. */
export function describeNeeding(needs: Service[], title: string, fn: () => void): void {
  const absent = missing(needs);
  if (absent.length > 0) noteSkip(absent, title);
  describe.skipIf(absent.length > 0)(title, fn);
}

/** An it that runs only where every service of `needs` is reachable. */
export function itNeeding(needs: Service[], title: string, fn: () => Promise<void>, timeout?: number): void {
  const absent = missing(needs);
  if (absent.length > 0) noteSkip(absent, title);
  it.skipIf(absent.length > 0)(title, fn, timeout);
}

/** `describe.each(DB_KINDS)`, with the PostgreSQL variant skipped where PostgreSQL is not reachable. */
export function describeOnEachDatabase(title: string, fn: (kind: DbKind) => void): void {
  for (const kind of DB_KINDS) describeNeeding(DB_NEEDS[kind], title.replace('%s', kind), () => fn(kind));
}

/** The same for the waiting-room store: the in-process store always, Redis where reachable. */
export function describeOnEachStore(title: string, fn: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) describeNeeding(STORE_NEEDS[kind], title.replace('%s', kind), () => fn(kind));
}
