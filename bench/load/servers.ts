/**
 * Server instances for a run: either started here (K × `node --import tsx src/server/main.ts` on
 * distinct ports, one fresh PostgreSQL schema, shared Redis) or given with --url. Also reads the
 * resident memory of a server's process tree from /proc.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { benchNodeArgs, freePort, ROOT, spawnInstance } from '../../test/support/instances.js';

export { ROOT };

export interface ServerInstance {
  url: string;
  /** Process id of the instance (the cluster primary in WORKERS mode), when known. */
  pid?: number;
  proc?: ChildProcess;
  /** Last output of a process started here. */
  output(): string;
  alive(): boolean;
  /** Only for processes started here. */
  stop?(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Starts `count` instances with the same environment (the test suite's starter). The first one
 * runs the migrations of the fresh schema alone; the others start together after it.
 */
export async function startInstances(count: number, env: Record<string, string>, log: (s: string) => void): Promise<ServerInstance[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const started: ServerInstance[] = [];
  const start = (port: number) => spawnInstance({ ...env, PORT: String(port) }, { timeoutMs: 90_000, nodeArgs: benchNodeArgs() });
  try {
    const first = start(ports[0]!);
    started.push(first.instance);
    await first.ready;
    log(`instance 1/${count} up at ${first.instance.url} (pid ${first.instance.pid})`);
    const rest = ports.slice(1).map(start);
    started.push(...rest.map((r) => r.instance));
    await Promise.all(rest.map((r) => r.ready));
    if (rest.length) log(`instances 2..${count} up`);
    return started;
  } catch (e) {
    await stopInstances(started);
    throw e;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. Only processes started here. */
export async function stopInstances(list: ServerInstance[], graceMs = 12_000): Promise<void> {
  await Promise.all(list.map((i) => i.stop?.('SIGTERM', graceMs)));
}

// ---- /proc helpers

function readStatusKb(pid: number, field: string): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Children of every process (one scan of /proc). */
function childrenMap(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(d));
      map.set(ppid, list);
    } catch {
      // gone
    }
  }
  return map;
}

/** VmRSS (kB) of a process and all its descendants (cluster workers), summed. */
export function treeRssKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const own = readStatusKb(pid, 'VmRSS');
  if (own === undefined) return undefined;
  const kids = childrenMap();
  let total = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    total += readStatusKb(p, 'VmRSS') ?? 0;
    stack.push(...(kids.get(p) ?? []));
  }
  return total;
}

/** CPU time (utime + stime, ms) of a process and all its descendants, summed. */
export function treeCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const cpu = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat (clock ticks, 100 a second on Linux).
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch {
      return undefined;
    }
  };
  if (cpu(pid) === undefined) return undefined;
  const kids = childrenMap();
  let total = 0;
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    total += cpu(p) ?? 0;
    stack.push(...(kids.get(p) ?? []));
  }
  return total;
}

/** The process listening on a local TCP port (for --url targets on this machine), via /proc/net/tcp*. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = parseInt(cols[1]!.split(':')[1] ?? '', 16);
      if (localPort === port && cols[3] === '0A') inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  const candidates: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${d}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = readlinkSync(`/proc/${d}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
        if (m && inodes.has(m[1]!)) {
          candidates.push(Number(d));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  if (candidates.length <= 1) return candidates[0];
  // Cluster mode: the listening socket is shared; the ancestor among the candidates is the instance.
  const set = new Set(candidates);
  return (
    candidates.find((c) => {
      try {
        const stat = readFileSync(`/proc/${c}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return !set.has(ppid);
      } catch {
        return false;
      }
    }) ?? candidates[0]
  );
}

/** Instances given with --url: no process to manage, RSS read from the listener's pid when local. */
export function externalInstances(urls: string[]): ServerInstance[] {
  return urls.map((url) => {
    const u = new URL(url);
    const port = Number(u.port || 80);
    const pid = /^(127\.|localhost$)/.test(u.hostname) ? pidListeningOn(port) : undefined;
    return {
      url: url.replace(/\/+$/, ''),
      pid,
      output: () => '',
      alive: () => {
        if (pid === undefined) return true;
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      },
    };
  });
}
