import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, utcToWallClock, wallClockToUtc, zoneOffsetMs } from '../../src/shared/time-zones.js';

const HOUR = 3_600_000;

describe('time zone names', () => {
  it('when a name is an IANA zone, then its canonical spelling comes back', () => {
    expect(canonicalTimeZone('Asia/Taipei')).toBe('Asia/Taipei');
    expect(canonicalTimeZone('asia/taipei')).toBe('Asia/Taipei');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    // Links resolve to what this engine's tz data calls the zone (Buenos_Aires with or without Argentina/).
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toMatch(/^America\/(Argentina\/)?Buenos_Aires$/);
  });

  it('when a name is not a zone (unknown, an offset, empty, junk), then it is refused', () => {
    for (const bad of ['Mars/Olympus_Mons', 'Asia/Taipeh', '+08:00', 'GMT+8:00', '', ' Asia/Taipei', 'Asia/Taipei\u0000', '../etc', 'x'.repeat(100)]) {
      expect(canonicalTimeZone(bad), bad).toBeNull();
    }
  });
});

describe('wall clock <-> UTC', () => {
  it('when a Taipei organizer enters 19:30, then the show starts at 11:30 UTC and reads 19:30 back', () => {
    expect(wallClockToUtc('2030-03-14T19:30', 'Asia/Taipei')).toBe('2030-03-14T11:30:00.000Z');
    expect(utcToWallClock('2030-03-14T11:30:00.000Z', 'Asia/Taipei')).toBe('2030-03-14T19:30');
  });

  it('when the wall clock is just past midnight east of UTC, then the UTC instant is the day before', () => {
    expect(wallClockToUtc('2030-01-01T00:15', 'Asia/Tokyo')).toBe('2029-12-31T15:15:00.000Z');
    expect(wallClockToUtc('2030-01-01T23:45', 'America/Los_Angeles')).toBe('2030-01-02T07:45:00.000Z');
  });

  it('when Berlin is on summer and on winter time, then 19:30 is 17:30 and 18:30 UTC', () => {
    expect(wallClockToUtc('2026-07-01T19:30', 'Europe/Berlin')).toBe('2026-07-01T17:30:00.000Z');
    expect(wallClockToUtc('2026-12-01T19:30', 'Europe/Berlin')).toBe('2026-12-01T18:30:00.000Z');
  });

  it('when the time is on either side of the spring switch in Berlin, then each side uses its own offset', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    expect(wallClockToUtc('2026-03-29T01:59', 'Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    expect(wallClockToUtc('2026-03-29T03:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(wallClockToUtc('2026-03-29T19:30', 'Europe/Berlin')).toBe('2026-03-29T17:30:00.000Z');
  });

  it('when the time falls in the spring gap (02:30 never happens in Berlin), then it moves forward by the gap', () => {
    const iso = wallClockToUtc('2026-03-29T02:30', 'Europe/Berlin')!;
    expect(iso).toBe('2026-03-29T01:30:00.000Z');
    expect(utcToWallClock(iso, 'Europe/Berlin')).toBe('2026-03-29T03:30');
  });

  it('when the time happens twice (02:30 on the autumn night in Berlin), then it is the first of the two', () => {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC).
    expect(wallClockToUtc('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(utcToWallClock('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T02:30');
    expect(utcToWallClock('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T02:30');
    expect(wallClockToUtc('2026-10-25T03:00', 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('when every half hour of a year in New York goes to UTC and back, then the wall clock is unchanged (outside the gap)', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    let checked = 0;
    for (let t = start; t < start + 366 * 24 * HOUR; t += 30 * 60_000) {
      const wall = utcToWallClock(new Date(t).toISOString(), 'America/New_York');
      const iso = wallClockToUtc(wall, 'America/New_York')!;
      // The autumn hour reads the same twice: its second pass maps back to the first.
      const offset = zoneOffsetMs(t, 'America/New_York');
      expect(Date.parse(iso) === t || Date.parse(iso) === t - HOUR, `${wall} offset ${offset}`).toBe(true);
      expect(utcToWallClock(iso, 'America/New_York')).toBe(wall);
      checked++;
    }
    expect(checked).toBeGreaterThan(17_000);
  });

  it('when the value is not a wall clock or not a real day, then there is no instant', () => {
    for (const bad of ['', '2030-03-14', '2030-03-14 19:30', '2030-02-31T19:30', '2030-03-14T24:00', '2030-03-14T19:60', '19:30']) {
      expect(wallClockToUtc(bad, 'Asia/Taipei'), bad).toBeNull();
    }
    expect(utcToWallClock('not a date', 'Asia/Taipei')).toBe('');
  });

  it('when the offset is asked, then it is the zone offset at that instant', () => {
    expect(zoneOffsetMs(Date.parse('2030-03-14T11:30:00Z'), 'Asia/Taipei')).toBe(8 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(HOUR);
    expect(zoneOffsetMs(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.parse('2030-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });
});
