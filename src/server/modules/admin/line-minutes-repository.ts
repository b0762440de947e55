import type { Queryable } from '../../platform/database.js';

/** One show's line in one minute, as a sample of it says. */
export interface LineMinuteSample {
  showId: string;
  /** Start of the minute of the line's clock the sample was taken in (epoch ms). */
  minute: number;
  /** When, on the line's clock: a later sample's gauges replace an earlier one's. */
  sampledAt: number;
  waiting: number;
  early: number;
  admitted: number;
  /** The store's count of admissions in that minute so far. */
  admissions: number;
}

export interface LineMinuteRow {
  minute: Date;
  waiting: number;
  early: number;
  admitted: number;
  admissions: number;
}

/**
 * The line_minutes table (migration 011): the waiting room's figures per show and minute, for the
 * dashboard's history. Every instance writes every sample it takes; the primary key and these
 * upserts make that one row per show and minute, whatever the number of instances and however
 * their samples interleave.
 */
export class LineMinutesRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Upserts each sample's minute. The gauges are the latest sample's (by the line's clock); the
   * admissions are the greatest count seen, never a sum: each sample carries the store's own count
   * of the minute, which only grows, so two instances sampling at once write the same figure or
   * a smaller one, and the row keeps the true count. A show deleted meanwhile is skipped.
   */
  async record(samples: LineMinuteSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.q.query(
      `INSERT INTO line_minutes AS m (show_id, minute, waiting, early, admitted, admissions, sampled_at)
       SELECT v.show_id, v.minute, v.waiting, v.early, v.admitted, v.admissions, v.sampled_at
         FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::int[], $6::int[], $7::timestamptz[])
              AS v(show_id, minute, waiting, early, admitted, admissions, sampled_at)
        WHERE EXISTS (SELECT 1 FROM shows s WHERE s.id = v.show_id)
        ORDER BY v.show_id, v.minute
       ON CONFLICT (show_id, minute) DO UPDATE SET
         waiting    = CASE WHEN EXCLUDED.sampled_at >= m.sampled_at THEN EXCLUDED.waiting ELSE m.waiting END,
         early      = CASE WHEN EXCLUDED.sampled_at >= m.sampled_at THEN EXCLUDED.early ELSE m.early END,
         admitted   = CASE WHEN EXCLUDED.sampled_at >= m.sampled_at THEN EXCLUDED.admitted ELSE m.admitted END,
         sampled_at = greatest(m.sampled_at, EXCLUDED.sampled_at),
         admissions = greatest(m.admissions, EXCLUDED.admissions)`,
      [
        samples.map((s) => s.showId),
        samples.map((s) => new Date(s.minute)),
        samples.map((s) => s.waiting),
        samples.map((s) => s.early),
        samples.map((s) => s.admitted),
        samples.map((s) => s.admissions),
        samples.map((s) => new Date(s.sampledAt)),
      ],
    );
  }

  /**
   * Raises the admissions of earlier minutes to the store's later count: admissions made after a
   * minute's last sample still land in their own minute. A minute no sample was taken in (the
   * line began just before a minute ended, or no instance ran) gets a row too, its gauges those
   * of the sample that found it (`sampledAt` -infinity: any sample of its own replaces them).
   */
  async raiseAdmissions(counts: (Omit<LineMinuteSample, 'sampledAt'>)[]): Promise<void> {
    if (counts.length === 0) return;
    // Rows are locked in the ORDER BY's order, as in record(): instances writing the same rows at once cannot deadlock.
    await this.q.query(
      `INSERT INTO line_minutes AS m (show_id, minute, waiting, early, admitted, admissions, sampled_at)
       SELECT v.show_id, v.minute, v.waiting, v.early, v.admitted, v.admissions, '-infinity'
         FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::int[], $6::int[])
              AS v(show_id, minute, waiting, early, admitted, admissions)
        WHERE EXISTS (SELECT 1 FROM shows s WHERE s.id = v.show_id)
        ORDER BY v.show_id, v.minute
       ON CONFLICT (show_id, minute) DO UPDATE SET admissions = greatest(m.admissions, EXCLUDED.admissions)`,
      [
        counts.map((c) => c.showId),
        counts.map((c) => new Date(c.minute)),
        counts.map((c) => c.waiting),
        counts.map((c) => c.early),
        counts.map((c) => c.admitted),
        counts.map((c) => c.admissions),
      ],
    );
  }

  /** The show's recorded minutes in [from, until), oldest first. */
  async between(showId: string, from: Date, until: Date): Promise<LineMinuteRow[]> {
    const { rows } = await this.q.query<LineMinuteRow>(
      `SELECT minute, waiting, early, admitted, admissions FROM line_minutes
        WHERE show_id = $1 AND minute >= $2 AND minute < $3 ORDER BY minute`,
      [showId, from, until],
    );
    return rows;
  }
}
