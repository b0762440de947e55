/**
 * Cluster mode (WORKERS > 1): one primary process and N worker processes on one machine.
 *
 * The primary runs the migrations, the demo data and the admin account once, then listens on PORT
 * and hands every incoming TCP connection to a worker with @socket.io/sticky: a request that
 * carries a Socket.IO session id (`sid=`, HTTP long-polling) goes to the worker that owns the
 * session, anything else round-robin. WebSockets and plain GETs are passed as file descriptors,
 * so each worker holds its own sockets (and its own open-files budget); requests with a body are
 * relayed over IPC by the primary. Workers share PostgreSQL and Redis like separate instances
 * (the Socket.IO Redis adapter fans events out between them). The primary restarts dead workers
 * with backoff and stops them gracefully on SIGTERM/SIGINT.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import { pino } from 'pino';
import type { TicketClub } from './app.js';
import type { Config } from './platform/config.js';

const READY = 'ticketclub:worker-ready';
/** The primary's answer to a worker announcing a new Socket.IO session id. */
const BOUND = 'ticketclub:session-bound';
/** A worker that lived this long before dying starts its backoff again from the shortest delay. */
const HEALTHY_AFTER_MS = 30_000;
const BACKOFF_MS = { first: 1_000, max: 30_000 };
/** Workers get 10 s to close (main.ts forces its own exit after that); then they are killed. */
const STOP_TIMEOUT_MS = 15_000;

/** `--cluster` on the command line (npm run start:cluster) without WORKERS: one worker per CPU, at least 2. */
export function applyClusterFlag(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): void {
  if (argv.includes('--cluster') && !env.WORKERS) env.WORKERS = String(Math.min(64, Math.max(2, availableParallelism())));
}

export const isPrimary = (): boolean => cluster.isPrimary;

/**
 * The primary: `prepare` (migrations, demo data, admin account) once, then WORKERS workers behind
 * one listening socket. Resolves once listening; the process then lives until a signal stops it.
 */
export async function runPrimary(config: Config, prepare: () => Promise<void>): Promise<void> {
  const log = pino({ level: config.LOG_LEVEL, base: { pid: process.pid, role: 'primary' } });
  await prepare();

  const server = http.createServer();
  server.maxConnections = config.MAX_CONNECTIONS;
  setupMaster(server, { loadBalancingMethod: 'round-robin' });
  // The first bytes of each connection travel with it as a Buffer: needs the structured-clone IPC.
  cluster.setupPrimary({ serialization: 'advanced' });

  interface Slot {
    worker?: Worker;
    ready: boolean;
    /** What sticky sent the worker before it was ready (connections with their first bytes). */
    held: unknown[][];
    /** The worker's own send, bypassing the hold. */
    sendNow?: (...args: unknown[]) => boolean;
    /** Connections passed to the worker whose transfer has not completed yet. */
    inTransit: Set<net.Socket>;
    startedAt: number;
    failures: number;
    timer?: NodeJS.Timeout;
  }
  const slots: Slot[] = Array.from({ length: config.WORKERS }, () => ({
    ready: false,
    held: [],
    inTransit: new Set<net.Socket>(),
    startedAt: 0,
    failures: 0,
  }));
  let stopping = false;
  let listening = false;

  const fork = (slot: Slot) => {
    slot.timer = undefined;
    slot.startedAt = Date.now();
    slot.ready = false;
    const worker = cluster.fork();
    slot.worker = worker;
    // Sticky picks among all forked workers, but a starting worker cannot take connections yet
    // (it is still loading the app). A whole connection (a file descriptor with its first bytes)
    // goes to a ready worker instead; anything else is held until this one says it is ready.
    const send = worker.send.bind(worker) as (...args: unknown[]) => boolean;
    const sendNow = (...args: unknown[]) => send(...track(slot, args));
    slot.sendNow = sendNow;
    (worker as unknown as { send: typeof sendNow }).send = (...args) => {
      if (slot.ready) return sendNow(...args);
      const other = slots.find((s) => s.ready && s.worker?.isConnected());
      if (other && (args[0] as { type?: unknown } | null)?.type === 'sticky:connection') return other.sendNow!(...args);
      slot.held.push(args);
      return true;
    };
  };

  /**
   * Node passes handles to a child one at a time (each waits for the child's acknowledgement) and,
   * if the child dies meanwhile, never closes the ones still queued or unacknowledged: the client
   * would hang. So connections are sent with keepOpen and the primary closes its own copy as soon
   * as the handle has been written to the channel (the child holds its own reference from then on),
   * and the ones still queued when a worker dies are closed then.
   */
  const track = (slot: Slot, args: unknown[]): unknown[] => {
    const socket = args[1];
    if (!(socket instanceof net.Socket)) return args;
    const [message, , options, callback] = args as [unknown, net.Socket, unknown, unknown];
    const cb = (typeof options === 'function' ? options : callback) as ((err: Error | null) => void) | undefined;
    const opts = typeof options === 'object' && options ? options : {};
    slot.inTransit.add(socket);
    return [
      message,
      socket,
      { ...opts, keepOpen: true },
      (err: Error | null) => {
        slot.inTransit.delete(socket);
        socket.destroy();
        cb?.(err);
      },
    ];
  };

  /** A worker died before it was ready: the connections held for it are lost. */
  const dropHeld = (slot: Slot) => {
    for (const args of slot.held.splice(0)) {
      const handle = args.find((a) => a instanceof net.Socket);
      handle?.destroy();
      const callback = args.find((a) => typeof a === 'function') as ((err: Error) => void) | undefined;
      callback?.(new Error('worker exited before it was ready'));
    }
  };

  cluster.on('message', (worker, msg: unknown) => {
    const { type, data, ack } = (msg ?? {}) as { type?: unknown; data?: unknown; ack?: unknown };
    // setupMaster's listener (registered first) has bound the session to the worker: say so.
    if (type === 'sticky:connection' && ack === true) worker.send({ type: BOUND, data });
    if (type !== READY) return;
    const slot = slots.find((s) => s.worker === worker);
    if (!slot) return;
    slot.ready = true;
    for (const args of slot.held.splice(0)) slot.sendNow?.(...args);
    log.info({ worker: worker.process.pid }, 'worker ready');
    if (listening || stopping) return;
    listening = true;
    server.listen({ port: config.PORT, host: config.HOST }, () =>
      log.info(`TicketClub on http://localhost:${config.PORT} (${config.WORKERS} workers, PostgreSQL + Redis)`),
    );
  });

  server.on('error', (err) => {
    log.fatal({ err }, 'cannot listen');
    process.exitCode = 1;
    stop('listen error');
  });

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.find((s) => s.worker === worker);
    if (slot) {
      slot.worker = undefined;
      slot.ready = false;
      dropHeld(slot);
      for (const socket of slot.inTransit) socket.destroy();
      slot.inTransit.clear();
    }
    if (stopping) {
      if (slots.every((s) => !s.worker)) finish();
      return;
    }
    if (!slot) return;
    slot.failures = Date.now() - slot.startedAt > HEALTHY_AFTER_MS ? 1 : slot.failures + 1;
    const delay = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** (slot.failures - 1));
    log.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'worker died; restarting it');
    slot.timer = setTimeout(() => fork(slot), delay);
  });

  let forceTimer: NodeJS.Timeout | undefined;
  const finish = () => {
    clearTimeout(forceTimer);
    log.info('stopped');
    process.exit();
  };
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new connections, stopping workers');
    // Stop accepting first so no connection is handed to a worker that is closing.
    server.close();
    for (const s of slots) clearTimeout(s.timer);
    const alive = slots.flatMap((s) => (s.worker ? [s.worker] : []));
    if (alive.length === 0) return finish();
    for (const w of alive) w.process.kill('SIGTERM');
    forceTimer = setTimeout(() => {
      log.error('workers did not stop in time; killing them');
      for (const w of alive) w.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  log.info({ workers: config.WORKERS }, 'database ready; starting workers');
  for (const slot of slots) fork(slot);
}

export interface ClusterWorker {
  /** Takes connections from the primary into the app, then tells the primary this worker is ready. */
  serve(tc: TicketClub, config: Config): Promise<void>;
  /** Resolves when no HTTP request is in flight any more (graceful shutdown). */
  drain(): Promise<void>;
}

/** In a worker (cluster mode): what main.ts needs to serve the connections the primary hands over. */
export function clusterWorker(): ClusterWorker {
  let inFlight = 0;
  let drained: (() => void) | undefined;

  return {
    async serve(tc, config) {
      const server = tc.app.server;
      setupWorker(tc.io);
      // Sticky learns a session's worker from a message the worker sends after it has answered the
      // handshake, so the client's next request can reach the primary first and go to the wrong
      // worker ("Session ID unknown"). Announce each new session id to the primary, and wait for
      // its answer, before the handshake is answered.
      const waiting = new Map<string, () => void>();
      process.on('message', (msg: { type?: unknown; data?: unknown } | null) => {
        if (msg?.type === BOUND && typeof msg.data === 'string') waiting.get(msg.data)?.();
      });
      tc.io.engine.generateId = () =>
        new Promise<string>((resolve) => {
          const sid = randomBytes(15).toString('base64url'); // 20 characters, as sticky expects
          const done = () => {
            clearTimeout(timer);
            waiting.delete(sid);
            resolve(sid);
          };
          const timer = setTimeout(done, 2_000);
          waiting.set(sid, done);
          process.send?.({ type: 'sticky:connection', data: sid, ack: true });
        });
      server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        // Which worker answered (tests and troubleshooting); sticky adds `Connection: close`.
        res.setHeader('x-worker', String(process.pid));
        inFlight++;
        res.once('close', () => {
          inFlight--;
          if (inFlight === 0) drained?.();
        });
      });
      // The server never listens here (the primary does), so server.maxConnections cannot apply:
      // count the sockets handed over (each an open file in this process) and refuse past the limit.
      let sockets = 0;
      server.prependListener('connection', (socket: net.Socket) => {
        if (!(socket instanceof net.Socket)) return; // a request relayed over IPC: no file here
        if (sockets >= config.MAX_CONNECTIONS) {
          socket.destroy();
          return;
        }
        sockets++;
        socket.once('close', () => sockets--);
      });
      await tc.app.ready();
      // From now on the primary sends this worker connections (held until then).
      process.send?.({ type: READY });
    },
    drain() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (drained = resolve));
    },
  };
}
