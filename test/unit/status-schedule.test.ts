/**
 * When a watcher whose place did not change hears its status again (a changed place is told at the
 * next tick whatever the schedule says): the front often, the far back rarely, an early entry every
 * few seconds and at the draw.
 */
import { describe, expect, it } from 'vitest';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { refreshInterval } from '../../src/server/modules/queue/queue-gateway.js';

const now = Date.parse('2026-12-01T12:00:00Z');
const waiting = (position: number): QueueStatusEvent => ({
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
