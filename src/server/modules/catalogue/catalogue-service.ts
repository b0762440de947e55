import type { AreaSummary, EventDetail, EventSummary, ShowDetail, ShowSummary } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { showStatus } from './show-status.js';

interface ShowRow {
  id: string;
  event_id: string;
  event_title: string;
  artist: string;
  starts_at: Date;
  on_sale_at: Date;
  queue_opens_at: Date;
  page_capacity: number;
  purchase_window_seconds: number;
  max_tickets_per_account: number;
  venue_id: string;
  venue_name: string;
  city: string;
  address: string;
  time_zone: string;
  unsold: number;
}

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

const SHOW_SELECT = `
  SELECT s.id, s.event_id, e.title AS event_title, e.artist, s.starts_at, s.on_sale_at,
         coalesce(s.queue_opens_at, s.on_sale_at) AS queue_opens_at, s.page_capacity,
         s.purchase_window_seconds, s.max_tickets_per_account,
         v.id AS venue_id, v.name AS venue_name, v.city, v.address, v.time_zone,
         (SELECT count(*) FROM show_seats ss WHERE ss.show_id = s.id AND ss.status <> 'sold')::int AS unsold
    FROM shows s JOIN venues v ON v.id = s.venue_id JOIN events e ON e.id = s.event_id`;

export class CatalogueService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

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
    const { rows: events } = await this.db.query<{ id: string; title: string; artist: string; image_url: string | null }>(
      `SELECT e.id, e.title, e.artist, e.image_url FROM events e
        WHERE $1::text IS NULL OR e.title ILIKE $1 OR e.artist ILIKE $1
           OR EXISTS (SELECT 1 FROM shows s JOIN venues v ON v.id = s.venue_id
                       WHERE s.event_id = e.id AND (v.name ILIKE $1 OR v.city ILIKE $1))
        ORDER BY e.created_at, e.title`,
      [pattern],
    );
    if (events.length === 0) return [];
    const { rows: shows } = await this.db.query<ShowRow>(`${SHOW_SELECT} WHERE s.event_id = ANY($1::uuid[]) ORDER BY s.starts_at`, [
      events.map((e) => e.id),
    ]);
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
        imageUrl: e.image_url,
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
    const { rows } = await this.db.query<{ id: string; title: string; artist: string; description: string; image_url: string | null }>(
      `SELECT id, title, artist, description, image_url FROM events WHERE id = $1`,
      [id],
    );
    const e = rows[0];
    if (!e) throw new AppError('NOT_FOUND', 'No such event');
    const { rows: shows } = await this.db.query<ShowRow>(`${SHOW_SELECT} WHERE s.event_id = $1 ORDER BY s.starts_at`, [id]);
    return {
      id: e.id,
      title: e.title,
      artist: e.artist,
      description: e.description,
      imageUrl: e.image_url,
      shows: shows.map((s) => this.summary(s)),
    };
  }

  private async showRow(id: string): Promise<ShowRow> {
    const { rows } = await this.db.query<ShowRow>(`${SHOW_SELECT} WHERE s.id = $1`, [id]);
    if (!rows[0]) throw new AppError('NOT_FOUND', 'No such show');
    return rows[0];
  }

  async getShow(id: string): Promise<ShowDetail> {
    const r = await this.showRow(id);
    const { rows: areas } = await this.db.query<{
      id: string;
      name: string;
      kind: AreaSummary['kind'];
      price: number;
      currency: string;
      seat_count: number;
      available_count: number;
    }>(
      `SELECT a.id, a.name, a.kind, p.price, p.currency,
              count(ss.seat_id)::int AS seat_count,
              (count(ss.seat_id) FILTER (WHERE ss.status = 'available'
                 OR (ss.status = 'selected' AND ss.hold_expires_at <= $2)))::int AS available_count
         FROM show_prices p JOIN areas a ON a.id = p.area_id
         LEFT JOIN show_seats ss ON ss.show_id = p.show_id AND ss.area_id = a.id
        WHERE p.show_id = $1
        GROUP BY a.id, a.name, a.kind, a.position, p.price, p.currency
        ORDER BY a.position`,
      [id, new Date(this.clock.now())],
    );
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
    const { rows } = await this.db.query<{ seats_left: number; unsold: number }>(
      `SELECT (count(*) FILTER (WHERE status = 'available' OR (status = 'selected' AND hold_expires_at <= $2)))::int AS seats_left,
              (count(*) FILTER (WHERE status <> 'sold'))::int AS unsold
         FROM show_seats WHERE show_id = $1`,
      [id, new Date(this.clock.now())],
    );
    return { left: rows[0]?.seats_left ?? 0, unsold: rows[0]?.unsold ?? 0 };
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
