/** A background job: `run` every `everyMs` on each instance, never two runs of it at once here. */
export interface Job {
  name: string;
  run(): Promise<unknown>;
  everyMs: number;
  /** Run once at start too, not only after the first interval. */
  atStart?: boolean;
}

/** Something that keeps timers of its own (presence heartbeats, status ticks): started and stopped with the jobs. */
export interface Timers {
  start(): void;
  /** Clears its timers; may return work still in progress, which stopping waits for. */
  stop(): unknown;
}

/**
 * The background work of one app instance. Modules add their sweeps and heartbeats as they plug
 * in; the app starts them all once serving, and stops them before the database goes away.
 */
export class Jobs {
  private readonly jobs: { job: Job; running?: Promise<unknown>; timer?: NodeJS.Timeout }[] = [];
  private readonly timers: Timers[] = [];

  constructor(private readonly onError: (err: unknown, jobName: string) => void) {}

  every(job: Job): void {
    this.jobs.push({ job });
  }

  alongside(timers: Timers): void {
    this.timers.push(timers);
  }

  start(): void {
    for (const t of this.timers) t.start();
    for (const entry of this.jobs) {
      const tick = () => {
        if (entry.running) return;
        entry.running = entry.job
          .run()
          .catch((err) => this.onError(err, entry.job.name))
          .finally(() => (entry.running = undefined));
      };
      entry.timer = setInterval(tick, entry.job.everyMs);
      entry.timer.unref();
      if (entry.job.atStart) tick();
    }
  }

  /** Stops every timer (also of what was never started), then waits for runs in progress. */
  async stop(): Promise<void> {
    for (const entry of this.jobs) clearInterval(entry.timer);
    const stopping = this.timers.map((t) => t.stop());
    await Promise.all([...this.jobs.map((e) => e.running), ...stopping]);
  }
}
