/**
 * `sale`: a full on-sale against K instances. Buyers come online, join at the burst rate, wait,
 * get admitted, pick seats, check out and pay (or abandon). The main process samples the show's
 * stats on every instance every 100 ms, tells the clients when the show sells out, optionally
 * SIGKILLs one instance mid-sale, then checks the results against the database.
 */
import pg from 'pg';
import type { ShowStats } from '../../../src/shared/api.js';
import { chart } from '../charts.js';
import type { Context } from '../context.js';
import { checkFifo, type FifoEntry } from '../fifo.js';
import type { BuyerRecord, SaleInit, SaleProgress, SaleResult } from '../protocol.js';
import { WorkerPool } from '../pool.js';
import { table, writeReport, type ReportFiles } from '../report.js';
import { treeRssKb } from '../servers.js';
import { prepareRun } from '../setup.js';
import { Histogram, fmt, fmtMs, mib, perSecond, round, sleep, summarize } from '../util.js';

export interface SaleOptions {
  buyers: number;
  seats: number;
  clients: number;
  burst: number;
  capacity: number;
  window: number;
  abandon: number;
  quit: number;
  tickets: number;
  thinkMs: number;
  killOne: boolean;
  killAt?: number;
  fifoToleranceMs: number;
  connectRate: number;
}

export const MAX_BUYERS_PER_CLIENT = 15_000;

interface Sample {
  t: number;
  inst: number;
  waiting: number;
  admitted: number;
  sold: number;
  held: number;
}

/** What the main process follows while the sale runs: read by the progress bars, the sampler and the killer. */
interface Live {
  t0: number;
  lastSold: number;
  lastWaiting: number;
  lastAdmitted: number;
  killedAt?: number;
  stopped: boolean;
  /** The clients' progress counters, added up. */
  sum(k: keyof SaleProgress): number;
}

/** The stats samples of every instance, and what the capacity check needs from them. */
interface Sampled {
  samples: Sample[];
  peakAdmitted: number;
  overCapacity: number;
  sampleErrors: number;
  sampleSkipped: number;
  soldOutAt?: number;
}

export async function runSale(ctx: Context, o: SaleOptions): Promise<{ files: ReportFiles; summary: string; ok: boolean }> {
  const perClient = checkSaleOptions(ctx, o);
  const { show, rssBefore, addrs, inits } = await prepareSale(ctx, o, perClient);
  const pool = new WorkerPool(inits, 4096);
  const live = trackProgress(ctx, pool, o, show);
  const killedInstance = ctx.instances.length - 1;
  try {
    await pool.waitAll('online', ctx.deadlineAt, () => ctx.aborted());
    const rssOnline = ctx.instances.map((i) => treeRssKb(i.pid));
    ctx.log(`${fmt(live.sum('online'))} buyers online; the sale opens`);
    live.t0 = Date.now() + 300;
    pool.broadcast({ type: 'go', t0: live.t0 });

    const sampled: Sampled = { samples: [], peakAdmitted: 0, overCapacity: 0, sampleErrors: 0, sampleSkipped: 0 };
    const sampler = sampleStats(ctx, show, pool, live, sampled, killedInstance);
    const killer = o.killOne ? killOneMidSale(ctx, o, show, pool, live, killedInstance) : Promise.resolve();

    await pool.waitAll('done', ctx.deadlineAt, () => ctx.aborted());
    const endedAt = Date.now();
    await sleep(1_500); // a last few samples after the end
    const rssEnd = ctx.instances.map((i) => (i.alive() ? treeRssKb(i.pid) : undefined));
    live.stopped = true;
    await Promise.all([sampler, killer]);
    await pool.finish();

    const merged = mergeResults([...pool.results.values()] as SaleResult[]);
    const analysis = analyseBuyers(merged.buyers, live.t0, o);
    const db = await dbChecks(ctx, show.showId, analysis.paid);
    const run: SaleRun = { ctx, o, show, addrs, live, sampled, killedInstance, endedAt, rss: { rssBefore, rssOnline, rssEnd }, pool, merged, analysis, db };
    const { data, checks, ok, lat } = saleData(run);
    const charts = saleCharts(run);
    const { summary, markdown } = saleReport(run, data, checks, ok, lat);
    const files = writeReport(ctx.common.out, o.killOne ? 'sale-kill-one' : 'sale', ctx.started, { ...data, buyers: merged.buyers.length <= 2_000 ? merged.buyers : undefined }, charts, markdown);
    return { files, summary: `**${ok ? 'PASS' : 'FAIL'}**\n\n${summary}`, ok };
  } finally {
    live.stopped = true;
    await pool.kill(0);
  }
}

/** Refuses options the run cannot honour; returns the buyers per client process. */
function checkSaleOptions(ctx: Context, o: SaleOptions): number {
  const K = ctx.instances.length;
  if (o.killOne && K < 2) throw new Error('--kill-one needs at least 2 instances');
  if (o.killOne && !ctx.instances[K - 1]!.pid) throw new Error('--kill-one: the pid of the last instance is unknown (not on this machine?)');
  const perClient = Math.ceil(o.buyers / o.clients);
  if (perClient > MAX_BUYERS_PER_CLIENT) throw new Error(`--clients ${o.clients}: ${perClient} buyers per client process is over ${MAX_BUYERS_PER_CLIENT}; use --clients ${Math.ceil(o.buyers / MAX_BUYERS_PER_CLIENT)} or more`);
  return perClient;
}

/** The show, the fans and one init message per client process. */
async function prepareSale(ctx: Context, o: SaleOptions, perClient: number) {
  const { show, rssBefore, addrs, clientInit } = await prepareRun(ctx, {
    show: { title: `Sale ${ctx.runId}`, seats: o.seats, pageCapacity: o.capacity, windowSeconds: o.window, maxTickets: o.tickets },
    describe: (s) =>
      `show ${s.showId}: ${fmt(s.seats)} seats in ${s.areaIds.length} area(s), capacity ${s.pageCapacity}, window ${s.purchaseWindowSeconds} s, ${s.maxTicketsPerAccount} ticket(s) per buyer`,
    fans: o.buyers,
    clients: o.clients,
    perClient,
    httpSockets: 96,
  });
  const inits: SaleInit[] = Array.from({ length: o.clients }, (_, w) => ({
    role: 'sale',
    ...clientInit(w),
    connectRate: o.connectRate / o.clients,
    burst: o.burst,
    areaIds: show.areaIds,
    pageCapacity: show.pageCapacity,
    windowSeconds: show.purchaseWindowSeconds,
    tickets: o.tickets,
    abandon: o.abandon,
    quit: o.quit,
    thinkMs: o.thinkMs,
  }));
  return { show, rssBefore, addrs, inits };
}

/** Progress bars fed by the clients' counters and the latest stats sample. */
function trackProgress(ctx: Context, pool: WorkerPool, o: SaleOptions, show: { seats: number; pageCapacity: number }): Live {
  const { progress } = ctx;
  const prog = new Map<number, SaleProgress>();
  const live: Live = {
    t0: 0,
    lastSold: 0,
    lastWaiting: 0,
    lastAdmitted: 0,
    stopped: false,
    sum: (k) => [...prog.values()].reduce((n, x) => n + x[k], 0),
  };
  const { sum } = live;
  const bars = {
    online: progress.bar('online', o.buyers),
    joined: progress.bar('joined', o.buyers),
    admitted: progress.bar('admitted', o.buyers),
    sold: progress.bar('seats sold', show.seats),
    done: progress.bar('buyers done', o.buyers),
  };
  pool.on((m) => {
    if (m.type === 'progress' && 'online' in m.p) {
      prog.set(m.worker, m.p);
      bars.online.update(sum('online'));
      bars.joined.update(sum('joined'), `waiting ${fmt(live.lastWaiting)}`);
      bars.admitted.update(sum('admitted'), `on page ${fmt(live.lastAdmitted)}/${show.pageCapacity}`);
      bars.sold.update(live.lastSold, `paid orders ${fmt(sum('paid'))}`);
      bars.done.update(sum('done'), `reconnects ${fmt(sum('reconnects'))} errors ${fmt(sum('errors'))}`);
    }
  });
  return live;
}

/**
 * Stats on every instance every 100 ms (up to 3 requests in flight per instance, so a slow answer
 * does not stretch the interval). Tells the clients when the show sells out.
 */
async function sampleStats(ctx: Context, show: { showId: string; seats: number }, pool: WorkerPool, live: Live, sampled: Sampled, killedInstance: number): Promise<void> {
  const { http, adminToken } = ctx;
  const { samples } = sampled;
  let soldOutSent = false;
  const sampleOne = async (inst: number) => {
    try {
      const r = await http.request<ShowStats>(inst, 'GET', `/api/admin/shows/${show.showId}/stats`, { token: adminToken, timeoutMs: 5_000 });
      if (r.status !== 200) {
        sampled.sampleErrors++;
        return;
      }
      const s = r.body;
      samples.push({ t: Date.now(), inst, waiting: s.waiting, admitted: s.admitted, sold: s.sold, held: s.held });
      sampled.peakAdmitted = Math.max(sampled.peakAdmitted, s.admitted);
      if (s.admitted > s.pageCapacity) sampled.overCapacity++;
      live.lastSold = Math.max(live.lastSold, s.sold);
      live.lastWaiting = s.waiting;
      live.lastAdmitted = s.admitted;
      if (s.sold >= show.seats && sampled.soldOutAt === undefined) {
        sampled.soldOutAt = Date.now();
        if (!soldOutSent) {
          soldOutSent = true;
          pool.broadcast({ type: 'soldOut' });
          ctx.log(`sold out after ${fmt((sampled.soldOutAt - live.t0) / 1000, 1)} s`);
        }
      }
    } catch {
      sampled.sampleErrors++;
    }
  };
  await Promise.all(
    ctx.instances.map(async (_, inst) => {
      const inFlight = new Set<Promise<void>>();
      for (let tick = 0; !live.stopped && !ctx.aborted() && Date.now() < ctx.deadlineAt; tick++) {
        if (inst === killedInstance && live.killedAt !== undefined) break;
        if (inFlight.size < 3) {
          const p = sampleOne(inst).finally(() => inFlight.delete(p));
          inFlight.add(p);
        } else sampled.sampleSkipped++;
        await sleep(Math.max(0, live.t0 + (tick + 1) * 100 - Date.now()));
      }
      await Promise.all(inFlight);
    }),
  );
}

/** --kill-one: SIGKILL the last instance at --kill-at seconds, or once 30% of the seats are sold. */
async function killOneMidSale(ctx: Context, o: SaleOptions, show: { seats: number }, pool: WorkerPool, live: Live, killedInstance: number): Promise<void> {
  const target = ctx.instances[killedInstance]!;
  while (!ctx.aborted() && Date.now() < ctx.deadlineAt && !live.stopped) {
    const elapsed = (Date.now() - live.t0) / 1000;
    const due = o.killAt !== undefined ? elapsed >= o.killAt : live.lastSold >= 0.3 * show.seats || live.sum('done') >= 0.5 * o.buyers;
    if (due) {
      live.killedAt = Date.now();
      if (target.proc) target.proc.kill('SIGKILL');
      else process.kill(target.pid!, 'SIGKILL');
      pool.broadcast({ type: 'killed', instance: killedInstance });
      ctx.log(`SIGKILL instance ${killedInstance + 1} (${target.url}, pid ${target.pid}) at ${fmt(elapsed, 1)} s, ${fmt(live.lastSold)} seats sold`);
      return;
    }
    await sleep(50);
  }
}

/** The clients' records and measurements, as one. */
function mergeResults(results: SaleResult[]) {
  const buyers: BuyerRecord[] = results.flatMap((r) => r.buyers).sort((a, b) => a.g - b.g);
  const latency: Record<string, Histogram> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.latency)) (latency[k] ??= new Histogram()).merge(v);
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const statusAge = Histogram.from(results.map((r) => r.statusAge));
  return { buyers, latency, statuses, errors, statusAge };
}

/** Outcomes and rates, fairness and safety, ETA accuracy, admission notice, reconnections. */
function analyseBuyers(buyers: BuyerRecord[], t0: number, o: SaleOptions) {
  // ---- outcomes and rates
  const outcomes: Record<string, number> = {};
  for (const b of buyers) outcomes[b.outcome] = (outcomes[b.outcome] ?? 0) + 1;
  const paid = buyers.filter((b) => b.paidAt !== undefined);
  const paidTimes = paid.map((b) => b.paidAt!).sort((a, b) => a - b);
  const ticketsFromResponses = paid.reduce((n, b) => n + (b.ticketIds?.length ?? 0), 0);
  const firstPaid = paidTimes[0];
  const lastPaid = paidTimes.at(-1);
  const paidPerSecond = perSecond(paidTimes, t0);
  const paidRate = {
    overSale: lastPaid !== undefined ? paid.length / ((lastPaid - t0) / 1000) : NaN,
    whilePaying: firstPaid !== undefined && lastPaid! > firstPaid ? paid.length / ((lastPaid! - firstPaid) / 1000) : NaN,
    peak1s: Math.max(0, ...paidPerSecond),
  };
  const admittedTimes = buyers.filter((b) => b.admittedAt !== undefined).map((b) => b.admittedAt!);
  const admissionsPerSecond = perSecond(admittedTimes, t0);

  // ---- fairness and safety
  const fifoEntries: FifoEntry[] = [];
  let removed = 0;
  for (const b of buyers) {
    if (b.removedAt !== undefined || b.ended.includes('removed')) removed++;
    if (b.joinSentAt === undefined || b.joinRespAt === undefined) continue;
    if (b.admittedAt === undefined && b.removedAt !== undefined) continue; // removed by the server: counted above
    if (b.outcome.startsWith('join-') || b.outcome === 'sold-out-at-join') continue;
    const exitAt = b.admittedAt ?? b.leftWaitingAt ?? Infinity;
    fifoEntries.push({ g: b.g, joinSentAt: b.joinSentAt, joinRespAt: b.joinRespAt, admittedAt: b.admittedAt, exitAt });
  }
  const fifo = checkFifo(fifoEntries, o.fifoToleranceMs);
  const doubleAdmitted = buyers.filter((b) => b.admissions > 1).length;
  const placeLost = buyers.filter((b) => b.placeLost).length;

  // ---- ETA accuracy: first prediction (join response) vs the actual wait
  const eta = buyers
    .filter((b) => b.eta !== undefined && b.admittedAt !== undefined && b.joinSentAt !== undefined)
    .map((b) => ({ actual: (b.admittedAt! - b.joinSentAt!) / 1000, eta: b.eta!, likely: b.etaLikely ?? NaN, position: b.joinPosition ?? 0 }));
  const absErr = (k: 'eta' | 'likely') => summarize(eta.filter((e) => Number.isFinite(e[k])).map((e) => Math.abs(e[k] - e.actual)));
  const signed = (k: 'eta' | 'likely') => {
    const xs = eta.filter((e) => Number.isFinite(e[k])).map((e) => e[k] - e.actual);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  };
  const etaReport = {
    buyers: eta.length,
    actualWaitSeconds: summarize(eta.map((e) => e.actual)),
    etaSeconds: { medianAbsError: round(absErr('eta').p50), p90AbsError: round(absErr('eta').p90), meanSignedError: round(signed('eta')) },
    etaLikelySeconds: { medianAbsError: round(absErr('likely').p50), p90AbsError: round(absErr('likely').p90), meanSignedError: round(signed('likely')) },
  };

  // ---- how long an admission took to reach its buyer, by the way it arrived
  const notice: Record<string, ReturnType<typeof summarize>> = {};
  for (const via of ['join', 'event', 'status', 'poll']) {
    const xs = buyers.filter((b) => b.admittedVia === via && b.admittedSeenAt !== undefined).map((b) => b.admittedSeenAt! - b.admittedAt!);
    if (xs.length) notice[via] = summarize(xs);
  }

  // ---- kill-one: reconnections
  const reconnectMs = buyers.flatMap((b) => b.reconnectMs);
  const reconnect = { buyers: buyers.filter((b) => b.reconnects > 0).length, reconnects: buyers.reduce((n, b) => n + b.reconnects, 0), ms: summarize(reconnectMs) };
  return { outcomes, paid, ticketsFromResponses, paidPerSecond, paidRate, admissionsPerSecond, fifo, doubleAdmitted, placeLost, removed, eta, etaReport, notice, reconnect };
}

type Merged = ReturnType<typeof mergeResults>;
type Analysis = ReturnType<typeof analyseBuyers>;

interface SaleRun {
  ctx: Context;
  o: SaleOptions;
  show: Awaited<ReturnType<typeof prepareSale>>['show'];
  addrs: string[][];
  live: Live;
  sampled: Sampled;
  killedInstance: number;
  endedAt: number;
  rss: { rssBefore: (number | undefined)[]; rssOnline: (number | undefined)[]; rssEnd: (number | undefined)[] };
  pool: WorkerPool;
  merged: Merged;
  analysis: Analysis;
  db: Awaited<ReturnType<typeof dbChecks>>;
}

/** The checks of the sale (the run fails if one does not hold) and the report's data. */
function saleData(run: SaleRun) {
  const { ctx, o, show, addrs, sampled, killedInstance, endedAt, pool, db } = run;
  const { t0, killedAt } = run.live;
  const { samples, peakAdmitted, overCapacity, sampleErrors, sampleSkipped, soldOutAt } = sampled;
  const { rssBefore, rssOnline, rssEnd } = run.rss;
  const { latency, statuses, errors, statusAge } = run.merged;
  const { outcomes, paid, ticketsFromResponses, paidPerSecond, paidRate, admissionsPerSecond, fifo, doubleAdmitted, placeLost, removed, etaReport, notice, reconnect } = run.analysis;
  const K = ctx.instances.length;
  const soldOutSeconds = soldOutAt !== undefined ? (soldOutAt - t0) / 1000 : NaN;
  const checks = {
    capacityNeverExceeded: overCapacity === 0 && peakAdmitted <= show.pageCapacity,
    fifo: fifo.violations === 0,
    noDoubleSold: db ? db.doubleSold === 0 : null,
    ticketsMatchSoldSeats: db ? db.tickets === db.seatsSold && db.tickets === ticketsFromResponses + db.ticketsOfUnseenPayments : null,
    noPaidLost: db ? db.paidLost === 0 : null,
    noDoubleAdmission: doubleAdmitted === 0,
    nobodyRemoved: removed === 0 && placeLost === 0,
    clientsHealthy: pool.fatal.length === 0,
  };
  const ok = Object.values(checks).every((v) => v !== false);
  const lat = Object.fromEntries(
    Object.entries(latency).map(([k, h]) => [k, { n: h.n, p50: round(h.quantile(50), 0), p99: round(h.quantile(99), 0), max: round(h.max, 0) }]),
  );
  const data = {
    scenario: 'sale',
    runId: ctx.runId,
    startedAt: ctx.started.toISOString(),
    options: { ...o, instances: K, urls: ctx.instances.map((i) => i.url), managedServers: ctx.managed, serverWorkers: ctx.common.serverWorkers ?? 1, grace: ctx.common.grace },
    sourceAddresses: addrs,
    show,
    ok,
    checks,
    saleSeconds: round((endedAt - t0) / 1000),
    sellOutSeconds: Number.isFinite(soldOutSeconds) ? round(soldOutSeconds) : null,
    paidOrders: paid.length,
    paidOrdersPerSecond: { overSale: round(paidRate.overSale), whilePaying: round(paidRate.whilePaying), peak1s: paidRate.peak1s },
    tickets: { fromPayResponses: ticketsFromResponses, ...(db ?? {}) },
    admitted: { peak: peakAdmitted, capacity: show.pageCapacity, samples: samples.length, samplesOverCapacity: overCapacity, sampleErrors, sampleTicksSkipped: sampleSkipped, samplesPerSecondPerInstance: round(samples.length / K / Math.max(1, (endedAt - t0) / 1000)) },
    fifo,
    doubleAdmitted,
    removedByServer: removed,
    placeLost,
    eta: etaReport,
    outcomes,
    killOne: o.killOne
      ? { instance: ctx.instances[killedInstance]!.url, killedAtSeconds: killedAt !== undefined ? round((killedAt - t0) / 1000) : null, ...reconnect }
      : null,
    latencyMs: lat,
    httpStatuses: statuses,
    statusAgeMs: { p50: round(statusAge.quantile(50), 0), p99: round(statusAge.quantile(99), 0), n: statusAge.n },
    admissionNoticeMs: notice,
    serverRss: ctx.instances.map((inst, i) => ({ url: inst.url, pid: inst.pid, beforeKb: rssBefore[i] ?? null, onlineKb: rssOnline[i] ?? null, endKb: rssEnd[i] ?? null })),
    errors,
    workerFailures: pool.fatal,
    series: {
      stats: samples.filter((s) => s.inst === 0 || (killedAt !== undefined && s.t > killedAt)).map((s) => [round((s.t - t0) / 1000, 2), s.waiting, s.admitted, s.sold, s.held, s.inst]),
      admissionsPerSecond,
      paidPerSecond,
    },
  };
  return { data, checks, ok, lat };
}

function saleCharts(run: SaleRun): Record<string, string> {
  const { show } = run;
  const { t0 } = run.live;
  const { samples } = run.sampled;
  const { admissionsPerSecond, paidPerSecond, eta } = run.analysis;
  const line = samples.filter((s) => s.inst === 0);
  const sec = (t: number) => (t - t0) / 1000;
  const charts: Record<string, string> = {
    line: chart({
      title: 'Waiting line and selling page',
      xLabel: 'seconds since the sale opened',
      yLabel: 'accounts',
      series: [
        { name: 'waiting', points: line.map((s) => [sec(s.t), s.waiting]) },
        { name: 'admitted (page)', points: samples.map((s) => [sec(s.t), s.admitted]) },
      ],
      hline: { y: show.pageCapacity, label: `capacity ${show.pageCapacity}` },
    }),
    admissions: chart({
      title: 'Admissions and paid orders per second',
      xLabel: 'seconds since the sale opened',
      yLabel: 'per second',
      series: [
        { name: 'admissions/s', points: admissionsPerSecond.map((c, i) => [i, c]) },
        { name: 'paid orders/s', points: paidPerSecond.map((c, i) => [i, c]) },
      ],
    }),
    sold: chart({
      title: 'Seats sold and held',
      xLabel: 'seconds since the sale opened',
      yLabel: 'seats',
      series: [
        { name: 'sold', points: line.map((s) => [sec(s.t), s.sold]) },
        { name: 'held', points: line.map((s) => [sec(s.t), s.held]) },
      ],
      hline: { y: show.seats, label: `${show.seats} seats` },
    }),
    eta: chart({
      title: 'Predicted vs actual wait (first prediction of each buyer)',
      xLabel: 'actual wait (s)',
      yLabel: 'predicted wait (s)',
      diagonal: true,
      series: [
        { name: 'etaSeconds', points: eta.map((e) => [e.actual, e.eta]), dots: true },
        { name: 'etaLikelySeconds', points: eta.filter((e) => Number.isFinite(e.likely)).map((e) => [e.actual, e.likely]), dots: true },
      ],
    }),
  };
  return charts;
}

type SaleData = ReturnType<typeof saleData>;

function saleReport(run: SaleRun, data: SaleData['data'], checks: SaleData['checks'], ok: boolean, lat: SaleData['lat']) {
  const { ctx, o, show, killedInstance, endedAt, pool, db } = run;
  const { t0, killedAt } = run.live;
  const { samples, peakAdmitted, overCapacity, soldOutAt } = run.sampled;
  const { statuses, errors, statusAge } = run.merged;
  const { outcomes, paid, ticketsFromResponses, paidRate, fifo, doubleAdmitted, placeLost, removed, eta, etaReport, notice, reconnect } = run.analysis;
  const K = ctx.instances.length;
  const soldOutSeconds = soldOutAt !== undefined ? (soldOutAt - t0) / 1000 : NaN;
  const yes = (v: boolean | null) => (v === null ? 'not checked' : v ? 'yes' : '**NO**');
  const rows: (string | number)[][] = [
    ['buyers / seats', `${fmt(o.buyers)} / ${fmt(show.seats)}`],
    ['sell-out time', Number.isFinite(soldOutSeconds) ? `${fmt(soldOutSeconds, 1)} s` : `not sold out (sale ran ${fmt((endedAt - t0) / 1000, 1)} s)`],
    ['paid orders', `${fmt(paid.length)} (${fmt(ticketsFromResponses)} tickets)`],
    ['paid orders/s (sale avg / while paying / peak 1 s)', `${fmt(paidRate.overSale, 1)} / ${fmt(paidRate.whilePaying, 1)} / ${fmt(paidRate.peak1s)}`],
    ['peak admitted vs capacity', `${fmt(peakAdmitted)} / ${show.pageCapacity} (${fmt(samples.length)} samples of ${K} instance(s), ${fmt(data.admitted.samplesPerSecondPerInstance, 1)}/s each; ${overCapacity} over)`],
    ['FIFO violations', `${fmt(fifo.violations)} (${fmt(fifo.admitted)} admissions checked; ${fmt(fifo.inversionsWithinTolerance)} within ${o.fifoToleranceMs} ms)`],
    ['double-sold seats (DB)', db ? fmt(db.doubleSold) : 'not checked'],
    ['tickets in DB / seats sold / from pay responses', db ? `${fmt(db.tickets)} / ${fmt(db.seatsSold)} / ${fmt(ticketsFromResponses)}` : `? / ? / ${fmt(ticketsFromResponses)}`],
    ['paid responses without their tickets in DB', db ? fmt(db.paidLost) : 'not checked'],
    ['double admitted / removed / place lost', `${doubleAdmitted} / ${removed} / ${placeLost}`],
    ['ETA etaSeconds: median / p90 abs error', `${fmt(etaReport.etaSeconds.medianAbsError, 1)} s / ${fmt(etaReport.etaSeconds.p90AbsError, 1)} s (n=${eta.length})`],
    ['ETA etaLikelySeconds: median / p90 abs error', `${fmt(etaReport.etaLikelySeconds.medianAbsError, 1)} s / ${fmt(etaReport.etaLikelySeconds.p90AbsError, 1)} s`],
  ];
  if (o.killOne) {
    rows.push([
      'kill-one',
      killedAt !== undefined
        ? `instance ${killedInstance + 1} killed at ${fmt((killedAt - t0) / 1000, 1)} s; ${fmt(reconnect.buyers)} buyers reconnected (p50 ${fmtMs(reconnect.ms.p50)}, max ${fmtMs(reconnect.ms.max)})`
        : 'never killed (the sale ended first)',
    ]);
  }
  const summary = table(['sale', 'result'], rows, ['l', 'l']);
  const markdown = (f: (n: string) => string) =>
    [
      `# Load: on-sale of ${fmt(show.seats)} seats to ${fmt(o.buyers)} buyers${o.killOne ? ', one instance killed' : ''}`,
      '',
      `Run \`${ctx.runId}\` at ${ctx.started.toISOString()}: ${K} server instance(s)${ctx.managed ? ' started by the tool' : ''}${ctx.common.serverWorkers ? ` with WORKERS=${ctx.common.serverWorkers}` : ''}, ${o.clients} client process(es); capacity ${show.pageCapacity}, window ${show.purchaseWindowSeconds} s, joins at ${o.burst}/s, abandon ${o.abandon}, quit while waiting ${o.quit}, ${o.tickets} ticket(s) per buyer, QUEUE_GRACE_SECONDS ${ctx.common.grace}.`,
      '',
      `**${ok ? 'PASS' : 'FAIL'}**`,
      '',
      table(['check', 'held'], [
        ['admitted never above capacity', yes(checks.capacityNeverExceeded)],
        ['first come, first served', yes(checks.fifo)],
        ['no seat sold twice', yes(checks.noDoubleSold)],
        ['tickets = seats sold = paid tickets', yes(checks.ticketsMatchSoldSeats)],
        ['every paid response has its tickets in the DB', yes(checks.noPaidLost)],
        ['nobody admitted twice', yes(checks.noDoubleAdmission)],
        ['nobody lost their place', yes(checks.nobodyRemoved)],
        ['client processes healthy', yes(checks.clientsHealthy)],
      ], ['l', 'l']),
      '',
      summary,
      '',
      '## Buyers',
      '',
      table(['outcome', 'buyers'], Object.entries(outcomes).sort((a, b) => b[1] - a[1])),
      '',
      '## ETA accuracy',
      '',
      `For each buyer that waited: its first prediction (the join response) against its actual wait (server admittedAt − join sent). Signed error > 0 means the prediction was too long. Actual waits: p50 ${fmt(etaReport.actualWaitSeconds.p50, 1)} s, p90 ${fmt(etaReport.actualWaitSeconds.p90, 1)} s.`,
      '',
      table(
        ['estimate', 'median abs error', 'p90 abs error', 'mean signed error'],
        [
          ['etaSeconds (worst case)', `${fmt(etaReport.etaSeconds.medianAbsError, 1)} s`, `${fmt(etaReport.etaSeconds.p90AbsError, 1)} s`, `${fmt(etaReport.etaSeconds.meanSignedError, 1)} s`],
          ['etaLikelySeconds', `${fmt(etaReport.etaLikelySeconds.medianAbsError, 1)} s`, `${fmt(etaReport.etaLikelySeconds.p90AbsError, 1)} s`, `${fmt(etaReport.etaLikelySeconds.meanSignedError, 1)} s`],
        ],
      ),
      '',
      '## Latency (client side)',
      '',
      table(['call', 'count', 'p50', 'p99', 'max'], Object.entries(lat).map(([k, v]) => [k, fmt(v.n), fmtMs(v.p50), fmtMs(v.p99), fmtMs(v.max)])),
      '',
      `queue:status age (receive − server \`at\`): p50 ${fmtMs(statusAge.quantile(50))}, p99 ${fmtMs(statusAge.quantile(99))} over ${fmt(statusAge.n)} statuses.`,
      '',
      'How buyers learned of their admission, and how long after the server\'s admittedAt:',
      '',
      table(['via', 'buyers', 'p50', 'p99', 'max'], Object.entries(notice).map(([k, v]) => [k, fmt(v.n), fmtMs(v.p50), fmtMs(v.p99), fmtMs(v.max)])),
      '',
      '## Server memory',
      '',
      table(
        ['instance', 'pid', 'before', 'buyers online', 'end'],
        data.serverRss.map((r) => [r.url, r.pid ?? '?', r.beforeKb === null ? '?' : mib(r.beforeKb), r.onlineKb === null ? '?' : mib(r.onlineKb), r.endKb === null ? 'gone' : mib(r.endKb)]),
      ),
      '',
      '## Charts',
      '',
      `![line](${f('line')})`,
      '',
      `![admissions](${f('admissions')})`,
      '',
      `![sold](${f('sold')})`,
      '',
      `![eta](${f('eta')})`,
      '',
      '## HTTP answers',
      '',
      table(['call and status', 'count'], Object.entries(statuses).sort((a, b) => a[0].localeCompare(b[0]))),
      '',
      '## Client-side errors',
      '',
      Object.keys(errors).length ? table(['error', 'count'], Object.entries(errors).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k.replace(/\|/g, '/'), v])) : 'none',
      fifo.examples.length ? `\nFIFO violation examples (buyer indexes in join order):\n\n\`\`\`json\n${JSON.stringify(fifo.examples, null, 1)}\n\`\`\`` : '',
      pool.fatal.length ? `\nClient failures:\n\n${pool.fatal.map((x) => `- ${x.split('\n')[0]}`).join('\n')}` : '',
      '',
      `Command: \`npm run load -- ${process.argv.slice(2).join(' ')}\``,
      '',
    ].join('\n');
  return { summary, markdown };
}


async function dbChecks(
  ctx: Context,
  showId: string,
  paid: BuyerRecord[],
): Promise<{ doubleSold: number; tickets: number; seatsSold: number; paidOrders: number; soldWithoutTicket: number; paidLost: number; ticketsOfUnseenPayments: number } | undefined> {
  if (!ctx.db) return undefined;
  const client = new pg.Client({ connectionString: ctx.db.url, options: ctx.db.schema ? `-c search_path=${ctx.db.schema}` : undefined });
  await client.connect();
  try {
    const one = async (sql: string, params: unknown[]) => Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);
    const doubleSold = await one(`SELECT count(*) AS n FROM (SELECT seat_id FROM tickets WHERE show_id = $1 GROUP BY show_id, seat_id HAVING count(*) > 1) d`, [showId]);
    const tickets = await one(`SELECT count(*) AS n FROM tickets WHERE show_id = $1`, [showId]);
    const seatsSold = await one(`SELECT count(*) AS n FROM show_seats WHERE show_id = $1 AND status = 'sold'`, [showId]);
    const paidOrders = await one(`SELECT count(*) AS n FROM orders WHERE show_id = $1 AND status = 'paid'`, [showId]);
    const soldWithoutTicket = await one(
      `SELECT count(*) AS n FROM show_seats ss WHERE ss.show_id = $1 AND ss.status = 'sold'
          AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.show_id = ss.show_id AND t.seat_id = ss.seat_id)`,
      [showId],
    );
    // Every ticket a 200 pay response returned must exist, in a paid order of the same id.
    const wanted = paid.flatMap((b) => (b.ticketIds ?? []).map((t) => ({ t, o: b.orderId! })));
    let found = 0;
    for (let i = 0; i < wanted.length; i += 5_000) {
      const chunk = wanted.slice(i, i + 5_000);
      found += await one(
        `SELECT count(*) AS n FROM tickets t JOIN orders o ON o.id = t.order_id
          JOIN unnest($1::uuid[], $2::uuid[]) AS w(tid, oid) ON w.tid = t.id AND w.oid = t.order_id
         WHERE o.status = 'paid'`,
        [chunk.map((w) => w.t), chunk.map((w) => w.o)],
      );
    }
    // Tickets of payments whose response never reached a client (e.g. the instance died mid-answer).
    const seenOrders = paid.map((b) => b.orderId!);
    const ticketsOfUnseenPayments = await one(`SELECT count(*) AS n FROM tickets WHERE show_id = $1 AND NOT (order_id = ANY($2::uuid[]))`, [showId, seenOrders]);
    return { doubleSold, tickets, seatsSold, paidOrders, soldWithoutTicket, paidLost: wanted.length - found, ticketsOfUnseenPayments };
  } finally {
    await client.end();
  }
}

