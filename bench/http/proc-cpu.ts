/**
 * CPU time from /proc (Linux): utime + stime of a process tree, and of PostgreSQL backends by pid.
 * Clock ticks are 100 per second on every Linux the kernel ships with USER_HZ=100.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10;

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime, ms. */
  self: number;
  /** cutime + cstime: children that exited and were waited for, ms. */
  children: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields start after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i - 3]);
    return { pid, ppid: n(4), self: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS };
  } catch {
    return undefined; // gone
  }
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s) out.push(s);
  }
  return out;
}

/** CPU ms used so far by a process and all its descendants (live ones, and exited ones it waited for). */
export function treeCpuMs(rootPid: number): number {
  const stats = allStats();
  const byParent = new Map<number, Stat[]>();
  for (const s of stats) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  if (!root) return 0;
  let total = 0;
  const walk = (s: Stat) => {
    total += s.self + s.children;
    for (const c of byParent.get(s.pid) ?? []) walk(c);
  };
  walk(root);
  return total;
}

/**
 * The write system calls (write, writev, sendmsg, ...: `syscw` of /proc/<pid>/io) made so far by a
 * process and its live descendants. Every statement to PostgreSQL, command batch to Redis and
 * HTTP answer is at least one; on a loopback connection each also wakes the process that reads it.
 */
export function treeWriteCalls(rootPid: number): number {
  const stats = allStats();
  const pids = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (pids.has(s.ppid) && !pids.has(s.pid)) {
        pids.add(s.pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone, or not ours to read
    }
  }
  return total;
}

/** utime + stime of one process, ms (0 when it is gone). */
export function processCpuMs(pid: number): number {
  return stat(pid)?.self ?? 0;
}

/**
 * CPU of a changing set of processes (PostgreSQL backends of one application) over a window. A
 * backend may end during the window (the pool closed it): polled every `pollMs`, its last reading
 * still counts. A backend first seen after the start began inside the window: all its time counts.
 */
export class CpuWindow {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pids: () => Promise<number[]>,
    private readonly pollMs = 250,
  ) {}

  async start(): Promise<void> {
    for (const pid of await this.pids()) {
      const ms = processCpuMs(pid);
      this.first.set(pid, ms);
      this.last.set(pid, ms);
    }
    this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  private async poll(): Promise<void> {
    for (const pid of await this.pids().catch(() => [])) {
      const ms = processCpuMs(pid);
      if (!this.first.has(pid)) this.first.set(pid, 0);
      if (ms > 0) this.last.set(pid, ms);
    }
  }

  /** CPU ms used inside the window. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.poll();
    let total = 0;
    for (const [pid, end] of this.last) total += end - (this.first.get(pid) ?? 0);
    return total;
  }
}

/** utime + stime of each thread of a process, ms, by thread id (the main thread's id is the pid). */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // gone
  }
  for (const t of tids) {
    try {
      const s = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // gone
    }
  }
  return out;
}
