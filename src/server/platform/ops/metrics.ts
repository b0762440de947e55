import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EndReason } from '../../../shared/realtime.js';
import type { IoServer, Realtime } from '../realtime.js';

/** What the metrics read of the waiting room when scraped (the queue store has this shape). */
export interface WaitingRoomCounts {
  activeShows(): Promise<string[]>;
  counts(showId: string): Promise<Counts>;
}

export interface MetricsDeps {
  waitingRooms: WaitingRoomCounts;
  io: IoServer;
  /** Logs a failed scrape-time read (the scrape itself still answers). */
  onError?: (err: unknown, what: string) => void;
}

/** The waiting room's events the metrics count (QueueService's `events` take them as they are). */
export interface MetricsQueueEvents {
  /** A new place in line (a retry of an existing place not counted). */
  onJoined(showId: string): void;
  onAdmitted(showId: string, count: number): void;
  onEnded(showId: string, reason: EndReason): void;
}

/**
 * The Prometheus metrics of one app instance. Each instance has its own registry, so tests that
 * build several apps in one process do not collide; gauges of the waiting room are read from the
 * queue store when scraped, counters are fed by the services' event hooks.
 */
export class OpsMetrics {
  readonly registry = new Registry();
  private readonly joins: Counter<'show_id'>;
  private readonly admissions: Counter<'show_id'>;
  private readonly ended: Counter<'show_id' | 'reason'>;
  private readonly holds: Counter;
  private readonly sold: Counter;
  private readonly http: Histogram<'method' | 'route' | 'status_code'>;

  constructor(private readonly deps: MetricsDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    this.joins = new Counter({
      name: 'ticketclub_queue_joins_total',
      help: 'Accounts that took a new place in a waiting room (retries of an existing place not counted).',
      labelNames: ['show_id'],
      registers,
    });
    this.admissions = new Counter({
      name: 'ticketclub_queue_admissions_total',
      help: 'Accounts admitted to a selling page.',
      labelNames: ['show_id'],
      registers,
    });
    this.ended = new Counter({
      name: 'ticketclub_queue_ended_total',
      help: 'Places in a waiting room or on a selling page that ended, by reason.',
      labelNames: ['show_id', 'reason'],
      registers,
    });
    this.holds = new Counter({ name: 'ticketclub_seat_holds_total', help: 'Seats held (selected) by a buyer.', registers });
    this.sold = new Counter({ name: 'ticketclub_tickets_sold_total', help: 'Seats sold (tickets issued).', registers });
    this.http = new Histogram({
      name: 'ticketclub_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });

    const sharedCounts = () => this.sharedQueueCounts();
    new Gauge({
      name: 'ticketclub_socket_connections',
      help: 'Socket.IO connections open on this instance.',
      registers,
      collect() {
        this.set(deps.io.engine.clientsCount);
      },
    });
    // Both gauges come from one read of the store per scrape (shared while in flight).
    for (const [name, help, pick] of [
      ['ticketclub_queue_waiting', 'Accounts waiting in line, per active show.', (c: Counts) => c.waiting],
      ['ticketclub_queue_admitted', 'Accounts on the selling page, per active show.', (c: Counts) => c.admitted],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['show_id'],
        registers,
        async collect() {
          const counts = await sharedCounts();
          this.reset();
          for (const [showId, c] of counts) if (isShowLabel(showId)) this.set({ show_id: showId }, pick(c));
        },
      });
    }
  }

  /** Hooks for QueueService's `events` (spread them in next to onError). */
  readonly queueEvents: MetricsQueueEvents = {
    onJoined: (showId) => {
      if (isShowLabel(showId)) this.joins.inc({ show_id: showId });
    },
    onAdmitted: (showId, count) => {
      if (isShowLabel(showId)) this.admissions.inc({ show_id: showId }, count);
    },
    onEnded: (showId: string, reason: EndReason) => {
      if (isShowLabel(showId)) this.ended.inc({ show_id: showId, reason });
    },
  };

  /** A seat became `selected` for a buyer. */
  seatHeld = (count = 1): void => this.holds.inc(count);

  /** Seats sold by one payment (OrdersEvents.onPaid has this shape). */
  ticketsSold = (_showId: string, count: number): void => {
    if (count > 0) this.sold.inc(count);
  };

  /**
   * A Realtime that counts the seat holds it publishes (`seat:update` to `selected`, sent only after
   * the hold committed) and passes everything on: the seat side needs no metrics dependency.
   */
  countingSeatHolds(realtime: Realtime): Realtime {
    return {
      toUser: (userId, event, ...args) => realtime.toUser(userId, event, ...args),
      toRoom: (room, event, ...args) => {
        if (event === 'seat:update' && (args[0] as { status?: string }).status === 'selected') this.seatHeld();
        realtime.toRoom(room, event, ...args);
      },
    };
  }

  /** Records the latency of every response by its route pattern (not the raw URL: bounded labels). */
  observeHttp(app: FastifyInstance): void {
    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url ?? 'unmatched';
      this.http.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
  }

  /** The text exposition of every metric. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private inFlight?: Promise<[string, Counts][]>;

  private sharedQueueCounts(): Promise<[string, Counts][]> {
    this.inFlight ??= this.queueCounts().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async queueCounts(): Promise<[string, Counts][]> {
    try {
      const shows = await this.deps.waitingRooms.activeShows();
      return await Promise.all(shows.map(async (id): Promise<[string, Counts]> => [id, await this.deps.waitingRooms.counts(id)]));
    } catch (e) {
      this.deps.onError?.(e, 'metrics: queue counts');
      return [];
    }
  }
}

/**
 * Show-id labels: the queue events and the store only ever name shows that were found, by the one
 * spelling ids have past the request schemas. Anything else (a spelling that slipped past, a key
 * left from before) would be one more series per string: it is not labelled at all.
 */
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isShowLabel = (showId: string): boolean => CANONICAL_ID.test(showId);

interface Counts {
  waiting: number;
  admitted: number;
}
