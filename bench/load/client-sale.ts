/**
 * Worker side of `sale`: this worker's buyers come online (one Socket.IO connection each), join the
 * waiting room at their scheduled time, wait for admission, pick seats, check out and pay — or
 * abandon. Connections lost to a dead instance move to another instance and re-watch; HTTP calls
 * fail over. Every wait is bounded by the admission window or the run's deadline.
 */
import type { Order, QueueResponse, Seat } from '../../src/shared/api.js';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { emitWatch, openSocket, type LoadSocket } from './client-socket.js';
import { JsonClient, NetError, errorCode, type JsonResponse } from './http.js';
import type { BuyerRecord, Fate, FromWorker, SaleInit, SaleProgress, SaleResult, ToWorker } from './protocol.js';
import { Histogram, rng, sleep } from './util.js';

const CARD = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123' };

interface Buyer {
  rec: BuyerRecord;
  token: string;
  inst: number;
  src: string | undefined;
  socket?: LoadSocket;
  active: boolean;
  phase: 'offline' | 'online' | 'joining' | 'waiting' | 'admitted' | 'done';
  reconnecting: boolean;
  expiresAt: number;
  admittedSet: Set<number>;
  wake?: () => void;
  lastHeard: number;
}

class Stop extends Error {}

export async function runSaleWorker(init: SaleInit, send: (m: FromWorker) => void, inbox: (fn: (m: ToWorker) => void) => void): Promise<void> {
  const K = init.urls.length;
  const http = new JsonClient(init.urls, { localAddress: init.srcAddrs[0], maxSockets: init.httpSockets });
  const random = rng(init.seed * 7919 + init.workerIndex);
  const dead = new Set<number>();
  const latency: Record<string, Histogram> = {};
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const statusAge = new Histogram();
  const soldAreas = new Set<number>();
  const p: SaleProgress = { online: 0, joined: 0, admitted: 0, paid: 0, tickets: 0, done: 0, reconnects: 0, errors: 0 };
  let soldOut = false;
  let finishing = false;
  let t0 = 0;
  let goResolve: () => void = () => undefined;
  const go = new Promise<void>((r) => (goResolve = r));
  const err = (k: string) => {
    errors[k] = (errors[k] ?? 0) + 1;
    p.errors++;
  };
  const stopped = () => finishing || Date.now() >= init.deadlineAt;

  const fateOf = (): Fate => {
    const x = random();
    if (x < init.quit) return 'quit';
    if (x < init.quit + init.abandon / 2) return 'leave';
    if (x < init.quit + init.abandon) return 'expire';
    return 'buy';
  };

  const buyers: Buyer[] = init.accounts.map((a, i) => ({
    rec: { g: a.g, id: a.id, fate: fateOf(), outcome: 'not-started', admissions: 0, holdConflicts: 0, reconnects: 0, reconnectMs: [], ended: [] },
    token: a.token,
    inst: a.g % K,
    src: init.srcAddrs[i % init.srcAddrs.length],
    active: true,
    phase: 'offline',
    reconnecting: false,
    expiresAt: 0,
    admittedSet: new Set(),
    lastHeard: 0,
  }));

  const nextAlive = (from: number): number => {
    for (let k = 1; k <= K; k++) {
      const c = (from + k) % K;
      if (!dead.has(c)) return c;
    }
    return (from + 1) % K;
  };

  const finish = (b: Buyer, outcome: string) => {
    if (!b.active) return;
    b.active = false;
    b.phase = 'done';
    b.rec.outcome = outcome;
    p.done++;
    b.wake?.();
    const s = b.socket;
    b.socket = undefined;
    s?.disconnect();
    if (p.done === buyers.length) send({ type: 'done', worker: init.workerIndex });
  };

  const wakeAll = () => {
    for (const b of buyers) b.wake?.();
  };

  inbox((m) => {
    if (m.type === 'go') {
      t0 = m.t0;
      goResolve();
    } else if (m.type === 'soldOut') {
      soldOut = true;
      wakeAll();
    } else if (m.type === 'killed') {
      dead.add(m.instance);
    } else if (m.type === 'finish') {
      finishing = true;
      goResolve();
      wakeAll();
    }
  });

  /** One HTTP call with failover to another instance on network errors (idempotent calls only retry). */
  async function api<T>(b: Buyer, kind: string, method: string, path: string, body?: unknown, retry = true): Promise<JsonResponse<T>> {
    let last: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (Date.now() >= init.deadlineAt) throw new Stop();
      const inst = b.inst;
      try {
        const r = await http.request<T>(inst, method, path, { token: b.token, body, timeoutMs: 60_000 });
        (latency[kind] ??= new Histogram()).add(r.ms);
        const key = `${kind} ${r.status}${r.status >= 400 ? ` ${errorCode(r.body) ?? ''}` : ''}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (r.status >= 500) {
          if (!retry || attempt >= 2) return r;
          await sleep(200 * (attempt + 1));
          continue;
        }
        return r;
      } catch (e) {
        last = e;
        const code = e instanceof NetError ? e.code : 'ERR';
        err(`${kind}: ${code}`);
        if (code === 'ECONNREFUSED') dead.add(inst);
        if (b.inst === inst) b.inst = nextAlive(inst);
        if (!retry) throw e;
        await sleep(100 * (attempt + 1));
      }
    }
    throw last;
  }

  const noteAdmitted = (b: Buyer, at: number, expiresAt: number, via: string) => {
    if (!Number.isFinite(at)) return;
    b.admittedSet.add(at);
    b.rec.admissions = b.admittedSet.size;
    if (b.rec.admittedAt === undefined) {
      b.rec.admittedAt = at;
      b.rec.admittedSeenAt = Date.now();
      b.rec.admittedVia = via;
      b.expiresAt = expiresAt;
      p.admitted++;
      b.wake?.();
    }
  };

  const onStatus = (b: Buyer, s: QueueStatusEvent) => {
    if (s.showId !== init.showId) return;
    const now = Date.now();
    b.lastHeard = now;
    const at = Date.parse(s.at);
    statusAge.add(now - at);
    if (s.state === 'admitted' && s.admittedAt && s.expiresAt) noteAdmitted(b, Date.parse(s.admittedAt), Date.parse(s.expiresAt), 'status');
    if (s.state === 'none' && b.phase === 'waiting' && b.rec.admittedAt === undefined && b.rec.leftWaitingAt === undefined && b.rec.joinRespAt !== undefined && at > b.rec.joinRespAt + 1_000) {
      b.rec.placeLost = true;
    }
  };

  const attach = (b: Buyer, s: LoadSocket) => {
    b.socket = s;
    s.on('queue:status', (st) => onStatus(b, st));
    s.on('queue:admitted', (e) => {
      if (e.showId === init.showId) noteAdmitted(b, Date.parse(e.admittedAt), Date.parse(e.expiresAt), 'event');
    });
    s.on('queue:ended', (e) => {
      if (e.showId !== init.showId) return;
      b.rec.ended.push(e.reason);
      if (e.reason === 'removed' && b.rec.removedAt === undefined) b.rec.removedAt = Date.now();
      b.wake?.();
    });
    s.on('disconnect', (reason) => {
      if (b.socket !== s) return;
      b.socket = undefined;
      if (reason === 'io client disconnect' || !b.active || stopped()) return;
      err(`disconnect: ${reason}`);
      void reconnect(b);
    });
  };

  const watching = (b: Buyer) => b.phase === 'waiting' || b.phase === 'admitted' || b.phase === 'joining';

  async function reconnect(b: Buyer): Promise<void> {
    if (b.reconnecting) return;
    b.reconnecting = true;
    const start = Date.now();
    b.rec.reconnects++;
    p.reconnects++;
    try {
      for (let attempt = 0; attempt < 20 && b.active && !stopped(); attempt++) {
        // The instance that dropped us may be gone: try the next live one first.
        // The first try goes back to the same instance unless it is known dead; then the next live ones.
        const inst = attempt === 0 && !dead.has(b.inst) && b.phase === 'offline' ? b.inst : nextAlive(b.inst);
        let s: LoadSocket | undefined;
        try {
          s = await openSocket(init.urls[inst]!, b.token, b.src, 10_000);
          b.inst = inst;
          if (!b.active) {
            s.disconnect();
            return;
          }
          attach(b, s);
          if (watching(b)) {
            const ack = await emitWatch(s, init.showId, 10_000);
            if ('error' in ack) err(`rewatch: ${ack.error.code}`);
          }
          b.rec.reconnectMs.push(Date.now() - start);
          return;
        } catch (e) {
          if (s && b.socket === s) b.socket = undefined;
          s?.disconnect();
          err(`reconnect: ${(e as Error).message.slice(0, 60)}`);
          if ((e as Error).message.includes('ECONNREFUSED') || (e as Error).message === 'websocket error') dead.add(inst);
          b.inst = inst;
          await sleep(Math.min(2_000, 100 * 2 ** attempt));
        }
      }
    } finally {
      b.reconnecting = false;
    }
  }

  /** Sleeps until `until`, or until something wakes this buyer (admission, end, sold out, finish). */
  const waitFor = (b: Buyer, until: number, done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (done() || stopped() || Date.now() >= until) return resolve();
      const timer = setTimeout(fin, Math.max(0, Math.min(until, init.deadlineAt) - Date.now()));
      function fin() {
        clearTimeout(timer);
        if (b.wake === check) b.wake = undefined;
        resolve();
      }
      function check() {
        if (done() || stopped()) fin();
      }
      b.wake = check;
    });

  const think = () => (init.thinkMs > 0 ? sleep(init.thinkMs * (0.5 + random())) : Promise.resolve());

  async function leaveQueue(b: Buyer): Promise<void> {
    try {
      await api(b, 'leave', 'DELETE', `/api/shows/${init.showId}/queue`);
    } catch (e) {
      if (e instanceof Stop) return;
      err('leave failed');
    }
  }

  /** Holds up to `tickets` seats. Returns the held seat ids, or a reason it could not. */
  async function pickSeats(b: Buyer): Promise<string[] | 'sold-out' | 'not-admitted' | 'no-seat' | 'window-ran-out-picking'> {
    const areas = init.areaIds.length;
    const held: string[] = [];
    let candidates: Seat[] = [];
    let area = Math.floor(random() * areas);
    let emptyAreas = 0;
    let lookups = 0;
    let holds = 0;
    while (held.length < init.tickets && b.active && !stopped()) {
      if (Date.now() > b.expiresAt - 300) return held.length > 0 ? held : 'window-ran-out-picking';
      if (candidates.length === 0) {
        if (soldAreas.size >= areas) return 'sold-out';
        if (emptyAreas >= areas) {
          // Nothing free now, but seats held by others may come back: look again in a moment.
          if (soldOut) return 'sold-out';
          emptyAreas = 0;
          await waitFor(b, Date.now() + 1_000, () => soldOut);
          continue;
        }
        while (soldAreas.has(area)) area = (area + 1) % areas;
        if (++lookups > 4 * areas + 60) return 'no-seat';
        const r = await api<{ seats: Seat[] }>(b, 'seats', 'GET', `/api/shows/${init.showId}/seats?areaId=${init.areaIds[area]}`);
        if (r.status === 403) return 'not-admitted';
        if (r.status !== 200) {
          await sleep(200);
          continue;
        }
        for (const s of r.body.seats) if (s.mine && (s.status === 'selected' || s.status === 'locked') && !held.includes(s.id)) held.push(s.id);
        candidates = r.body.seats.filter((s) => s.status === 'available');
        if (candidates.length === 0) {
          if (r.body.seats.every((s) => s.status === 'sold')) soldAreas.add(area);
          emptyAreas++;
          area = (area + 1) % areas;
          continue;
        }
        emptyAreas = 0;
        // Shuffle so buyers spread over the map instead of all racing for the first seat.
        for (let i = candidates.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
        }
        if (held.length >= init.tickets) break;
      }
      const seat = candidates.pop()!;
      if (++holds > 200) return 'no-seat';
      const r = await api<{ seat: Seat }>(b, 'hold', 'POST', `/api/shows/${init.showId}/seats/${seat.id}/hold`);
      if (r.status === 200) {
        held.push(seat.id);
        continue;
      }
      const code = errorCode(r.body);
      if (code === 'SEAT_UNAVAILABLE') {
        b.rec.holdConflicts++;
        continue;
      }
      if (code === 'NOT_ADMITTED') return 'not-admitted';
      if (code === 'TICKET_LIMIT_REACHED') {
        candidates = []; // re-read the map: it tells which seats are ours
        if (held.length > 0) break;
        continue;
      }
    }
    return held.length > 0 ? held : 'no-seat';
  }

  /** After a lost checkout response: the pending order of this show, if the checkout went through. */
  async function findPendingOrder(b: Buyer): Promise<Order | undefined> {
    const r = await api<{ orders: Order[] }>(b, 'orders', 'GET', '/api/orders');
    return r.status === 200 ? r.body.orders.find((o) => o.showId === init.showId && o.status === 'pending') : undefined;
  }

  async function buy(b: Buyer): Promise<void> {
    await think();
    const seats = await pickSeats(b);
    if (!Array.isArray(seats)) {
      if (b.active) {
        if (seats === 'sold-out' || seats === 'no-seat') await leaveQueue(b);
        finish(b, seats);
      }
      return;
    }
    b.rec.seatIds = seats;
    if (b.rec.fate === 'leave') {
      await think();
      await leaveQueue(b);
      return finish(b, 'abandoned-left');
    }
    if (b.rec.fate === 'expire') {
      // Holds the seats and lets the window run out.
      await waitFor(b, b.expiresAt + 10_000, () => b.rec.ended.includes('expired'));
      return finish(b, b.rec.ended.includes('expired') ? 'abandoned-expired' : 'abandoned-expired-unseen');
    }
    await think();
    let order: Order | undefined;
    try {
      const r = await api<{ order: Order }>(b, 'checkout', 'POST', `/api/shows/${init.showId}/checkout`, { seatIds: seats }, false);
      if (r.status === 201) order = r.body.order;
      else if (errorCode(r.body) === 'NOT_ADMITTED') return finish(b, 'window-ran-out');
      else return finish(b, `checkout-${errorCode(r.body) ?? r.status}`);
    } catch (e) {
      if (e instanceof Stop) throw e;
      // The response was lost (instance gone?): the order may exist.
      order = await findPendingOrder(b);
      if (!order) {
        const r = await api<{ order: Order }>(b, 'checkout', 'POST', `/api/shows/${init.showId}/checkout`, { seatIds: seats });
        if (r.status === 201) order = r.body.order;
        else order = await findPendingOrder(b);
      }
      if (!order) return finish(b, 'checkout-lost');
    }
    b.rec.orderId = order.id;
    await think();
    const r = await api<{ order: Order }>(b, 'pay', 'POST', `/api/orders/${order.id}/pay`, { method: 'card', card: CARD });
    if (r.status === 200 && r.body.order.status === 'paid') {
      b.rec.paidAt = Date.now();
      b.rec.ticketIds = r.body.order.tickets.map((t) => t.id);
      p.paid++;
      p.tickets += b.rec.ticketIds.length;
      return finish(b, 'paid');
    }
    finish(b, `pay-${errorCode(r.body) ?? r.status}`);
  }

  async function runBuyer(b: Buyer): Promise<void> {
    const joinAt = t0 + (b.rec.g * 1000) / init.burst;
    await waitFor(b, joinAt, () => false);
    if (!b.active || stopped()) return;
    if (soldOut) return finish(b, 'sold-out-before-join');
    if (!b.socket) await reconnect(b); // never came online, or lost its connection: it needs one to stay in line
    b.phase = 'joining';
    b.rec.joinSentAt = Date.now();
    const r = await api<QueueResponse>(b, 'join', 'POST', `/api/shows/${init.showId}/queue`);
    b.rec.joinRespAt = Date.now();
    if (r.status !== 200) {
      const code = errorCode(r.body) ?? String(r.status);
      return finish(b, code === 'SOLD_OUT' ? 'sold-out-at-join' : `join-${code}`);
    }
    p.joined++;
    if (r.body.state === 'admitted') noteAdmitted(b, Date.parse(r.body.admittedAt), Date.parse(r.body.expiresAt), 'join');
    else if (r.body.state === 'waiting') {
      b.rec.joinPosition = r.body.position;
      b.rec.eta = r.body.etaSeconds;
      b.rec.etaLikely = r.body.etaLikelySeconds;
    }
    if (b.socket) {
      try {
        const ack = await emitWatch(b.socket, init.showId);
        if ('error' in ack) err(`watch: ${ack.error.code}`);
      } catch {
        err('watch: no ack');
      }
    }
    if (b.rec.admittedAt === undefined) {
      b.phase = 'waiting';
      // Quitters leave the line after 1-10 s unless admitted first.
      const quitAt = b.rec.fate === 'quit' ? Date.now() + 1_000 + random() * 9_000 : Infinity;
      while (b.rec.admittedAt === undefined && b.active && !stopped()) {
        if (soldOut) {
          b.rec.leftWaitingAt = Date.now();
          await leaveQueue(b);
          return finish(b, 'sold-out-waiting');
        }
        if (b.rec.removedAt !== undefined) return finish(b, 'removed-while-waiting');
        if (Date.now() >= quitAt) {
          b.rec.leftWaitingAt = Date.now();
          await leaveQueue(b);
          return finish(b, b.rec.admittedAt === undefined ? 'quit-waiting' : 'quit-after-admission');
        }
        // Wait for the admission; if nothing was heard for 20 s, ask (covers events missed while reconnecting).
        await waitFor(b, Math.min(quitAt, Date.now() + 20_000), () => b.rec.admittedAt !== undefined || soldOut || b.rec.removedAt !== undefined);
        if (b.rec.admittedAt === undefined && Date.now() - b.lastHeard > 20_000 && !stopped()) {
          const q = await api<QueueResponse>(b, 'poll', 'GET', `/api/shows/${init.showId}/queue`);
          b.lastHeard = Date.now();
          if (q.status === 200 && q.body.state === 'admitted') noteAdmitted(b, Date.parse(q.body.admittedAt), Date.parse(q.body.expiresAt), 'poll');
          if (q.status === 200 && q.body.state === 'none' && b.rec.admittedAt === undefined) b.rec.placeLost = true;
        }
      }
      if (b.rec.admittedAt === undefined) return finish(b, stopped() ? 'timeout-waiting' : 'gone');
    }
    b.phase = 'admitted';
    if (b.rec.fate === 'quit') b.rec.fate = 'buy';
    await buy(b);
  }

  const progressTimer = setInterval(() => send({ type: 'progress', worker: init.workerIndex, p: { ...p } }), 250);

  // Online: one connection per buyer, at the connect rate.
  const startOnline = Date.now();
  const online: Promise<void>[] = [];
  let inFlight = 0;
  for (let i = 0; i < buyers.length && !stopped(); i++) {
    const due = startOnline + (i * 1000) / init.connectRate;
    while ((Date.now() < due || inFlight >= 500) && !stopped()) await sleep(Math.max(1, Math.min(20, due - Date.now())));
    const b = buyers[i]!;
    inFlight++;
    online.push(
      (async () => {
        for (let attempt = 0; attempt < 3 && !stopped(); attempt++) {
          try {
            const s = await openSocket(init.urls[b.inst]!, b.token, b.src);
            attach(b, s);
            b.phase = 'online';
            p.online++;
            return;
          } catch (e) {
            err(`connect: ${(e as Error).message.slice(0, 60)}`);
            await sleep(500 * (attempt + 1));
          }
        }
      })().finally(() => inFlight--),
    );
  }
  await Promise.all(online);
  const clientRssKb = Math.round(process.memoryUsage().rss / 1024);
  send({ type: 'progress', worker: init.workerIndex, p: { ...p } });
  send({ type: 'online', worker: init.workerIndex });

  await go;
  await Promise.all(
    buyers.map((b) =>
      runBuyer(b).catch((e) => {
        if (!(e instanceof Stop)) err(`buyer: ${(e as Error).message.slice(0, 80)}`);
        finish(b, e instanceof Stop ? 'timeout' : 'error');
      }),
    ),
  );
  while (!finishing && Date.now() < init.deadlineAt) await sleep(50);
  for (const b of buyers) if (b.active) finish(b, b.phase === 'waiting' ? 'timeout-waiting' : 'timeout');
  clearInterval(progressTimer);
  send({ type: 'progress', worker: init.workerIndex, p: { ...p } });
  const result: SaleResult = {
    buyers: buyers.map((b) => b.rec),
    latency: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, v.data()])),
    statuses,
    statusAge: statusAge.data(),
    errors,
    clientRssKb,
  };
  send({ type: 'result', worker: init.workerIndex, result });
  http.close();
}
