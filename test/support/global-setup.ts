/**
 * Probes Chromium, PostgreSQL and Redis once for the whole run and hands the result to the workers.
 * Without CI the suites that need a missing one are skipped and the run's last lines say so; with
 * CI=true a missing one fails the run before any test starts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PG_URL, REDIS_URL } from './harness-env.js';
import { ciFailure, probeAll, skipSummary, type Service } from './services.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const probes = await probeAll({ postgres: PG_URL, redis: REDIS_URL });
  const failure = ciFailure(probes);
  if (failure) throw failure;
  const dir = mkdtempSync(join(tmpdir(), 'ticketclub-skips-'));
  const skipLog = join(dir, 'skipped.tsv');
  project.provide('testServices', probes);
  project.provide('testSkipLog', skipLog);

  return () => {
    const skipped = new Map<Service, string[]>();
    let log = '';
    try {
      log = readFileSync(skipLog, 'utf8');
    } catch {
      // nothing was skipped
    }
    for (const line of log.split('\n').filter(Boolean)) {
      const [service, suite] = line.split('\t') as [Service, string];
      const list = skipped.get(service) ?? [];
      if (!list.includes(suite)) list.push(suite);
      skipped.set(service, list);
    }
    rmSync(dir, { recursive: true, force: true });
    const lines = skipSummary(probes, skipped);
    if (lines.length > 0) console.log(`\n${lines.join('\n')}\n`);
  };
}
