import type { Database } from '../../platform/database.js';
import type { LineFigures, QueueService } from '../queue/queue-service.js';
import { LineMinutesRepository, type LineMinuteSample } from './line-minutes-repository.js';

/** How often every instance samples the live lines into line_minutes: several samples per minute. */
export const LINE_SAMPLE_MS = 10_000;

const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/** A show's line now as its minute's row would record it (the dashboard's live point). */
export function minuteSample(f: LineFigures): LineMinuteSample {
  const minute = minuteOf(f.at);
  const admissions = f.byMinute.find((m) => m.minute === minute)?.admissions ?? 0;
  return { showId: f.showId, minute, sampledAt: f.at, waiting: f.waiting, early: f.early, admitted: f.admitted, admissions };
}

/**
 * The dashboard's history of the waiting room: a job on every instance samples each live line and
 * records its minute in the database (line_minutes), so the charts survive a reload, a restart
 * and a dashboard served by another instance. Minutes are the line's clock's (the store's), so
 * every instance files a sample under the same minute.
 */
export class LineHistory {
  private readonly minutes: LineMinutesRepository;

  constructor(
    db: Database,
    private readonly queue: Pick<QueueService, 'liveLines'>,
  ) {
    this.minutes = new LineMinutesRepository(db);
  }

  /** Samples every live line and records its minute; the minutes before it (in the store's window) get their final admissions count. Returns the shows sampled. */
  async record(): Promise<number> {
    const lines = await this.queue.liveLines();
    await this.minutes.record(lines.map(minuteSample));
    await this.minutes.raiseAdmissions(
      lines.flatMap((f) =>
        f.byMinute
          .filter((m) => m.minute < minuteOf(f.at))
          .map((m) => ({ showId: f.showId, minute: m.minute, admissions: m.admissions, waiting: f.waiting, early: f.early, admitted: f.admitted })),
      ),
    );
    return lines.length;
  }
}
