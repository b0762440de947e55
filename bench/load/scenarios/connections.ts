/**
 * `connections`: N accounts join one show's waiting room and watch it over Socket.IO (websocket),
 * spread over P client processes and loopback source addresses. Measures connections held, the
 * connect rate, server memory per connection, and how stale queue:status gets while the tool
 * moves the line (admitted accounts leave at a steady rate, so everyone behind moves up).
 */
import type { ShowStats } from '../../../src/shared/api.js';
import { chart } from '../charts.js';
import type { Context } from '../context.js';
import type { ConnectionsInit, ConnectionsProgress, ConnectionsResult } from '../protocol.js';
import { WorkerPool } from '../pool.js';
import { table, writeReport, type ReportFiles } from '../report.js';
import { Redis } from 'ioredis';
import { treeCpuMs, treeRssKb } from '../servers.js';
import { prepareRun } from '../setup.js';
import { Histogram, fmt, fmtMs, mib, round, sleep } from '../util.js';

export interface ConnectionsOptions {
  target: number;
  clients: number;
  rate: number;
  hold: number;
  moveRate: number;
  capacity: number;
  window: number;
  inFlight: number;
  /** The share of connections that watch the show without joining (fans on the page with no place). */
  watchOnly: number;
}

export const MAX_SOCKETS_PER_CLIENT = 18_000;
/** Counters the clients report, and the accounts they saw admitted (the line moves by making those leave). */
interface Tracked {
  prog: Map<number, ConnectionsProgress>;
  admittedQueue: number[];
  admissionTimes: number[];
  open(): number;
}

/** Line length once a second on instance 0 (every instance reads the same Redis), and server memory. */
interface LineSampler {
  samples: { t: number; waiting: number; admitted: number }[];
  peakAdmitted: number;
  /** [open connections, total server RSS kB], once a second: the slope is the memory per connection. */
  rssSamples: [number, number][];
  rssHold: [number, number][];
  holding: boolean;
  sampling: boolean;
  done: Promise<void>;
}

export async function runConnections(ctx: Context, o: ConnectionsOptions): Promise<{ files: ReportFiles; summary: string; ok: boolean }> {
  const perClient = checkConnectionsOptions(ctx, o);
  const { show, accounts, rssBefore, addrs, inits } = await prepareConnections(ctx, o, perClient);
  const pool = new WorkerPool(inits, 4096);
  const tracked = trackConnections(ctx, pool, o);
  const t0 = Date.now();
  const sampler = sampleLine(ctx, show.showId, tracked);
  try {
    const { rampEnd, rssAfter, heldAtRampEnd } = await ramp(ctx, o, pool, tracked);
    sampler.holding = true;
    const cpuBefore = serverCpuMs(ctx);
    const cpuFrom = Date.now();
    const moved = await moveTheLine(ctx, o, pool, tracked, show.showId, accounts);
    pool.broadcast({ type: 'lineStopped' });
    // The line stops; 3 s later, is every connection's last place the true one?
    await sleep(3_000);
    await pool.finish();
    const cpuAfter = serverCpuMs(ctx);
    const cpuWindowMs = Date.now() - cpuFrom;
    const places = await placesAfterStop(ctx, show.showId, accounts, [...pool.results.values()] as ConnectionsResult[]);
    const serverCpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
    sampler.sampling = false;
    await sampler.done;
    const run: ConnectionsRun = { ctx, o, show, addrs, t0, rampEnd, rss: { rssBefore, rssAfter }, heldAtRampEnd, moved, sampler, tracked, pool, places, serverCpu, cpuWindowMs };
    const measured = measure(run, [...pool.results.values()] as ConnectionsResult[]);
    const { data, ok } = connectionsData(run, measured);
    const charts = connectionsCharts(run, measured, data);
    const { summary, markdown } = connectionsReport(run, measured, data, ok);
    const files = writeReport(ctx.common.out, 'connections', ctx.started, data, charts, markdown);
    return { files, summary, ok };
  } finally {
    sampler.sampling = false;
    await pool.kill(0);
  }
}

/** CPU time of every server process tree (undefined when one has no local pid). */
function serverCpuMs(ctx: Context): number | undefined {
  let total = 0;
  for (const inst of ctx.instances) {
    const ms = treeCpuMs(inst.pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

/**
 * Each account's last heard place against its true one, read from Redis (ZRANK in the line) once
 * the line has stopped: how many of the waiting connections were told their true place.
 */
async function placesAfterStop(ctx: Context, showId: string, accounts: { id: string }[], results: ConnectionsResult[]) {
  if (!ctx.redisUrl) return undefined;
  const redis = new Redis(ctx.redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const heard = results.flatMap((r) => r.lastPlaces);
    const ranks: (number | null)[] = [];
    for (let i = 0; i < heard.length; i += 5_000) {
      const pipe = redis.pipeline();
      // The servers' queue prefix names their schema (src/server/main.ts).
      const prefix = ctx.db?.schema ? `tc:q:${ctx.db.schema}` : 'tc:q';
      for (const [g] of heard.slice(i, i + 5_000)) pipe.zrank(`${prefix}:{${showId}}:wait`, accounts[g]!.id);
      for (const [, r] of (await pipe.exec()) ?? []) ranks.push(typeof r === 'number' ? r : null);
    }
    let waiting = 0;
    let right = 0;
    const off = new Histogram();
    heard.forEach(([, pos], k) => {
      const rank = ranks[k];
      if (rank === null || rank === undefined) return;
      waiting++;
      if (pos === rank + 1) right++;
      off.add(Math.abs(pos - (rank + 1)));
    });
    return { waiting, right, fraction: waiting > 0 ? round(right / waiting, 4) : null, errorP50: off.quantile(50), errorP99: off.quantile(99) };
  } finally {
    redis.disconnect();
  }
}

/** Refuses what a client process cannot hold, warns about what one server process cannot; returns sockets per client. */
function checkConnectionsOptions(ctx: Context, o: ConnectionsOptions): number {
  const K = ctx.instances.length;
  const perClient = Math.ceil(o.target / o.clients);
  if (perClient > MAX_SOCKETS_PER_CLIENT) throw new Error(`--clients ${o.clients}: ${perClient} sockets per client process is over ${MAX_SOCKETS_PER_CLIENT}; use --clients ${Math.ceil(o.target / MAX_SOCKETS_PER_CLIENT)} or more`);
  const perInstance = Math.ceil(o.target / K);
  if (perInstance > 18_500 && !(ctx.common.serverWorkers && ctx.common.serverWorkers > 1)) {
    ctx.log(`warning: ${perInstance} connections per instance; one process serves at most MAX_CONNECTIONS (19,000 by default): use --instances ${Math.ceil(o.target / 18_000)} or --server-workers`);
  }
  return perClient;
}

async function prepareConnections(ctx: Context, o: ConnectionsOptions, perClient: number) {
  const { show, accounts, rssBefore, addrs, clientInit } = await prepareRun(ctx, {
    show: { title: `Connections ${ctx.runId}`, seats: 50, pageCapacity: o.capacity, windowSeconds: o.window, maxTickets: 1 },
    describe: (s) => `show ${s.showId}: capacity ${s.pageCapacity}, window ${s.purchaseWindowSeconds} s`,
    fans: o.target,
    clients: o.clients,
    perClient,
    httpSockets: 32,
    settleMs: 3_000, // let the servers settle after the bulk account creation
  });
  const inits: ConnectionsInit[] = Array.from({ length: o.clients }, (_, w) => ({
    role: 'connections',
    ...clientInit(w),
    rate: o.rate / o.clients,
    inFlight: Math.max(1, Math.ceil(o.inFlight / o.clients)),
    watchOnly: o.watchOnly,
    pageCapacity: show.pageCapacity,
  }));
  return { show, accounts, rssBefore, addrs, inits };
}

function trackConnections(ctx: Context, pool: WorkerPool, o: ConnectionsOptions): Tracked {
  const prog = new Map<number, ConnectionsProgress>();
  const connBar = ctx.progress.bar('connections', o.target);
  const admittedQueue: number[] = [];
  const admissionTimes: number[] = [];
  pool.on((m) => {
    if (m.type === 'progress' && 'attempted' in m.p) {
      prog.set(m.worker, m.p);
      const sum = (k: keyof ConnectionsProgress) => [...prog.values()].reduce((n, x) => n + x[k], 0);
      connBar.update(sum('connected'), `open ${fmt(sum('open'))} failed ${fmt(sum('failed'))}`);
    }
    if (m.type === 'admitted') {
      const now = Date.now();
      for (const g of m.gs) {
        admittedQueue.push(g);
        admissionTimes.push(now);
      }
    }
  });
  return { prog, admittedQueue, admissionTimes, open: () => [...prog.values()].reduce((n, x) => n + x.open, 0) };
}

function sampleLine(ctx: Context, showId: string, tracked: Tracked): LineSampler {
  const { http, adminToken } = ctx;
  const s: LineSampler = { samples: [], peakAdmitted: 0, rssSamples: [], rssHold: [], holding: false, sampling: true, done: Promise.resolve() };
  s.done = (async () => {
    while (s.sampling && !ctx.aborted() && Date.now() < ctx.deadlineAt) {
      try {
        const r = await http.request<ShowStats>(0, 'GET', `/api/admin/shows/${showId}/stats`, { token: adminToken, timeoutMs: 5_000 });
        if (r.status === 200) {
          s.samples.push({ t: Date.now(), waiting: r.body.waiting, admitted: r.body.admitted });
          s.peakAdmitted = Math.max(s.peakAdmitted, r.body.admitted);
        }
      } catch {
        // counted as a gap in the chart
      }
      const rss = ctx.instances.map((i) => treeRssKb(i.pid));
      if (rss.every((x) => x !== undefined)) (s.holding ? s.rssHold : s.rssSamples).push([tracked.open(), rss.reduce((n, x) => n + x!, 0)]);
      await sleep(1_000);
    }
  })();
  return s;
}

/** Waits for every client to open its connections, within the time the hold and the reports leave. */
async function ramp(ctx: Context, o: ConnectionsOptions, pool: WorkerPool, tracked: Tracked) {
  const rampDeadline = ctx.deadlineAt - (o.hold + 60) * 1000;
  const rampComplete = await pool.waitAll('rampDone', rampDeadline, () => ctx.aborted());
  if (!rampComplete && !ctx.aborted()) ctx.log('warning: the ramp did not finish in time (see --max-seconds); holding what is open');
  const rampEnd = Date.now();
  await sleep(2_000);
  const rssAfter = ctx.instances.map((i) => treeRssKb(i.pid));
  const heldAtRampEnd = tracked.open();
  ctx.log(`ramp done: ${fmt(heldAtRampEnd)} connections open`);
  return { rampEnd, rssAfter, heldAtRampEnd };
}

/** Hold: measure status staleness while admitted accounts leave at a steady rate. */
async function moveTheLine(ctx: Context, o: ConnectionsOptions, pool: WorkerPool, tracked: Tracked, showId: string, accounts: { token: string }[]) {
  const { http } = ctx;
  const { admittedQueue } = tracked;
  const K = ctx.instances.length;
  const show = { showId };
  pool.broadcast({ type: 'measure' });
  const holdStart = Date.now();
  const holdBar = ctx.progress.bar('hold (s)', o.hold);
  let leaves = 0;
  let leaveErrors = 0;
  let inFlight = 0;
  const holdEnd = holdStart + o.hold * 1000;
  while (Date.now() < holdEnd && !ctx.aborted() && pool.alive() > 0) {
    const due = Math.floor(((Date.now() - holdStart) / 1000) * o.moveRate);
    while (leaves + inFlight < due && admittedQueue.length > 0 && inFlight < 64) {
      const g = admittedQueue.shift()!;
      inFlight++;
      void http
        .request(g % K, 'DELETE', `/api/shows/${show.showId}/queue`, { token: accounts[g]!.token, timeoutMs: 10_000 })
        .then((r) => (r.status === 204 ? leaves++ : leaveErrors++))
        .catch(() => leaveErrors++)
        .finally(() => inFlight--);
    }
    holdBar.update(Math.min(o.hold, (Date.now() - holdStart) / 1000), `left ${leaves}`);
    await sleep(20);
  }
  const holdSeconds = (Date.now() - holdStart) / 1000;
  // An interrupted run skips the hold: no rate to speak of.
  const perHoldSecond = (n: number) => (holdSeconds >= 1 ? n / holdSeconds : 0);
  holdBar.update(o.hold, `left ${leaves}`);
  return { leaves, leaveErrors, holdSeconds, perSecond: perHoldSecond(leaves), target: o.moveRate, perHoldSecond };
}

interface ConnectionsRun {
  ctx: Context;
  o: ConnectionsOptions;
  show: Awaited<ReturnType<typeof prepareConnections>>['show'];
  addrs: string[][];
  t0: number;
  rampEnd: number;
  rss: { rssBefore: (number | undefined)[]; rssAfter: (number | undefined)[] };
  heldAtRampEnd: number;
  moved: Awaited<ReturnType<typeof moveTheLine>>;
  sampler: LineSampler;
  tracked: Tracked;
  pool: WorkerPool;
  places: Awaited<ReturnType<typeof placesAfterStop>>;
  /** CPU time of the servers from the start of the hold to the end of the settle. */
  serverCpu: number | undefined;
  /** How long that window was (ms). */
  cpuWindowMs: number;
}

/** The clients' histograms and counters as one, and the memory per connection. */
function measure(run: ConnectionsRun, results: ConnectionsResult[]) {
  const { ctx, heldAtRampEnd } = run;
  const { rssBefore, rssAfter } = run.rss;
  const { rssSamples, rssHold } = run.sampler;
  const merge = (k: 'connectMs' | 'joinMs' | 'watchMs' | 'ageFront' | 'ageBack' | 'gapFront' | 'gapBack') => Histogram.from(results.map((r) => r[k]));
  const ageAll = Histogram.from(results.flatMap((r) => [r.ageFront, r.ageBack]));
  const gapAll = Histogram.from(results.flatMap((r) => [r.gapFront, r.gapBack]));
  const sumR = (k: 'attempted' | 'connected' | 'failed' | 'openAtEnd' | 'disconnectsDuringHold' | 'statusesMeasured') => results.reduce((n, r) => n + r[k], 0);
  const first = Math.min(...results.map((r) => r.firstConnectAt || Infinity));
  const last = Math.max(...results.map((r) => r.lastConnectAt));
  const bySecond = new Map<number, number>();
  for (const r of results) for (const [s, c] of r.connectsBySecond) bySecond.set(s, (bySecond.get(s) ?? 0) + c);
  const ageBySecond = new Map<number, [number, number]>();
  for (const r of results)
    for (const [s, sum, c] of r.ageBySecond) {
      const x = ageBySecond.get(s) ?? [0, 0];
      x[0] += sum;
      x[1] += c;
      ageBySecond.set(s, x);
    }
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;

  const connected = sumR('connected');
  const held = sumR('openAtEnd');
  const connectRate = last > first ? connected / ((last - first) / 1000) : NaN;
  const peakRate = Math.max(0, ...bySecond.values());
  const perConnKb = ctx.instances.map((_, i) => {
    const b = rssBefore[i];
    const a = rssAfter[i];
    return b !== undefined && a !== undefined ? { beforeKb: b, afterKb: a } : undefined;
  });
  const rssTotalBefore = perConnKb.reduce((n, x) => n + (x?.beforeKb ?? 0), 0);
  const rssTotalAfter = perConnKb.reduce((n, x) => n + (x?.afterKb ?? 0), 0);
  const rssKnown = perConnKb.every((x) => x !== undefined);
  // GC makes one reading swing by tens of MiB: compare the median during the hold with the start.
  const holdRss = rssHold.map(([, kb]) => kb).sort((x, y) => x - y);
  const rssHoldMedian = holdRss.length ? holdRss[Math.floor(holdRss.length / 2)]! : rssTotalAfter;
  const kbPerConnection = rssKnown && heldAtRampEnd > 0 ? (rssHoldMedian - rssTotalBefore) / heldAtRampEnd : NaN;
  // Least-squares slope of RSS over open connections while they ramp (less sensitive to one GC).
  const ramp = rssSamples.filter(([n]) => n > 0);
  const slope = (() => {
    if (ramp.length < 3) return NaN;
    const mx = ramp.reduce((a, [x]) => a + x, 0) / ramp.length;
    const my = ramp.reduce((a, [, y]) => a + y, 0) / ramp.length;
    const sxx = ramp.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    return sxx > 0 ? ramp.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx : NaN;
  })();

  return { results, merge, ageAll, gapAll, sumR, first, last, bySecond, ageBySecond, errors, connected, held, connectRate, peakRate, perConnKb, rssTotalBefore, rssTotalAfter, rssKnown, rssHoldMedian, kbPerConnection, slope };
}

type Measured = ReturnType<typeof measure>;

function connectionsData(run: ConnectionsRun, m: Measured) {
  const { ctx, o, show, addrs, t0, rampEnd, heldAtRampEnd, moved, pool } = run;
  const { rssBefore, rssAfter } = run.rss;
  const { samples, peakAdmitted, rssSamples, rssHold } = run.sampler;
  const { results, merge, ageAll, gapAll, sumR, first, last, bySecond, ageBySecond, errors, connected, held, connectRate, peakRate, rssTotalBefore, rssTotalAfter, rssKnown, rssHoldMedian, kbPerConnection, slope } = m;
  const { holdSeconds, perHoldSecond } = moved;
  const K = ctx.instances.length;
  const q = (h: Histogram) => ({ p50: round(h.quantile(50), 0), p99: round(h.quantile(99), 0), max: round(h.max, 0), n: h.n });
  const data = {
    scenario: 'connections',
    runId: ctx.runId,
    startedAt: ctx.started.toISOString(),
    options: { ...o, instances: K, urls: ctx.instances.map((i) => i.url), managedServers: ctx.managed, serverWorkers: ctx.common.serverWorkers ?? 1, grace: ctx.common.grace },
    sourceAddresses: addrs,
    show,
    connections: { target: o.target, attempted: sumR('attempted'), connected, failed: sumR('failed'), heldAtRampEnd, heldAtEnd: held, disconnectsDuringHold: sumR('disconnectsDuringHold') },
    connectRate: { perSecond: round(connectRate), peakPerSecond: peakRate, rampSeconds: round((last - first) / 1000), rampWallSeconds: round((rampEnd - t0) / 1000), requested: o.rate },
    latencyMs: { connect: q(merge('connectMs')), join: q(merge('joinMs')), watch: q(merge('watchMs')) },
    serverRss: {
      perInstance: ctx.instances.map((inst, i) => ({ url: inst.url, pid: inst.pid, beforeKb: rssBefore[i] ?? null, afterKb: rssAfter[i] ?? null })),
      totalBeforeKb: rssKnown ? rssTotalBefore : null,
      totalAfterKb: rssKnown ? rssTotalAfter : null,
      kbPerConnection: Number.isFinite(kbPerConnection) ? round(kbPerConnection, 2) : null,
      totalHoldMedianKb: rssKnown ? rssHoldMedian : null,
      kbPerConnectionSlope: Number.isFinite(slope) ? round(slope, 2) : null,
      rampSamples: rssSamples,
      holdSamples: rssHold,
    },
    staleness: {
      holdSeconds: round(holdSeconds),
      statuses: sumR('statusesMeasured'),
      statusesPerSecond: round(perHoldSecond(sumR('statusesMeasured'))),
      ageMs: { all: q(ageAll), front: q(merge('ageFront')), back: q(merge('ageBack')) },
      gapMs: { all: q(gapAll), front: q(merge('gapFront')), back: q(merge('gapBack')) },
      frontMeans: `position <= 2 x capacity + 100 = ${2 * show.pageCapacity + 100}`,
    },
    lineMoves: moved,
    places: {
      ageMs: q(Histogram.from(results.map((r) => r.placeAge))),
      afterStop: run.places ?? null,
    },
    cpu: (() => {
      const statuses = results.reduce((n, r) => n + r.statusesWhileMeasuring, 0);
      const clientMs = results.reduce((n, r) => n + r.cpuMsMeasuring, 0);
      // CPU per held connection and second of the window: what holding one costs while the line moves.
      const connectionSeconds = Math.max(1, held) * (run.cpuWindowMs / 1000);
      return {
        windowSeconds: round(run.cpuWindowMs / 1000, 1),
        serverUsPerConnectionSecond: run.serverCpu !== undefined ? round((run.serverCpu * 1000) / connectionSeconds, 1) : null,
        clientUsPerConnectionSecond: round((clientMs * 1000) / connectionSeconds, 1),
        statuses,
        serverMs: run.serverCpu ?? null,
        clientMs: round(clientMs, 0),
        serverUsPerStatus: run.serverCpu !== undefined && statuses > 0 ? round((run.serverCpu * 1000) / statuses, 1) : null,
        clientUsPerStatus: statuses > 0 ? round((clientMs * 1000) / statuses, 1) : null,
      };
    })(),
    clientRssKb: results.map((r) => r.clientRssKb),
    clientKbPerConnection: round(results.reduce((n, r) => n + r.clientRssKb - r.clientRssBeforeKb, 0) / Math.max(1, connected), 1),
    peakAdmitted,
    errors,
    workerFailures: pool.fatal,
    series: {
      line: samples.map((s) => [round((s.t - t0) / 1000, 1), s.waiting, s.admitted]),
      connectsPerSecond: [...bySecond].sort((a, b) => a[0] - b[0]).map(([s, c]) => [s * 1000 - t0, c]),
      ageMeanBySecond: [...ageBySecond].sort((a, b) => a[0] - b[0]).map(([s, [sum, c]]) => [s * 1000 - t0, round(sum / c, 0)]),
    },
  };

  const ok = held >= o.target && data.connections.failed === 0 && pool.fatal.length === 0;
  return { data, ok };
}

type ConnectionsData = ReturnType<typeof connectionsData>['data'];

function connectionsCharts(run: ConnectionsRun, m: Measured, data: ConnectionsData): Record<string, string> {
  const { t0 } = run;
  const { samples, rssSamples, rssHold } = run.sampler;
  const { admissionTimes } = run.tracked;
  const { bySecond } = m;
  let cum = 0;
  const cumPoints = [...bySecond]
    .sort((a, b) => a[0] - b[0])
    .map(([s, c]): [number, number] => {
      cum += c;
      return [(s * 1000 - t0) / 1000, cum];
    });
  const admPerSec = new Map<number, number>();
  for (const t of admissionTimes) admPerSec.set(Math.floor((t - t0) / 1000), (admPerSec.get(Math.floor((t - t0) / 1000)) ?? 0) + 1);
  const charts = {
    connections: chart({ title: 'Connections over time', xLabel: 'seconds since start', yLabel: 'connections', series: [{ name: 'connected (cumulative)', points: cumPoints }] }),
    line: chart({
      title: 'Waiting line length',
      xLabel: 'seconds since start',
      yLabel: 'accounts',
      series: [
        { name: 'waiting', points: samples.map((s) => [(s.t - t0) / 1000, s.waiting]) },
        { name: 'admitted', points: samples.map((s) => [(s.t - t0) / 1000, s.admitted]) },
      ],
    }),
    admissions: chart({
      title: 'Admissions per second (seen by the clients)',
      xLabel: 'seconds since start',
      yLabel: 'admissions/s',
      series: [{ name: 'admissions/s', points: [...admPerSec].sort((a, b) => a[0] - b[0]).map(([s, c]) => [s, c]) }],
    }),
    rss: chart({
      title: 'Server memory (all instances) over open connections',
      xLabel: 'open connections',
      yLabel: 'RSS (MiB)',
      series: [
        { name: 'ramp', points: rssSamples.map(([n, kb]) => [n, kb / 1024]), dots: true },
        { name: 'hold', points: rssHold.map(([n, kb]) => [n, kb / 1024]), dots: true },
      ],
    }),
    staleness: chart({
      title: 'queue:status age while the line moves (mean per second)',
      xLabel: 'seconds since start',
      yLabel: 'ms (now - at)',
      series: [{ name: 'mean age', points: data.series.ageMeanBySecond.map(([t, v]) => [t! / 1000, v!]) }],
    }),
  };
  return charts;
}

function connectionsReport(run: ConnectionsRun, m: Measured, data: ConnectionsData, ok: boolean) {
  const { ctx, o, show, addrs, moved, pool } = run;
  const { results, errors, connected, held, connectRate, peakRate, rssKnown, rssTotalBefore, rssTotalAfter, rssHoldMedian, kbPerConnection, slope } = m;
  const { heldAtRampEnd } = run;
  const { leaves, holdSeconds } = moved;
  const K = ctx.instances.length;
  const summaryRows: (string | number)[][] = [
    ['connections held (end of hold)', `${fmt(held)} / ${fmt(o.target)}`],
    ['connected / failed', `${fmt(connected)} / ${fmt(data.connections.failed)}`],
    ['dropped during hold', fmt(data.connections.disconnectsDuringHold)],
    ['connect rate (avg / peak 1 s)', `${fmt(connectRate, 0)}/s / ${fmt(peakRate)}/s (asked ${fmt(o.rate)}/s)`],
    ['connect latency p50 / p99', `${fmtMs(data.latencyMs.connect.p50)} / ${fmtMs(data.latencyMs.connect.p99)}`],
    ['join latency p50 / p99', `${fmtMs(data.latencyMs.join.p50)} / ${fmtMs(data.latencyMs.join.p99)}`],
    ['server RSS before → after ramp → hold median', rssKnown ? `${mib(rssTotalBefore)} → ${mib(rssTotalAfter)} → ${mib(rssHoldMedian)}` : 'unknown (no local pid)'],
    [
      'server RSS per connection (hold median − before / slope during ramp)',
      `${Number.isFinite(kbPerConnection) ? `${fmt(kbPerConnection, 1)} KiB` : 'n/a'} / ${Number.isFinite(slope) ? `${fmt(slope, 1)} KiB` : 'n/a'}${
        heldAtRampEnd < 10_000 ? ' (under 10k connections this is within GC noise)' : ''
      }`,
    ],
    ['client RSS (all clients; growth per connection)', `${mib(results.reduce((n, r) => n + r.clientRssKb, 0))} (${fmt(data.clientKbPerConnection, 1)} KiB)`],
    ['status age p50 / p99 (all)', `${fmtMs(data.staleness.ageMs.all.p50)} / ${fmtMs(data.staleness.ageMs.all.p99)}`],
    ['status gap p50 / p99 (front)', `${fmtMs(data.staleness.gapMs.front.p50)} / ${fmtMs(data.staleness.gapMs.front.p99)}`],
    ['status gap p50 / p99 (back)', `${fmtMs(data.staleness.gapMs.back.p50)} / ${fmtMs(data.staleness.gapMs.back.p99)}`],
    ['statuses of waiting connections received during hold', `${fmt(data.staleness.statuses)} (${fmt(data.staleness.statusesPerSecond, 0)}/s)`],
    ['age of each waiting connection\'s last place p50 / p99 (sampled each second while the line moves)', `${fmtMs(data.places.ageMs.p50)} / ${fmtMs(data.places.ageMs.p99)}`],
    [
      'true place 3 s after the line stopped',
      data.places.afterStop ? `${fmt(data.places.afterStop.right)} of ${fmt(data.places.afterStop.waiting)} waiting (error p50 ${fmt(data.places.afterStop.errorP50, 0)}, p99 ${fmt(data.places.afterStop.errorP99, 0)} places)` : 'n/a (no Redis)',
    ],
    ['CPU per held connection and second (server / client)', `${data.cpu.serverUsPerConnectionSecond ?? 'n/a'} µs / ${data.cpu.clientUsPerConnectionSecond} µs (over ${data.cpu.windowSeconds} s)`],
    ['CPU per status (server / client)', `${data.cpu.serverUsPerStatus ?? 'n/a'} µs / ${data.cpu.clientUsPerStatus ?? 'n/a'} µs (${fmt(data.cpu.statuses)} statuses from the hold to 3 s after it)`],
    ['line moved', `${fmt(leaves)} leaves in ${fmt(holdSeconds, 0)} s (${fmt(moved.perSecond, 1)}/s, asked ${o.moveRate}/s)`],
  ];
  const summary = table(['connections', 'result'], summaryRows, ['l', 'l']);
  const markdown = (f: (n: string) => string) =>
    [
      `# Load: ${fmt(o.target)} waiting-room connections`,
      '',
      `Run \`${ctx.runId}\` at ${ctx.started.toISOString()}: ${K} server instance(s)${ctx.managed ? ' started by the tool' : ''}${ctx.common.serverWorkers ? ` with WORKERS=${ctx.common.serverWorkers}` : ''}, ${o.clients} client process(es), source addresses ${addrs.flat().join(', ')}; capacity ${show.pageCapacity}, ramp ${o.rate}/s, hold ${o.hold} s, line moved at ${o.moveRate} leaves/s${o.watchOnly > 0 ? `; ${o.watchOnly * 100}% of the connections watch without joining` : ''}.`,
      '',
      `**${ok ? 'PASS' : 'FAIL'}**: every connection held and none failed.`,
      '',
      summary,
      '',
      '## Status staleness while the line moves',
      '',
      'Age = receive time − the server\'s `at`; gap = time between two statuses of the same connection. "Front" = position ≤ 2 × capacity + 100 (refreshed every second).',
      '',
      table(
        ['', 'p50', 'p99', 'max', 'samples'],
        [
          ['age, front', fmtMs(data.staleness.ageMs.front.p50), fmtMs(data.staleness.ageMs.front.p99), fmtMs(data.staleness.ageMs.front.max), fmt(data.staleness.ageMs.front.n)],
          ['age, back', fmtMs(data.staleness.ageMs.back.p50), fmtMs(data.staleness.ageMs.back.p99), fmtMs(data.staleness.ageMs.back.max), fmt(data.staleness.ageMs.back.n)],
          ['gap, front', fmtMs(data.staleness.gapMs.front.p50), fmtMs(data.staleness.gapMs.front.p99), fmtMs(data.staleness.gapMs.front.max), fmt(data.staleness.gapMs.front.n)],
          ['gap, back', fmtMs(data.staleness.gapMs.back.p50), fmtMs(data.staleness.gapMs.back.p99), fmtMs(data.staleness.gapMs.back.max), fmt(data.staleness.gapMs.back.n)],
        ],
      ),
      '',
      '## Server memory',
      '',
      table(
        ['instance', 'pid', 'RSS before', 'RSS after ramp'],
        data.serverRss.perInstance.map((r) => [r.url, r.pid ?? '?', r.beforeKb === null ? '?' : mib(r.beforeKb), r.afterKb === null ? '?' : mib(r.afterKb)]),
      ),
      '',
      '## Charts',
      '',
      `![connections](${f('connections')})`,
      '',
      `![line](${f('line')})`,
      '',
      `![admissions](${f('admissions')})`,
      '',
      `![staleness](${f('staleness')})`,
      '',
      `![server memory](${f('rss')})`,
      '',
      '## Errors',
      '',
      Object.keys(errors).length ? table(['error', 'count'], Object.entries(errors).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k.replace(/\|/g, '/'), v])) : 'none',
      pool.fatal.length ? `\nClient failures:\n\n${pool.fatal.map((x) => `- ${x.split('\n')[0]}`).join('\n')}` : '',
      '',
      `Command: \`npm run load -- ${process.argv.slice(2).join(' ')}\``,
      '',
    ].join('\n');
  return { summary, markdown };
}
