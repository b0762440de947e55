import type { Queryable } from '../../platform/database.js';

/** A show with its event and venue, and how many of its seats are not sold yet. */
export interface ShowRow {
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

const SHOW_SELECT = `
  SELECT s.id, s.event_id, e.title AS event_title, e.artist, s.starts_at, s.on_sale_at,
         coalesce(s.queue_opens_at, s.on_sale_at) AS queue_opens_at, s.page_capacity,
         s.purchase_window_seconds, s.max_tickets_per_account,
         v.id AS venue_id, v.name AS venue_name, v.city, v.address, v.time_zone,
         (SELECT count(*) FROM show_seats ss WHERE ss.show_id = s.id AND ss.status <> 'sold')::int AS unsold
    FROM shows s JOIN venues v ON v.id = s.venue_id JOIN events e ON e.id = s.event_id`;

export interface NewShow {
  eventId: string;
  venueId: string;
  startsAt: string;
  onSaleAt: string;
  pageCapacity: number;
  purchaseWindowSeconds: number;
  maxTicketsPerAccount: number;
  queueOpensAt: string | Date;
}

/** The shows table: every statement on it is a named step here. */
export class ShowsRepository {
  constructor(private readonly q: Queryable) {}

  async get(id: string): Promise<ShowRow | undefined> {
    const { rows } = await this.q.query<ShowRow>(`${SHOW_SELECT} WHERE s.id = $1`, [id]);
    return rows[0];
  }

  /** The shows of these events, earliest first. */
  async ofEvents(eventIds: string[]): Promise<ShowRow[]> {
    const { rows } = await this.q.query<ShowRow>(`${SHOW_SELECT} WHERE s.event_id = ANY($1::uuid[]) ORDER BY s.starts_at`, [eventIds]);
    return rows;
  }

  /** The show's id as stored (undefined: no such show), whatever spelling of it was given. */
  async idOf(id: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ id: string }>(`SELECT id FROM shows WHERE id = $1`, [id]);
    return rows[0]?.id;
  }

  /** Returns the new show's id. */
  async create(s: NewShow): Promise<string> {
    const { rows } = await this.q.query<{ id: string }>(
      `INSERT INTO shows (event_id, venue_id, starts_at, on_sale_at, page_capacity, purchase_window_seconds, max_tickets_per_account, queue_opens_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [s.eventId, s.venueId, s.startsAt, s.onSaleAt, s.pageCapacity, s.purchaseWindowSeconds, s.maxTicketsPerAccount, s.queueOpensAt],
    );
    return rows[0]!.id;
  }

  /** Reads the show's times for a change and locks its row until the transaction ends. */
  async lockForChange(id: string): Promise<{ venue_id: string; starts_at: Date; on_sale_at: Date; queue_opens_at: Date | null } | undefined> {
    const { rows } = await this.q.query<{ venue_id: string; starts_at: Date; on_sale_at: Date; queue_opens_at: Date | null }>(
      `SELECT venue_id, starts_at, on_sale_at, queue_opens_at FROM shows WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /** Sets the times; the page rules given (null: unchanged). */
  async update(
    id: string,
    s: { startsAt: Date; onSaleAt: Date; queueOpensAt: Date; pageCapacity: number | null; purchaseWindowSeconds: number | null; maxTicketsPerAccount: number | null },
  ): Promise<void> {
    await this.q.query(
      `UPDATE shows SET starts_at = $2, on_sale_at = $3, queue_opens_at = $7,
              page_capacity = coalesce($4, page_capacity),
              purchase_window_seconds = coalesce($5, purchase_window_seconds),
              max_tickets_per_account = coalesce($6, max_tickets_per_account)
        WHERE id = $1`,
      [id, s.startsAt, s.onSaleAt, s.pageCapacity, s.purchaseWindowSeconds, s.maxTicketsPerAccount, s.queueOpensAt],
    );
  }
}
