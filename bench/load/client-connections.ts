/**
 * Worker side of `connections`: ramps this worker's share of waiting-room connections (connect,
 * join, queue:watch), then measures how stale queue:status gets while the main process moves the line.
 */
import type { QueueResponse } from '../../src/shared/api.js';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { emitWatch, openSocket, type LoadSocket } from './client-socket.js';
import { JsonClient, NetError, errorCode } from './http.js';
import type { ConnectionsInit, ConnectionsProgress, ConnectionsResult, FromWorker, ToWorker } from './protocol.js';
import { Histogram, sleep } from './util.js';

export async function runConnectionsWorker(init: ConnectionsInit, send: (m: FromWorker) => void, inbox: (fn: (m: ToWorker) => void) => void): Promise<void> {
  const K = init.urls.length;
  const http = new JsonClient(init.urls, { localAddress: init.srcAddrs[0], maxSockets: init.httpSockets });
  const n = init.accounts.length;
  const sockets: (LoadSocket | undefined)[] = new Array(n);
  const lastStatus = new Float64Array(n); // epoch ms of the last status while measuring (0: none)
  const reportedAdmitted = new Uint8Array(n);
  const lastPosition = new Uint32Array(n);
  /** Every status, measuring or not: when it came and its position (0: not waiting). */
  const heardAt = new Float64Array(n);
  const heardPosition = new Uint32Array(n);
  const front = 2 * init.pageCapacity + 100;
  /** Account g watches without joining: the share `watchOnly`, spread evenly over the accounts. */
  const watchesOnly = (g: number) => Math.floor((g + 1) * init.watchOnly) > Math.floor(g * init.watchOnly);
  const h = {
    connectMs: new Histogram(),
    joinMs: new Histogram(),
    watchMs: new Histogram(),
    ageFront: new Histogram(),
    ageBack: new Histogram(),
    gapFront: new Histogram(),
    gapBack: new Histogram(),
    placeAge: new Histogram(),
  };
  const errors: Record<string, number> = {};
  const err = (k: string) => (errors[k] = (errors[k] ?? 0) + 1);
  const connectsBySecond = new Map<number, number>();
  const ageBySecond = new Map<number, [number, number]>();
  const p: ConnectionsProgress = { attempted: 0, connected: 0, open: 0, failed: 0, joined: 0, statuses: 0 };
  let measuring = false;
  let finishing = false;
  let statusesMeasured = 0;
  let statusesWhileMeasuring = 0;
  let cpuAtMeasure = process.cpuUsage();
  let cpuMsMeasuring = 0;
  let ageSampler: NodeJS.Timeout | undefined;
  let disconnectsDuringHold = 0;
  let firstConnectAt = 0;
  let lastConnectAt = 0;
  let pendingAdmitted: number[] = [];

  const admitted = (i: number) => {
    if (reportedAdmitted[i]) return;
    reportedAdmitted[i] = 1;
    pendingAdmitted.push(init.accounts[i]!.g);
  };

  inbox((m) => {
    if (m.type === 'measure') {
      lastStatus.fill(0);
      measuring = true;
      cpuAtMeasure = process.cpuUsage();
      // The age of every waiting connection's last place, once a second (the measure). The
      // line starts to move now: a place heard before was right until then, and ages from then.
      const movingFrom = Date.now();
      ageSampler = setInterval(() => {
        const now = Date.now();
        for (let i = 0; i < n; i++) if (heardPosition[i]! > 0) h.placeAge.add(now - Math.max(heardAt[i]!, movingFrom));
      }, 1_000);
    }
    // Sampled while the line moves only: once it stops, no place changes and no status is due, so
    // the time since the last one grows without any place being wrong.
    if (m.type === 'lineStopped') clearInterval(ageSampler);
    if (m.type === 'finish') {
      finishing = true;
      clearInterval(ageSampler);
      if (measuring) {
        const c = process.cpuUsage(cpuAtMeasure);
        cpuMsMeasuring = (c.user + c.system) / 1000;
      }
    }
  });

  const progressTimer = setInterval(() => {
    send({ type: 'progress', worker: init.workerIndex, p: { ...p } });
    if (pendingAdmitted.length) {
      send({ type: 'admitted', worker: init.workerIndex, gs: pendingAdmitted });
      pendingAdmitted = [];
    }
  }, 250);

  const onStatus = (i: number, s: QueueStatusEvent) => {
    p.statuses++;
    heardAt[i] = Date.now();
    heardPosition[i] = s.state === 'waiting' ? (s.position ?? 0) : 0;
    if (measuring) statusesWhileMeasuring++;
    if (s.state === 'admitted') admitted(i);
    if (!measuring || s.state !== 'waiting') return;
    const now = Date.now();
    const at = Date.parse(s.at);
    const age = now - at;
    const isFront = (s.position ?? 0) <= front;
    (isFront ? h.ageFront : h.ageBack).add(age);
    // A gap is classed by where the connection stood when it was last told: that set its interval.
    const prev = lastStatus[i]!;
    if (prev > 0) (lastPosition[i]! <= front ? h.gapFront : h.gapBack).add(now - prev);
    lastStatus[i] = now;
    lastPosition[i] = s.position ?? 0;
    statusesMeasured++;
    const sec = Math.floor(now / 1000);
    const b = ageBySecond.get(sec) ?? [0, 0];
    b[0] += age;
    b[1] += 1;
    ageBySecond.set(sec, b);
  };

  const connectOne = async (i: number) => {
    const a = init.accounts[i]!;
    const inst = a.g % K;
    const src = init.srcAddrs[i % init.srcAddrs.length];
    p.attempted++;
    let s: LoadSocket | undefined;
    // Up to 3 tries: a server that is busy accepting thousands of handshakes may time one out.
    for (let attempt = 0; attempt < 3 && !s && !finishing && Date.now() < init.deadlineAt; attempt++) {
      const t0 = performance.now();
      try {
        s = await openSocket(init.urls[inst]!, a.token, src, 30_000);
        h.connectMs.add(performance.now() - t0);
      } catch (e) {
        err(`connect${attempt < 2 ? ' (retried)' : ''}: ${(e as Error).message.slice(0, 80)}`);
        await sleep(500 * (attempt + 1));
      }
    }
    if (!s) {
      p.failed++;
      return;
    }
    sockets[i] = s;
    p.open++;
    s.on('queue:status', (st) => onStatus(i, st));
    // Admitted or ended: no longer waiting, whether or not a status says so too.
    s.on('queue:admitted', () => {
      heardPosition[i] = 0;
      admitted(i);
    });
    s.on('queue:ended', () => (heardPosition[i] = 0));
    s.on('disconnect', (reason) => {
      p.open--;
      if (reason !== 'io client disconnect') {
        err(`disconnect: ${reason}`);
        if (measuring && !finishing) disconnectsDuringHold++;
      }
    });
    try {
      if (!watchesOnly(a.g)) {
        const r = await http.request<QueueResponse>(inst, 'POST', `/api/shows/${init.showId}/queue`, { token: a.token });
        h.joinMs.add(r.ms);
        if (r.status !== 200) err(`join: HTTP ${r.status} ${errorCode(r.body) ?? ''}`);
        else {
          p.joined++;
          if (r.body.state === 'admitted') admitted(i);
        }
      }
      const w0 = performance.now();
      const ack = await emitWatch(s, init.showId);
      h.watchMs.add(performance.now() - w0);
      if ('error' in ack) err(`watch: ${ack.error.code}`);
    } catch (e) {
      err(e instanceof NetError ? `join: ${e.code}` : `watch: ${(e as Error).message.slice(0, 80)}`);
    }
    p.connected++;
    const now = Date.now();
    if (!firstConnectAt) firstConnectAt = now;
    lastConnectAt = now;
    const sec = Math.floor(now / 1000);
    connectsBySecond.set(sec, (connectsBySecond.get(sec) ?? 0) + 1);
  };

  // Ramp: start connection i at start + i / rate, with at most inFlight in progress.
  const clientRssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const start = Date.now();
  let inFlight = 0;
  // Woken when an attempt ends: a ramp behind its schedule waits for a free slot, not on a 1 ms timer.
  let slotFreed: (() => void) | undefined;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n && !finishing && Date.now() < init.deadlineAt; i++) {
    const due = start + (i * 1000) / init.rate;
    while (!finishing && Date.now() < init.deadlineAt) {
      if (inFlight >= init.inFlight) await Promise.race([new Promise<void>((r) => (slotFreed = r)), sleep(100)]);
      else if (Date.now() < due) await sleep(Math.max(1, Math.min(20, due - Date.now())));
      else break;
    }
    inFlight++;
    pending.push(
      connectOne(i).finally(() => {
        inFlight--;
        slotFreed?.();
        slotFreed = undefined;
      }),
    );
  }
  await Promise.race([Promise.all(pending), sleep(Math.max(0, init.deadlineAt - Date.now()))]);
  const clientRssKb = Math.round(process.memoryUsage().rss / 1024);
  send({ type: 'rampDone', worker: init.workerIndex });

  // Hold until the main process says finish (or the deadline).
  while (!finishing && Date.now() < init.deadlineAt) await sleep(100);
  measuring = false;
  const openAtEnd = p.open;
  clearInterval(progressTimer);
  send({ type: 'progress', worker: init.workerIndex, p: { ...p } });

  const result: ConnectionsResult = {
    attempted: p.attempted,
    connected: p.connected,
    failed: p.failed,
    openAtEnd,
    disconnectsDuringHold,
    firstConnectAt,
    lastConnectAt,
    connectMs: h.connectMs.data(),
    joinMs: h.joinMs.data(),
    watchMs: h.watchMs.data(),
    ageFront: h.ageFront.data(),
    ageBack: h.ageBack.data(),
    gapFront: h.gapFront.data(),
    gapBack: h.gapBack.data(),
    statusesMeasured,
    placeAge: h.placeAge.data(),
    lastPlaces: init.accounts.map((a, i) => [a.g, heardPosition[i]!]),
    cpuMsMeasuring,
    statusesWhileMeasuring,
    connectsBySecond: [...connectsBySecond],
    ageBySecond: [...ageBySecond].map(([s, [sum, c]]) => [s, sum, c]),
    errors,
    clientRssBeforeKb,
    clientRssKb,
  };
  send({ type: 'result', worker: init.workerIndex, result });
  // Close gently, a slice at a time, so thousands of closes do not land on the server in one tick.
  for (let i = 0; i < n; i += 500) {
    for (let j = i; j < Math.min(n, i + 500); j++) sockets[j]?.disconnect();
    await sleep(20);
  }
  http.close();
}
