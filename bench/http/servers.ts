/** The processes `npm run bench:http` measures: TicketClub instances and the bare-Fastify baseline. */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { benchNodeArgs, freePort } from '../../test/support/instances.js';

export interface Server {
  name: string;
  url: string;
  pid: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `node --import tsx <entry>` in `cwd` with output to `logFile`; resolves once `readyPath` answers 200. */
export async function startServer(o: {
  name: string;
  cwd: string;
  entry: string;
  env: Record<string, string>;
  logFile: string;
  readyPath: string;
}): Promise<Server> {
  const port = await freePort();
  const log = openSync(o.logFile, 'a');
  const proc = spawn(process.execPath, [...benchNodeArgs(), '--import', 'tsx', o.entry], {
    cwd: o.cwd,
    env: { ...process.env, ...o.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${o.name} exited during start; see ${o.logFile}`);
    try {
      if ((await fetch(url + o.readyPath, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${o.name} did not start within 90 s; see ${o.logFile}`);
    await sleep(200);
  }
  return {
    name: o.name,
    url,
    pid: proc.pid!,
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

export const baselineEntry = (root: string) => join(root, 'bench/http/baseline-server.ts');
