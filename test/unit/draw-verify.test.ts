import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkDraw, recomputeOrder } from '../../src/shared/draw-verify.js';
import { commitmentOf, drawOrder } from '../../src/server/modules/queue/draw.js';

describe('checking a published draw (Web Crypto, as the browser and verify-draw do)', () => {
  const seed = randomBytes(32);
  const entries = Array.from({ length: 200 }, () => randomBytes(16).toString('base64url'));
  const published = { commitment: commitmentOf(seed), seed: seed.toString('hex'), entries: drawOrder(seed, entries) };

  it('recomputes the order the server draws, and the commitment is sha256 of the seed bytes', async () => {
    expect(published.commitment).toBe(createHash('sha256').update(seed).digest('hex'));
    expect(await recomputeOrder(published.seed, [...entries].reverse())).toEqual(published.entries);
    expect(await checkDraw(published)).toEqual({ ok: true, problem: null, recomputed: published.entries });
    // The order is not the entry order: a draw that kept it would be no draw.
    expect(published.entries).not.toEqual(entries);
  });

  it('finds a swapped pair, another seed, a seed that is not the committed one, and an undrawn draw', async () => {
    const swapped = [...published.entries];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(await checkDraw({ ...published, entries: swapped })).toMatchObject({ ok: false, problem: expect.stringMatching(/^position 4:/) });
    const other = randomBytes(32);
    expect((await checkDraw({ ...published, seed: other.toString('hex') })).problem).toMatch(/not the commitment/);
    expect((await checkDraw({ commitment: commitmentOf(other), seed: other.toString('hex'), entries: published.entries })).problem).toMatch(/^position/);
    expect((await checkDraw({ ...published, seed: 'zz' })).problem).toMatch(/not 32 bytes/);
    expect((await checkDraw({ ...published, seed: null, entries: null })).problem).toBe('not drawn yet');
  });
});
