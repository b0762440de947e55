import type { AreaSummary, EventDetail, EventSummary, ShowDetail, ShowSummary } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { seatSteps } from '../seats/seats-service.js';
import { AreasRepository } from './areas-repository.js';
import { EventsRepository } from './events-repository.js';
import { SeatsRepository } from './seats-repository.js';
import { ShowPricesRepository } from './show-prices-repository.js';
import { showStatus } from './show-status.js';
import { ShowsRepository, type ShowRow } from './shows-repository.js';
import { VenuesRepository } from './venues-repository.js';

/** A show's sale as the waiting room and seat calls apply it: when, how many at once, how long, how many each, and what is left. */
export interface SaleRules {
  id: string;
  eventId: string;
  startsAt: Date;
  onSaleAt: Date;
  /** The pre-queue opens then (equal to onSaleAt: no pre-queue). */
  queueOpensAt: Date;
  pageCapacity: number;
  purchaseWindowSeconds: number;
  maxTicketsPerAccount: number;
  /** Seats not sold yet when the rules were read (sold out at 0). */
  unsoldCount: number;
  status: ReturnType<typeof showStatus>;
}

/**
 * The catalogue's tables, on `q` (the database, or the caller's transaction): what the console
 * (modules/admin) writes them through.
 */
export const catalogueSteps = (q: Queryable) => ({
  venues: new VenuesRepository(q),
  areas: new AreasRepository(q),
  seats: new SeatsRepository(q),
  events: new EventsRepository(q),
  shows: new ShowsRepository(q),
  prices: new ShowPricesRepository(q),
});

export class CatalogueService {
  private readonly tables: ReturnType<typeof catalogueSteps>;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {
    this.tables = catalogueSteps(db);
  }

  private summary(r: ShowRow): ShowSummary {
    return {
      id: r.id,
      startsAt: r.starts_at.toISOString(),
      onSaleAt: r.on_sale_at.toISOString(),
      queueOpensAt: r.queue_opens_at.toISOString(),
      status: showStatus({ onSaleAt: r.on_sale_at, queueOpensAt: r.queue_opens_at, startsAt: r.starts_at, unsoldCount: r.unsold }, this.clock.now()),
      venue: { id: r.venue_id, name: r.venue_name, city: r.city, timeZone: r.time_zone },
    };
  }

  /** Events, upcoming first; `q` matches the title, the artist, or the name or city of a venue one of its shows is at. */
  async listEvents(q?: string): Promise<EventSummary[]> {
    const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const events = await this.tables.events.search(pattern);
    if (events.length === 0) return [];
    const shows = await this.tables.shows.ofEvents(events.map((e) => e.id));
    const now = this.clock.now();
    const out = events.map((e) => {
      const mine = shows.filter((s) => s.event_id === e.id).map((s) => this.summary(s));
      const upcoming = mine.find((s) => Date.parse(s.startsAt) > now) ?? mine[0];
      const onSale = mine.some((s) => s.status === 'on_sale');
      const nextSale = onSale ? undefined : mine.filter((s) => s.status === 'scheduled' || s.status === 'queue_open').sort((a, b) => Date.parse(a.onSaleAt) - Date.parse(b.onSaleAt))[0];
      return {
        id: e.id,
        title: e.title,
        artist: e.artist,
        imageUrl: e.imageUrl,
        firstShowAt: upcoming?.startsAt ?? null,
        firstShowTimeZone: upcoming?.venue.timeZone ?? null,
        onSale,
        nextOnSaleAt: nextSale?.onSaleAt ?? null,
      };
    });
    // Upcoming events first, by date; events whose shows are all over go last.
    const key = (e: EventSummary) => (e.firstShowAt && Date.parse(e.firstShowAt) > now ? Date.parse(e.firstShowAt) : Infinity);
    return out.sort((a, b) => key(a) - key(b));
  }

  async getEvent(id: string): Promise<EventDetail> {
    const e = await this.tables.events.get(id);
    if (!e) throw new AppError('NOT_FOUND', 'No such event');
    const shows = await this.tables.shows.ofEvents([id]);
    return {
      id: e.id,
      title: e.title,
      artist: e.artist,
      description: e.description,
      imageUrl: e.imageUrl,
      shows: shows.map((s) => this.summary(s)),
    };
  }

  private async showRow(id: string): Promise<ShowRow> {
    const show = await this.tables.shows.get(id);
    if (!show) throw new AppError('NOT_FOUND', 'No such show');
    return show;
  }

  async getShow(id: string): Promise<ShowDetail> {
    const r = await this.showRow(id);
    const areas = await this.tables.prices.areasOnSale(id, new Date(this.clock.now()));
    const s = this.summary(r);
    return {
      ...s,
      eventId: r.event_id,
      eventTitle: r.event_title,
      artist: r.artist,
      venue: { ...s.venue, address: r.address },
      pageCapacity: r.page_capacity,
      purchaseWindowSeconds: r.purchase_window_seconds,
      maxTicketsPerAccount: r.max_tickets_per_account,
      areas: areas.map(
        (a): AreaSummary => ({
          id: a.id,
          name: a.name,
          kind: a.kind,
          price: a.price,
          currency: a.currency,
          seatCount: a.seat_count,
          availableCount: a.available_count,
        }),
      ),
    };
  }

  /**
   * What is left of a show now: `left` seats are neither sold nor held (a lapsed hold counts as
   * free, as the seat map shows it), `unsold` are not sold (sold out at 0). One query per call:
   * callers keep it per show for a moment, never per waiter.
   */
  async stock(id: string): Promise<{ left: number; unsold: number }> {
    return seatSteps(this.db).stock(id, new Date(this.clock.now()));
  }

  /** Whether any seat of the show is not sold yet: stops at the first one, where stock() counts every seat. */
  async anyUnsold(id: string): Promise<boolean> {
    return seatSteps(this.db).anyUnsold(id);
  }

  /** The rules of a show for the waiting room and seat calls (404 when unknown). */
  async rules(id: string): Promise<SaleRules> {
    const r = await this.showRow(id);
    return {
      id: r.id,
      eventId: r.event_id,
      startsAt: r.starts_at,
      onSaleAt: r.on_sale_at,
      queueOpensAt: r.queue_opens_at,
      pageCapacity: r.page_capacity,
      purchaseWindowSeconds: r.purchase_window_seconds,
      maxTicketsPerAccount: r.max_tickets_per_account,
      unsoldCount: r.unsold,
      status: this.summary(r).status,
    };
  }
}
