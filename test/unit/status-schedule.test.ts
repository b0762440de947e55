/**
 * When a watcher whose place did not change hears its status again (a changed place is told at the
 * next tick whatever the schedule says): the front often, the far back rarely, an early entry every
 * few seconds and at the draw.
 */
import { describe, expect, it } from 'vitest';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { refreshInterval, sameness, worthTelling } from '../../src/server/modules/queue/queue-gateway.js';

const now = Date.parse('2026-12-01T12:00:00Z');
type Waiting = Extract<QueueStatusEvent, { state: 'waiting' }>;
const waiting = (position: number): Waiting => ({
  showId: 's',
  at: new Date(now).toISOString(),
  state: 'waiting',
  position,
  etaSeconds: 60,
  etaLikelySeconds: 60,
  seatsLeft: 10,
});
const early = (drawInMs: number): QueueStatusEvent => ({
  showId: 's',
  at: new Date(now).toISOString(),
  state: 'early',
  entryId: 'e',
  drawAt: new Date(now + drawInMs).toISOString(),
  entrants: 3,
});

describe('status refresh schedule', () => {
  it('refreshes the front every second, the middle every 5 s and the far back every 30-45 s', () => {
    expect(refreshInterval(waiting(1), 100, now)).toBe(1_000);
    expect(refreshInterval(waiting(300), 100, now)).toBe(1_000);
    expect(refreshInterval(waiting(301), 100, now)).toBe(5_000);
    expect(refreshInterval(waiting(5_000), 100, now)).toBe(5_000);
    for (let i = 0; i < 50; i++) {
      const back = refreshInterval(waiting(5_001 + i * 1_000), 100, now);
      expect(back).toBeGreaterThanOrEqual(30_000);
      expect(back).toBeLessThan(45_000);
    }
  });

  it('reads an early entry every 5 s, again at the draw, and every second once the draw is due', () => {
    expect(refreshInterval(early(60_000), 100, now)).toBe(5_000);
    expect(refreshInterval(early(1_200), 100, now)).toBe(1_200);
    expect(refreshInterval(early(0), 100, now)).toBe(1_000);
    expect(refreshInterval(early(-3_000), 100, now)).toBe(1_000);
  });

  it('reads a watcher that is not in line every second', () => {
    expect(refreshInterval({ showId: 's', at: new Date(now).toISOString(), state: 'none' }, 100, now)).toBe(1_000);
  });
});

describe('what a waiter whose place was looked at is told', () => {
  /** The same waiter `s` seconds later, its estimates as given. */
  const later = (s: number, change: Partial<Waiting>): Waiting => ({ ...waiting(40), at: new Date(now + s * 1000).toISOString(), ...change });
  const told = { ...waiting(40), etaSeconds: 600, etaLikelySeconds: 300 };

  it('tells the first status, a new place and new seats left', () => {
    expect(worthTelling(undefined, told)).toBe(true);
    expect(worthTelling(told, later(1, { position: 39, etaSeconds: 599, etaLikelySeconds: 299 }))).toBe(true);
    expect(worthTelling(told, later(1, { seatsLeft: 9, etaSeconds: 599, etaLikelySeconds: 299 }))).toBe(true);
  });

  it('does not tell estimates that the page counts down to the same figures', () => {
    expect(worthTelling(told, later(30, { etaSeconds: 570, etaLikelySeconds: 270 }))).toBe(false);
    // Rounding to whole seconds is not news.
    expect(worthTelling(told, later(30.6, { etaSeconds: 570, etaLikelySeconds: 270 }))).toBe(false);
  });

  it('tells a worst case 2 s away from its countdown, and a likely estimate off by 2 s or a tenth of itself', () => {
    expect(worthTelling(told, later(30, { etaSeconds: 572, etaLikelySeconds: 270 }))).toBe(true);
    expect(worthTelling(told, later(30, { etaSeconds: 570, etaLikelySeconds: 290 }))).toBe(false);
    expect(worthTelling(told, later(30, { etaSeconds: 570, etaLikelySeconds: 300 }))).toBe(true);
    const near = { ...told, etaLikelySeconds: 12 };
    expect(worthTelling(near, later(1, { etaSeconds: 599, etaLikelySeconds: 11 }))).toBe(false);
    expect(worthTelling(near, later(1, { etaSeconds: 599, etaLikelySeconds: 13 }))).toBe(true);
  });

  it('tells a worst case that stays at the buffer while its countdown went below it (a window that overran)', () => {
    const due = { ...told, etaSeconds: 12 };
    expect(worthTelling(due, later(1, { etaSeconds: 11, etaLikelySeconds: 299 }))).toBe(false);
    expect(worthTelling(due, later(4, { etaSeconds: 10, etaLikelySeconds: 296 }))).toBe(true);
  });
});

describe('sameness: when a watcher not waiting is told again', () => {
  const at = (ms: number) => new Date(now + ms).toISOString();
  const admitted = (ms: number, expiresAt = at(600_000)): QueueStatusEvent => ({ showId: 's', at: at(ms), state: 'admitted', admittedAt: at(0), expiresAt });
  const early = (ms: number, entrants: number): QueueStatusEvent => ({ showId: 's', at: at(ms), state: 'early', entryId: 'e1', drawAt: at(60_000), entrants });
  const none = (ms: number): QueueStatusEvent => ({ showId: 's', at: at(ms), state: 'none' });

  it('when only the time it was read at differs, then it says the same; when a field or the state changes, then it does not', () => {
    expect(sameness(admitted(1_000))).toBe(sameness(admitted(5_000)));
    expect(sameness(none(1_000))).toBe(sameness(none(9_000)));
    expect(sameness(early(1_000, 3))).toBe(sameness(early(6_000, 3)));
    expect(sameness(admitted(1_000))).not.toBe(sameness(admitted(1_000, at(900_000))));
    expect(sameness(early(1_000, 3))).not.toBe(sameness(early(1_000, 4)));
    expect(sameness(none(1_000))).not.toBe(sameness(admitted(1_000)));
    expect(sameness(none(1_000))).not.toBe(sameness(waiting(1)));
  });
});
