/**
 * Time zones of venues: validating IANA names and converting between a venue's wall clock
 * ("2030-03-14T19:30" in Asia/Taipei) and UTC instants, with Intl only (server and browser alike).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

// A zone name as IANA spells it: "UTC", "Asia/Taipei", "America/Argentina/Buenos_Aires", "Etc/GMT+8".
// Intl also accepts offsets ("+08:00") in newer engines: those are not places and have no DST rules.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * The canonical spelling of an IANA time zone name ("asia/taipei" -> "Asia/Taipei"), or null when
 * this engine does not know the zone.
 */
export function canonicalTimeZone(name: string): string | null {
  if (name.length === 0 || name.length > 64 || !IANA_SHAPE.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return IANA_SHAPE.test(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== null;

/** The zone's offset from UTC at `instant`, in milliseconds (Asia/Taipei: +8 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(seconds))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - seconds;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The UTC instant (ISO-8601) at which the clocks of `timeZone` read `wallClock`
 * ("YYYY-MM-DDTHH:mm", what a datetime-local input holds), or null when it is not such a value.
 *
 * Around DST changes it resolves like Temporal's "compatible": a time that happens twice (the
 * autumn hour) is its first occurrence; a time that never happens (the spring gap) moves forward by
 * the gap, so 02:30 on the spring night in Berlin is 03:30 CEST.
 */
export function wallClockToUtc(wallClock: string, timeZone: string): string | null {
  const m = WALL_CLOCK.exec(wallClock);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(asUtc);
  // Date.UTC rolls 2030-02-31 over into March: refuse it instead of answering another day.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The offsets in force a day either side: no zone changes its offset twice within two days.
  const before = zoneOffsetMs(asUtc - 86_400_000, timeZone);
  const after = zoneOffsetMs(asUtc + 86_400_000, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => instant + zoneOffsetMs(instant, timeZone) === asUtc)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? asUtc - before;
  return new Date(instant).toISOString();
}

/** What the clocks of `timeZone` read at `iso`, as "YYYY-MM-DDTHH:mm" (a datetime-local value); '' for a bad date. */
export function utcToWallClock(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const local = new Date(t + zoneOffsetMs(t, timeZone));
  return local.toISOString().slice(0, 16);
}
