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

/** One client process of the sale: its buyers, their connections, and what it measured. */
class SaleClient {
  private readonly K: number;
  private readonly http: JsonClient;
  private readonly random: () => number;
  /** Instances known to be gone (refused connections, or told by the main process). */
  private readonly dead = new Set<number>();
  private readonly latency: Record<string, Histogram> = {};
  private readonly statuses: Record<string, number> = {};
  private readonly errors: Record<string, number> = {};
  private readonly statusAge = new Histogram();
  /** Areas seen with every seat sold: no buyer reads them again. */
  private readonly soldAreas = new Set<number>();
  private readonly p: SaleProgress = { online: 0, joined: 0, admitted: 0, paid: 0, tickets: 0, done: 0, reconnects: 0, errors: 0 };
  private readonly buyers: Buyer[];
  private soldOut = false;
  private finishing = false;
  private t0 = 0;
  private goResolve: () => void = () => undefined;
  /** Settles when the main process opens the sale (or ends the run). */
  readonly go = new Promise<void>((r) => (this.goResolve = r));

  constructor(
    private readonly init: SaleInit,
    private readonly send: (m: FromWorker) => void,
    inbox: (fn: (m: ToWorker) => void) => void,
  ) {
    this.K = init.urls.length;
    this.http = new JsonClient(init.urls, { localAddress: init.srcAddrs[0], maxSockets: init.httpSockets });
    this.random = rng(init.seed * 7919 + init.workerIndex);
    this.buyers = init.accounts.map((a, i) => ({
      rec: { g: a.g, id: a.id, fate: this.fateOf(), outcome: 'not-started', admissions: 0, holdConflicts: 0, reconnects: 0, reconnectMs: [], ended: [] },
      token: a.token,
      inst: a.g % this.K,
      src: init.srcAddrs[i % init.srcAddrs.length],
      active: true,
      phase: 'offline',
      reconnecting: false,
      expiresAt: 0,
      admittedSet: new Set(),
      lastHeard: 0,
    }));
    inbox((m) => {
      if (m.type === 'go') {
        this.t0 = m.t0;
        this.goResolve();
      } else if (m.type === 'soldOut') {
        this.soldOut = true;
        this.wakeAll();
      } else if (m.type === 'killed') {
        this.dead.add(m.instance);
      } else if (m.type === 'finish') {
        this.finishing = true;
        this.goResolve();
        this.wakeAll();
      }
    });
  }

  sendProgress(): void {
    this.send({ type: 'progress', worker: this.init.workerIndex, p: { ...this.p } });
  }

  private err(k: string) {
    this.errors[k] = (this.errors[k] ?? 0) + 1;
    this.p.errors++;
  }

  private stopped(): boolean {
    return this.finishing || Date.now() >= this.init.deadlineAt;
  }

  private fateOf(): Fate {
    const x = this.random();
    if (x < this.init.quit) return 'quit';
    if (x < this.init.quit + this.init.abandon / 2) return 'leave';
    if (x < this.init.quit + this.init.abandon) return 'expire';
    return 'buy';
  }

  private nextAlive(from: number): number {
    for (let k = 1; k <= this.K; k++) {
      const c = (from + k) % this.K;
      if (!this.dead.has(c)) return c;
    }
    return (from + 1) % this.K;
  }

  private finish(b: Buyer, outcome: string) {
    if (!b.active) return;
    b.active = false;
    b.phase = 'done';
    b.rec.outcome = outcome;
    this.p.done++;
    b.wake?.();
    const s = b.socket;
    b.socket = undefined;
    s?.disconnect();
    if (this.p.done === this.buyers.length) this.send({ type: 'done', worker: this.init.workerIndex });
  }

  private wakeAll() {
    for (const b of this.buyers) b.wake?.();
  }



  /** One HTTP call with failover to another instance on network errors (idempotent calls only retry). */

  private async api<T>(b: Buyer, kind: string, method: string, path: string, body?: unknown, retry = true): Promise<JsonResponse<T>> {
    let last: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (Date.now() >= this.init.deadlineAt) throw new Stop();
      const inst = b.inst;
      try {
        const r = await this.http.request<T>(inst, method, path, { token: b.token, body, timeoutMs: 60_000 });
        (this.latency[kind] ??= new Histogram()).add(r.ms);
        const key = `${kind} ${r.status}${r.status >= 400 ? ` ${errorCode(r.body) ?? ''}` : ''}`;
        this.statuses[key] = (this.statuses[key] ?? 0) + 1;
        if (r.status >= 500) {
          if (!retry || attempt >= 2) return r;
          await sleep(200 * (attempt + 1));
          continue;
        }
        return r;
      } catch (e) {
        last = e;
        const code = e instanceof NetError ? e.code : 'ERR';
        this.err(`${kind}: ${code}`);
        if (code === 'ECONNREFUSED') this.dead.add(inst);
        if (b.inst === inst) b.inst = this.nextAlive(inst);
        if (!retry) throw e;
        await sleep(100 * (attempt + 1));
      }
    }
    throw last;
  }

  private noteAdmitted(b: Buyer, at: number, expiresAt: number, via: string) {
    if (!Number.isFinite(at)) return;
    b.admittedSet.add(at);
    b.rec.admissions = b.admittedSet.size;
    if (b.rec.admittedAt === undefined) {
      b.rec.admittedAt = at;
      b.rec.admittedSeenAt = Date.now();
      b.rec.admittedVia = via;
      b.expiresAt = expiresAt;
      this.p.admitted++;
      b.wake?.();
    }
  }

  private onStatus(b: Buyer, s: QueueStatusEvent) {
    if (s.showId !== this.init.showId) return;
    const now = Date.now();
    b.lastHeard = now;
    const at = Date.parse(s.at);
    this.statusAge.add(now - at);
    if (s.state === 'admitted' && s.admittedAt && s.expiresAt) this.noteAdmitted(b, Date.parse(s.admittedAt), Date.parse(s.expiresAt), 'status');
    if (s.state === 'none' && b.phase === 'waiting' && b.rec.admittedAt === undefined && b.rec.leftWaitingAt === undefined && b.rec.joinRespAt !== undefined && at > b.rec.joinRespAt + 1_000) {
      b.rec.placeLost = true;
    }
  }

  private attach(b: Buyer, s: LoadSocket) {
    b.socket = s;
    s.on('queue:status', (st) => this.onStatus(b, st));
    s.on('queue:admitted', (e) => {
      if (e.showId === this.init.showId) this.noteAdmitted(b, Date.parse(e.admittedAt), Date.parse(e.expiresAt), 'event');
    });
    s.on('queue:ended', (e) => {
      if (e.showId !== this.init.showId) return;
      b.rec.ended.push(e.reason);
      if (e.reason === 'removed' && b.rec.removedAt === undefined) b.rec.removedAt = Date.now();
      b.wake?.();
    });
    s.on('disconnect', (reason) => {
      if (b.socket !== s) return;
      b.socket = undefined;
      if (reason === 'io client disconnect' || !b.active || this.stopped()) return;
      this.err(`disconnect: ${reason}`);
      void this.reconnect(b);
    });
  }

  private watching(b: Buyer): boolean {
    return b.phase === 'waiting' || b.phase === 'admitted' || b.phase === 'joining';
  }

  private async reconnect(b: Buyer): Promise<void> {
    if (b.reconnecting) return;
    b.reconnecting = true;
    const start = Date.now();
    b.rec.reconnects++;
    this.p.reconnects++;
    try {
      for (let attempt = 0; attempt < 20 && b.active && !this.stopped(); attempt++) {
        // The instance that dropped us may be gone: try the next live one first.
        // The first try goes back to the same instance unless it is known dead; then the next live ones.
        const inst = attempt === 0 && !this.dead.has(b.inst) && b.phase === 'offline' ? b.inst : this.nextAlive(b.inst);
        let s: LoadSocket | undefined;
        try {
          s = await openSocket(this.init.urls[inst]!, b.token, b.src, 10_000);
          b.inst = inst;
          if (!b.active) {
            s.disconnect();
            return;
          }
          this.attach(b, s);
          if (this.watching(b)) {
            const ack = await emitWatch(s, this.init.showId, 10_000);
            if ('error' in ack) this.err(`rewatch: ${ack.error.code}`);
          }
          b.rec.reconnectMs.push(Date.now() - start);
          return;
        } catch (e) {
          if (s && b.socket === s) b.socket = undefined;
          s?.disconnect();
          this.err(`reconnect: ${(e as Error).message.slice(0, 60)}`);
          if ((e as Error).message.includes('ECONNREFUSED') || (e as Error).message === 'websocket error') this.dead.add(inst);
          b.inst = inst;
          await sleep(Math.min(2_000, 100 * 2 ** attempt));
        }
      }
    } finally {
      b.reconnecting = false;
    }
  }

  /** Sleeps until `until`, or until something wakes this buyer (admission, end, sold out, finish). */
  private waitFor(b: Buyer, until: number, done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (done() || this.stopped() || Date.now() >= until) return resolve();
      const fin = () => {
        clearTimeout(timer);
        if (b.wake === check) b.wake = undefined;
        resolve();
      };
      const check = () => {
        if (done() || this.stopped()) fin();
      };
      const timer = setTimeout(fin, Math.max(0, Math.min(until, this.init.deadlineAt) - Date.now()));
      b.wake = check;
    });
  }

  private think(): Promise<void> {
    return this.init.thinkMs > 0 ? sleep(this.init.thinkMs * (0.5 + this.random())) : Promise.resolve();
  }

  private async leaveQueue(b: Buyer): Promise<void> {
    try {
      await this.api(b, 'leave', 'DELETE', `/api/shows/${this.init.showId}/queue`);
    } catch (e) {
      if (e instanceof Stop) return;
      this.err('leave failed');
    }
  }

  /** Holds up to `tickets` seats. Returns the held seat ids, or a reason it could not. */
  private async pickSeats(b: Buyer): Promise<string[] | 'sold-out' | 'not-admitted' | 'no-seat' | 'window-ran-out-picking'> {
    const areas = this.init.areaIds.length;
    const held: string[] = [];
    let candidates: Seat[] = [];
    let area = Math.floor(this.random() * areas);
    let emptyAreas = 0;
    let lookups = 0;
    let holds = 0;
    while (held.length < this.init.tickets && b.active && !this.stopped()) {
      if (Date.now() > b.expiresAt - 300) return held.length > 0 ? held : 'window-ran-out-picking';
      if (candidates.length === 0) {
        if (this.soldAreas.size >= areas) return 'sold-out';
        if (emptyAreas >= areas) {
          // Nothing free now, but seats held by others may come back: look again in a moment.
          if (this.soldOut) return 'sold-out';
          emptyAreas = 0;
          await this.waitFor(b, Date.now() + 1_000, () => this.soldOut);
          continue;
        }
        while (this.soldAreas.has(area)) area = (area + 1) % areas;
        if (++lookups > 4 * areas + 60) return 'no-seat';
        const r = await this.api<{ seats: Seat[] }>(b, 'seats', 'GET', `/api/shows/${this.init.showId}/seats?areaId=${this.init.areaIds[area]}`);
        if (r.status === 403) return 'not-admitted';
        if (r.status !== 200) {
          await sleep(200);
          continue;
        }
        for (const s of r.body.seats) if (s.mine && (s.status === 'selected' || s.status === 'locked') && !held.includes(s.id)) held.push(s.id);
        candidates = r.body.seats.filter((s) => s.status === 'available');
        if (candidates.length === 0) {
          if (r.body.seats.every((s) => s.status === 'sold')) this.soldAreas.add(area);
          emptyAreas++;
          area = (area + 1) % areas;
          continue;
        }
        emptyAreas = 0;
        // Shuffle so buyers spread over the map instead of all racing for the first seat.
        for (let i = candidates.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1));
          [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
        }
        if (held.length >= this.init.tickets) break;
      }
      const seat = candidates.pop()!;
      if (++holds > 200) return 'no-seat';
      const r = await this.api<{ seat: Seat }>(b, 'hold', 'POST', `/api/shows/${this.init.showId}/seats/${seat.id}/hold`);
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
  private async findPendingOrder(b: Buyer): Promise<Order | undefined> {
    const r = await this.api<{ orders: Order[] }>(b, 'orders', 'GET', '/api/orders');
    return r.status === 200 ? r.body.orders.find((o) => o.showId === this.init.showId && o.status === 'pending') : undefined;
  }

  private async buy(b: Buyer): Promise<void> {
    await this.think();
    const seats = await this.pickSeats(b);
    if (!Array.isArray(seats)) {
      if (b.active) {
        if (seats === 'sold-out' || seats === 'no-seat') await this.leaveQueue(b);
        this.finish(b, seats);
      }
      return;
    }
    b.rec.seatIds = seats;
    if (b.rec.fate === 'leave') {
      await this.think();
      await this.leaveQueue(b);
      return this.finish(b, 'abandoned-left');
    }
    if (b.rec.fate === 'expire') {
      // Holds the seats and lets the window run out.
      await this.waitFor(b, b.expiresAt + 10_000, () => b.rec.ended.includes('expired'));
      return this.finish(b, b.rec.ended.includes('expired') ? 'abandoned-expired' : 'abandoned-expired-unseen');
    }
    await this.think();
    const order = await this.checkout(b, seats);
    if (!order) return;
    b.rec.orderId = order.id;
    await this.think();
    await this.pay(b, order);
  }

  /** A pending order for the held seats, found again if the answer was lost; undefined when the buyer is finished. */
  private async checkout(b: Buyer, seats: string[]): Promise<Order | undefined> {
    let order: Order | undefined;
    try {
      const r = await this.api<{ order: Order }>(b, 'checkout', 'POST', `/api/shows/${this.init.showId}/checkout`, { seatIds: seats }, false);
      if (r.status === 201) return r.body.order;
      this.finish(b, errorCode(r.body) === 'NOT_ADMITTED' ? 'window-ran-out' : `checkout-${errorCode(r.body) ?? r.status}`);
      return undefined;
    } catch (e) {
      if (e instanceof Stop) throw e;
      // The response was lost (instance gone?): the order may exist.
      order = await this.findPendingOrder(b);
      if (!order) {
        const r = await this.api<{ order: Order }>(b, 'checkout', 'POST', `/api/shows/${this.init.showId}/checkout`, { seatIds: seats });
        if (r.status === 201) order = r.body.order;
        else order = await this.findPendingOrder(b);
      }
      if (!order) this.finish(b, 'checkout-lost');
      return order;
    }
  }

  private async pay(b: Buyer, order: Order): Promise<void> {
    const r = await this.api<{ order: Order }>(b, 'pay', 'POST', `/api/orders/${order.id}/pay`, { method: 'card', card: CARD });
    if (r.status === 200 && r.body.order.status === 'paid') {
      b.rec.paidAt = Date.now();
      b.rec.ticketIds = r.body.order.tickets.map((t) => t.id);
      this.p.paid++;
      this.p.tickets += b.rec.ticketIds.length;
      return this.finish(b, 'paid');
    }
    this.finish(b, `pay-${errorCode(r.body) ?? r.status}`);
  }

  private async runBuyer(b: Buyer): Promise<void> {
    const joinAt = this.t0 + (b.rec.g * 1000) / this.init.burst;
    await this.waitFor(b, joinAt, () => false);
    if (!b.active || this.stopped()) return;
    if (this.soldOut) return this.finish(b, 'sold-out-before-join');
    if (!b.socket) await this.reconnect(b); // never came online, or lost its connection: it needs one to stay in line
    if (!(await this.join(b))) return;
    if (b.rec.admittedAt === undefined && !(await this.waitForAdmission(b))) return;
    b.phase = 'admitted';
    if (b.rec.fate === 'quit') b.rec.fate = 'buy';
    await this.buy(b);
  }

  /** Joins the line and watches it. False when the buyer is finished (refused). */
  private async join(b: Buyer): Promise<boolean> {
    b.phase = 'joining';
    b.rec.joinSentAt = Date.now();
    const r = await this.api<QueueResponse>(b, 'join', 'POST', `/api/shows/${this.init.showId}/queue`);
    b.rec.joinRespAt = Date.now();
    if (r.status !== 200) {
      const code = errorCode(r.body) ?? String(r.status);
      this.finish(b, code === 'SOLD_OUT' ? 'sold-out-at-join' : `join-${code}`);
      return false;
    }
    this.p.joined++;
    if (r.body.state === 'admitted') this.noteAdmitted(b, Date.parse(r.body.admittedAt), Date.parse(r.body.expiresAt), 'join');
    else if (r.body.state === 'waiting') {
      b.rec.joinPosition = r.body.position;
      b.rec.eta = r.body.etaSeconds;
      b.rec.etaLikely = r.body.etaLikelySeconds;
    }
    if (b.socket) {
      try {
        const ack = await emitWatch(b.socket, this.init.showId);
        if ('error' in ack) this.err(`watch: ${ack.error.code}`);
      } catch {
        this.err('watch: no ack');
      }
    }
    return true;
  }

  /** Waits in line until admitted (true), or sold out, removed, quit or out of time (false: finished). */
  private async waitForAdmission(b: Buyer): Promise<boolean> {
    b.phase = 'waiting';
    // Quitters leave the line after 1-10 s unless admitted first.
    const quitAt = b.rec.fate === 'quit' ? Date.now() + 1_000 + this.random() * 9_000 : Infinity;
    while (b.rec.admittedAt === undefined && b.active && !this.stopped()) {
      if (this.soldOut) {
        b.rec.leftWaitingAt = Date.now();
        await this.leaveQueue(b);
        this.finish(b, 'sold-out-waiting');
        return false;
      }
      if (b.rec.removedAt !== undefined) {
        this.finish(b, 'removed-while-waiting');
        return false;
      }
      if (Date.now() >= quitAt) {
        b.rec.leftWaitingAt = Date.now();
        await this.leaveQueue(b);
        this.finish(b, b.rec.admittedAt === undefined ? 'quit-waiting' : 'quit-after-admission');
        return false;
      }
      // Wait for the admission; if nothing was heard for 20 s, ask (covers events missed while reconnecting).
      await this.waitFor(b, Math.min(quitAt, Date.now() + 20_000), () => b.rec.admittedAt !== undefined || this.soldOut || b.rec.removedAt !== undefined);
      if (b.rec.admittedAt === undefined && Date.now() - b.lastHeard > 20_000 && !this.stopped()) {
        const q = await this.api<QueueResponse>(b, 'poll', 'GET', `/api/shows/${this.init.showId}/queue`);
        b.lastHeard = Date.now();
        if (q.status === 200 && q.body.state === 'admitted') this.noteAdmitted(b, Date.parse(q.body.admittedAt), Date.parse(q.body.expiresAt), 'poll');
        if (q.status === 200 && q.body.state === 'none' && b.rec.admittedAt === undefined) b.rec.placeLost = true;
      }
    }
    if (b.rec.admittedAt === undefined) {
      this.finish(b, this.stopped() ? 'timeout-waiting' : 'gone');
      return false;
    }
    return true;
  }

  /** Online: one connection per buyer, at the connect rate, at most 500 connecting at once. */
  async comeOnline(): Promise<void> {
    const startOnline = Date.now();
    const online: Promise<void>[] = [];
    let inFlight = 0;
    for (let i = 0; i < this.buyers.length && !this.stopped(); i++) {
      const due = startOnline + (i * 1000) / this.init.connectRate;
      while ((Date.now() < due || inFlight >= 500) && !this.stopped()) await sleep(Math.max(1, Math.min(20, due - Date.now())));
      inFlight++;
      online.push(this.connect(this.buyers[i]!).finally(() => inFlight--));
    }
    await Promise.all(online);
  }

  private async connect(b: Buyer): Promise<void> {
    for (let attempt = 0; attempt < 3 && !this.stopped(); attempt++) {
      try {
        const s = await openSocket(this.init.urls[b.inst]!, b.token, b.src);
        this.attach(b, s);
        b.phase = 'online';
        this.p.online++;
        return;
      } catch (e) {
        this.err(`connect: ${(e as Error).message.slice(0, 60)}`);
        await sleep(500 * (attempt + 1));
      }
    }
  }

  /** Every buyer's journey, then waits for the main process to end the run (or the deadline). */
  async runBuyers(): Promise<void> {
    await Promise.all(
      this.buyers.map((b) =>
        this.runBuyer(b).catch((e) => {
          if (!(e instanceof Stop)) this.err(`buyer: ${(e as Error).message.slice(0, 80)}`);
          this.finish(b, e instanceof Stop ? 'timeout' : 'error');
        }),
      ),
    );
    while (!this.finishing && Date.now() < this.init.deadlineAt) await sleep(50);
    for (const b of this.buyers) if (b.active) this.finish(b, b.phase === 'waiting' ? 'timeout-waiting' : 'timeout');
  }

  result(clientRssKb: number): SaleResult {
    return {
      buyers: this.buyers.map((b) => b.rec),
      latency: Object.fromEntries(Object.entries(this.latency).map(([k, v]) => [k, v.data()])),
      statuses: this.statuses,
      statusAge: this.statusAge.data(),
      errors: this.errors,
      clientRssKb,
    };
  }

  close(): void {
    this.http.close();
  }
}

export async function runSaleWorker(init: SaleInit, send: (m: FromWorker) => void, inbox: (fn: (m: ToWorker) => void) => void): Promise<void> {
  const client = new SaleClient(init, send, inbox);
  const progressTimer = setInterval(() => client.sendProgress(), 250);
  await client.comeOnline();
  const clientRssKb = Math.round(process.memoryUsage().rss / 1024);
  client.sendProgress();
  send({ type: 'online', worker: init.workerIndex });
  await client.go;
  await client.runBuyers();
  clearInterval(progressTimer);
  client.sendProgress();
  send({ type: 'result', worker: init.workerIndex, result: client.result(clientRssKb) });
  client.close();
}
