import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../src/web/features/admin/chart-scale.js';

describe("the dashboard charts' value axis", () => {
  it('when values are counts, then the ticks are whole round numbers from 0 that reach the largest value', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(10)).toEqual([0, 5, 10]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(12_000)).toEqual([0, 5000, 10_000, 15_000]);
    expect(niceTicks(99_999)).toEqual([0, 25_000, 50_000, 75_000, 100_000]);
  });

  it('when fractions are allowed, then steps may be below one, still round', () => {
    expect(niceTicks(0.7, { integer: false })).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0.03, { integer: false })).toEqual([0, 0.01, 0.02, 0.03]);
  });

  it('for any value, then there are at most about five steps, each round, and the top is at or above the value', () => {
    for (const v of [1, 2, 5, 9, 11, 19, 37, 101, 999, 4_321, 65_536, 1_000_001]) {
      const ticks = niceTicks(v);
      const step = ticks[1]!;
      expect(ticks.at(-1)!, String(v)).toBeGreaterThanOrEqual(v);
      expect(ticks.length, String(v)).toBeLessThanOrEqual(6);
      expect(Number.isInteger(step)).toBe(true);
      expect(step / 10 ** Math.floor(Math.log10(step)), String(v)).toSatisfy((m: number) => [1, 2, 2.5, 5].includes(m));
    }
  });
});
