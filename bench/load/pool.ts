/** The main process's side of the client workers: fork, talk, collect, and make sure they end. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchNodeArgs } from '../../test/support/instances.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { loopbackAddress, sleep } from './util.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export class WorkerPool {
  readonly procs: ChildProcess[] = [];
  readonly results = new Map<number, unknown>();
  private readonly flags = new Map<string, Set<number>>();
  private readonly listeners: ((m: FromWorker) => void)[] = [];
  readonly fatal: string[] = [];

  constructor(inits: WorkerInit[], heapMb: number) {
    for (const init of inits) {
      const child = fork(WORKER, [], {
        execArgv: [...benchNodeArgs('clients'), '--import', 'tsx', `--max-old-space-size=${heapMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (m: FromWorker) => this.onMessage(m));
      child.on('exit', (code, signal) => {
        if (!this.results.has(init.workerIndex) && (code !== 0 || signal)) {
          this.fatal.push(`client worker ${init.workerIndex} exited (${signal ?? code}) before reporting`);
        }
      });
      child.send({ type: 'init', init } satisfies ToWorker);
      this.procs.push(child);
    }
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'result') this.results.set(m.worker, m.result);
    if (m.type === 'fatal') this.fatal.push(`client worker ${m.worker}: ${m.message}`);
    if (m.type !== 'progress' && m.type !== 'admitted') {
      const set = this.flags.get(m.type) ?? new Set<number>();
      set.add(m.worker);
      this.flags.set(m.type, set);
    }
    for (const l of this.listeners) l(m);
  }

  on(fn: (m: FromWorker) => void): void {
    this.listeners.push(fn);
  }

  count(flag: string): number {
    return this.flags.get(flag)?.size ?? 0;
  }

  alive(): number {
    return this.procs.filter((p) => p.exitCode === null && p.signalCode === null).length;
  }

  broadcast(m: ToWorker): void {
    for (const p of this.procs) if (p.connected) p.send(m);
  }

  /** Until every live worker has sent `flag`, a worker died, `stop()` says so, or the deadline. */
  async waitAll(flag: string, deadlineAt: number, stop: () => boolean = () => false): Promise<boolean> {
    for (;;) {
      const done = this.procs.every((p, i) => this.flags.get(flag)?.has(i) || p.exitCode !== null || p.signalCode !== null);
      if (done) return this.count(flag) === this.procs.length;
      if (stop() || Date.now() >= deadlineAt) return false;
      await sleep(50);
    }
  }

  /** Asks for results, waits for them (bounded), then ends whatever is left. */
  async finish(timeoutMs = 60_000): Promise<void> {
    this.broadcast({ type: 'finish' });
    const until = Date.now() + timeoutMs;
    while (this.results.size + this.procs.filter((p, i) => !this.results.has(i) && (p.exitCode !== null || p.signalCode !== null)).length < this.procs.length && Date.now() < until) {
      await sleep(50);
    }
    await this.kill(5_000);
  }

  async kill(graceMs: number): Promise<void> {
    const until = Date.now() + graceMs;
    while (this.alive() > 0 && Date.now() < until) await sleep(50);
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
}

/**
 * Sockets per source address unless told otherwise. One address has ~28k ephemeral ports
 * (32768-60999), but a socket bound to an address before it connects (`localAddress`) gets its
 * port from bind(), which searches the range for one free on that address: measured with strace
 * in a 200,000 run, a bind took 6.5 ms once ~10,000 sockets were open per address, and the load
 * clients spent most of their CPU in the kernel doing it (the ramp slowed with every connection
 * held). Few sockets per address keep that search short.
 */
export const DEFAULT_PER_ADDRESS = 4_000;

/** Source addresses per worker: each worker binds to its own loopback addresses, at most `perAddress` sockets on each. */
export function sourceAddresses(workers: number, socketsPerWorker: number, perAddress: number, base: string): string[][] {
  const per = Math.max(1, Math.ceil(socketsPerWorker / perAddress));
  return Array.from({ length: workers }, (_, w) => Array.from({ length: per }, (_, k) => loopbackAddress(base, w * per + k)));
}
