import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { opsOf } from './index.js';

export interface ShutdownOptions {
  app: FastifyInstance;
  /** TicketClub.close(): stops the jobs, closes the sockets and the HTTP server (in-flight requests finish). */
  close: () => Promise<void>;
  /** What the app does not own, closed last: the database, Redis connections. */
  closeResources: () => Promise<void>;
  log: FastifyBaseLogger;
  /** After this the process exits with 1 whatever is still running. Default 10 s. */
  timeoutMs?: number;
  exit?: (code: number) => void;
}

/**
 * A graceful stop, in the order that loses nothing:
 * 1. drain: health answers 503 so load balancers stop sending, responses close keep-alive connections;
 * 2. close the app: jobs stop, Socket.IO connections close (clients see a transport close and
 *    reconnect, to another instance behind the balancer), the listener stops accepting, requests
 *    already in flight run to completion;
 * 3. close the database and Redis once no request needs them;
 * 4. exit 0 (1 if any step failed or the deadline passed).
 * Returns the function to call on a signal; a second signal while stopping is ignored.
 */
export function gracefulShutdown(o: ShutdownOptions): (signal: string) => Promise<void> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;

  const run = async (signal: string): Promise<void> => {
    const started = Date.now();
    o.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      o.log.error({ signal, inFlight: opsOf(o.app)?.inFlight() }, 'shutdown deadline passed, exiting');
      exit(1);
    }, timeoutMs);
    force.unref();
    let code = 0;
    try {
      const ops = opsOf(o.app);
      ops?.drain();
      await o.close();
      // The listener is closed; belt and braces for requests whose connection outlived it.
      if (ops && !(await ops.idle(Math.max(0, timeoutMs - (Date.now() - started) - 500)))) {
        o.log.warn({ inFlight: ops.inFlight() }, 'requests still running at shutdown');
      }
    } catch (err) {
      code = 1;
      o.log.error({ err }, 'shutdown: closing the app failed');
    }
    try {
      await o.closeResources();
    } catch (err) {
      code = 1;
      o.log.error({ err }, 'shutdown: closing the database or Redis failed');
    }
    clearTimeout(force);
    o.log.info({ signal, ms: Date.now() - started }, 'stopped');
    exit(code);
  };

  return (signal) => (stopping ??= run(signal));
}

/** Calls gracefulShutdown on SIGTERM and SIGINT. */
export function handleShutdownSignals(o: ShutdownOptions): (signal: string) => Promise<void> {
  const shutdown = gracefulShutdown(o);
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => void shutdown(s));
  return shutdown;
}
