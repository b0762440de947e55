import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ciFailure, findChromium, isCi, probePostgres, probeRedis, skipSummary, type Probes } from '../support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'tc-services-'));
const exe = join(dir, 'chromium');
writeFileSync(exe, '#!/bin/sh\n');
chmodSync(exe, 0o755);
const plain = join(dir, 'not-executable');
writeFileSync(plain, '');
const nowhere = join(dir, 'missing', 'chromium');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding Chromium', () => {
  it('when CHROMIUM_PATH is set, then only it counts, even where the usual path has one', () => {
    expect(findChromium({ CHROMIUM_PATH: exe }, nowhere)).toMatchObject({ ok: true, at: exe });
    expect(findChromium({ CHROMIUM_PATH: plain, PATH: dir }, exe)).toMatchObject({ ok: false, reason: expect.stringContaining('CHROMIUM_PATH') });
    expect(findChromium({ CHROMIUM_PATH: '/nonexistent', PATH: dir }, exe).ok).toBe(false);
  });

  it('when CHROMIUM_PATH is unset, then the usual path, else an executable chromium on PATH', () => {
    expect(findChromium({ PATH: '' }, exe)).toMatchObject({ ok: true, at: exe });
    expect(findChromium({ PATH: `/nonexistent:${dir}` }, nowhere)).toMatchObject({ ok: true, at: exe });
  });

  it('when nothing executable is found, then there is no browser', () => {
    const onlyPlain = mkdtempSync(join(dir, 'path-'));
    writeFileSync(join(onlyPlain, 'chromium'), '');
    expect(findChromium({ PATH: onlyPlain }, plain)).toMatchObject({ ok: false, reason: expect.stringContaining('no executable chromium') });
  });
});

describe('probing services', () => {
  it('when PostgreSQL or Redis cannot be reached, then the probe says so within a couple of seconds', async () => {
    const t0 = Date.now();
    const [pg, redis] = await Promise.all([probePostgres('postgres://postgres@127.0.0.1:1/x'), probeRedis('redis://127.0.0.1:1')]);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(pg).toMatchObject({ ok: false, reason: expect.stringContaining('ECONNREFUSED') });
    expect(redis).toMatchObject({ ok: false, reason: expect.stringContaining('ECONNREFUSED') });
  });
});

const missingAll: Probes = {
  browser: { ok: false, at: '/nonexistent', reason: 'CHROMIUM_PATH=/nonexistent is not an executable file' },
  postgres: { ok: false, at: 'postgres://h:1/x', reason: 'postgres://h:1/x cannot be reached (ECONNREFUSED)' },
  redis: { ok: true, at: 'redis://h:6379' },
};

describe('what a run does with missing services', () => {
  it('when CI is set, then a missing service is an error naming each one; without CI it is not', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
    const err = ciFailure(missingAll, { CI: 'true' });
    expect(err?.message).toMatch(/Chromium.*PostgreSQL/s);
    expect(err?.message).not.toMatch(/Redis:/);
    expect(ciFailure(missingAll, {})).toBeUndefined();
    expect(ciFailure({ ...missingAll, browser: { ok: true, at: exe }, postgres: { ok: true, at: 'x' } }, { CI: 'true' })).toBeUndefined();
  });

  it('the closing lines say which suites were skipped, why, and how to enable them', () => {
    const lines = skipSummary(missingAll, new Map([['postgres', ['test/api/seats.test.ts › seats on postgres']]]));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^skipped: suites needing Chromium because CHROMIUM_PATH=\/nonexistent .* — enable by .*CHROMIUM_PATH/);
    expect(lines[1]).toMatch(/^skipped: 1 suite needing PostgreSQL \(test\/api\/seats.test.ts › seats on postgres\) because .*ECONNREFUSED.* — enable by .*TEST_DATABASE_URL/);
  });
});
