/**
 * A load client process (child_process.fork of the load tool). It holds at most ~18,000 sockets:
 * one process may open at most 20,000 files. It exits by itself at its deadline or when the main
 * process goes away.
 */
import { runConnectionsWorker } from './client-connections.js';
import { runSaleWorker } from './client-sale.js';
import type { FromWorker, ToWorker } from './protocol.js';

const send = (m: FromWorker) => {
  if (process.connected) process.send!(m);
};
const handlers: ((m: ToWorker) => void)[] = [];
let started = false;
let workerIndex = -1;

process.on('disconnect', () => process.exit(0)); // the main process is gone
process.on('message', (m: ToWorker) => {
  if (m.type === 'init' && !started) {
    started = true;
    workerIndex = m.init.workerIndex;
    // Hard stop: a minute past the deadline, whatever is still pending.
    setTimeout(() => process.exit(3), Math.max(0, m.init.deadlineAt - Date.now()) + 60_000).unref();
    const inbox = (fn: (x: ToWorker) => void) => handlers.push(fn);
    const run = m.init.role === 'connections' ? runConnectionsWorker(m.init, send, inbox) : runSaleWorker(m.init, send, inbox);
    run.then(
      // Exit once everything sent so far has been written to the channel.
      () => (process.connected ? process.send!({ type: 'progress', worker: workerIndex, p: {} }, undefined, {}, () => process.exit(0)) : process.exit(0)),
      (e: unknown) => {
        send({ type: 'fatal', worker: workerIndex, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        setTimeout(() => process.exit(1), 200);
      },
    );
    return;
  }
  for (const h of handlers) h(m);
});
