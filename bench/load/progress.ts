/** Progress bars (cli-progress) on stderr; in a pipe or a log they print a line every few seconds instead. */
import cliProgress from 'cli-progress';

export interface Bar {
  update(value: number, info?: string): void;
  setTotal(total: number): void;
}

export class Progress {
  private readonly multi: cliProgress.MultiBar;
  private stopped = false;

  constructor() {
    this.multi = new cliProgress.MultiBar(
      {
        format: ' {label} |{bar}| {value}/{total} {info}',
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        noTTYOutput: true,
        notTTYSchedule: 5_000,
        fps: 5,
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  bar(label: string, total: number): Bar {
    const b = this.multi.create(Math.max(1, total), 0, { label: label.padEnd(12), info: '' });
    return {
      update: (value, info) => b.update(Math.round(value), info === undefined ? undefined : { info }),
      setTotal: (t) => b.setTotal(Math.max(1, t)),
    };
  }

  log(line: string): void {
    if (this.stopped) console.error(line);
    else this.multi.log(`${line}\n`);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.multi.stop();
  }
}
