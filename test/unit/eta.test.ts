import { describe, expect, it } from 'vitest';
import { etaLikelySeconds, etaSeconds } from '../../src/server/modules/queue/eta.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');

describe('etaSeconds (the seed formula of docs/api.md)', () => {
  it('when the first waiter waits for an account admitted 10 s ago, then the wait is the rest of its window plus the buffer', () => {
    expect(etaSeconds({ position: 1, capacity: 3, windowSeconds: 600, refAdmittedAt: T0, now: T0 + 10_000 })).toBe(600);
  });

  it('when the waiter is a full lap behind, then it waits one more window', () => {
    // q = 3, C = 3: floor(q/C)+1 = 2 windows from t[0].
    expect(etaSeconds({ position: 4, capacity: 3, windowSeconds: 600, refAdmittedAt: T0, now: T0 })).toBe(1210);
  });

  it('when the referenced admission does not exist, then it counts as now', () => {
    expect(etaSeconds({ position: 2, capacity: 3, windowSeconds: 60, refAdmittedAt: null, now: T0 })).toBe(70);
  });

  it('when the window is already over, then only the buffer is left', () => {
    expect(etaSeconds({ position: 1, capacity: 1, windowSeconds: 60, refAdmittedAt: T0, now: T0 + 120_000 })).toBe(10);
  });

  it('rounds partial seconds down', () => {
    expect(etaSeconds({ position: 1, capacity: 1, windowSeconds: 60, refAdmittedAt: T0, now: T0 + 1_500 })).toBe(58 + 10);
  });
});

describe('etaLikelySeconds', () => {
  it('when nothing has been observed yet, then it is the worst case', () => {
    expect(etaLikelySeconds({ position: 10, admissionsPerSecond: 0, worstCase: 700 })).toBe(700);
  });
  it('when the line moves 2 per second, then position 100 waits about 50 s plus the buffer', () => {
    expect(etaLikelySeconds({ position: 100, admissionsPerSecond: 2, worstCase: 700 })).toBe(60);
  });
  it('is never above the worst case', () => {
    expect(etaLikelySeconds({ position: 1000, admissionsPerSecond: 0.01, worstCase: 700 })).toBe(700);
  });
});
