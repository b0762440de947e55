/** Runs wrk (a separate process: it shares no event loop or core scheduling with the servers) and reads its report. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const WRK = process.env.WRK ?? '/usr/bin/wrk';

export function checkWrk(): void {
  if (existsSync(WRK)) return;
  console.error(`wrk not found at ${WRK}. Install it (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk) or set WRK=/path/to/wrk.`);
  process.exit(2);
}

export interface WrkResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx/3xx responses plus socket errors: a run with any is not a valid measurement. */
  errors: number;
}

const toMs = (v: string, unit: string): number => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? NaN);

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`unexpected wrk output (no ${re}):\n${out}`);
    return m;
  };
  const total = num(/(\d+) requests in ([\d.]+)(us|ms|s|m),/);
  const pct = (p: string) => {
    const m = num(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)`, 'm'));
    return toMs(m[1]!, m[2]!);
  };
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = Number(non2xx?.[1] ?? 0) + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  const requests = Number(total[1]);
  const seconds = toMs(total[2]!, total[3]!) / 1000;
  return { requests, seconds, reqPerSec: requests / seconds, p50Ms: pct('50'), p99Ms: pct('99'), errors };
}

export interface WrkOptions {
  url: string;
  seconds: number;
  connections: number;
  threads: number;
  headers?: Record<string, string>;
}

export function runWrk(o: WrkOptions): Promise<{ result: WrkResult; raw: string }> {
  const args = ['-t', String(o.threads), '-c', String(o.connections), '-d', `${o.seconds}s`, '--latency', '--timeout', '5s'];
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    execFile(WRK, args, { timeout: (o.seconds + 30) * 1000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`wrk failed: ${err.message}\n${stderr}`));
      try {
        resolve({ result: parseWrk(stdout), raw: stdout });
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}
