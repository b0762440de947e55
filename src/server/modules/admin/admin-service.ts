import { QUEUE_OPENS_BEFORE_MS, type CreateEventRequest, type CreateShowRequest, type CreateVenueRequest, type UpdateShowRequest, type UpdateVenueRequest } from '../../../shared/api.js';
// The venue and event as the API answers them (src/shared/api.ts).
import type { Event as EventOut, Venue as VenueOut } from '../../../shared/api.js';
import { canonicalTimeZone } from '../../../shared/time-zones.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';

/** What organizers create: venues with their seat grids, events, and shows with a price per area. */
export class AdminService {
  constructor(
    private readonly db: Database,
    /** The zone of a venue created without one (DEFAULT_TIME_ZONE). */
    private readonly defaultTimeZone = 'UTC',
  ) {}

  /** The request's zone in its canonical spelling, so one zone is stored one way. */
  private zoneOf(name: string): string {
    const zone = canonicalTimeZone(name);
    if (!zone) throw new AppError('VALIDATION_FAILED', 'timeZone: must be an IANA time zone such as Asia/Taipei');
    return zone;
  }

  async createVenue(input: CreateVenueRequest): Promise<VenueOut> {
    const timeZone = this.zoneOf(input.timeZone ?? this.defaultTimeZone);
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO venues (name, city, address, time_zone) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.name, input.city, input.address, timeZone],
      );
      const venueId = rows[0]!.id;
      const areas: VenueOut['areas'] = [];
      for (const [position, a] of input.areas.entries()) {
        const { rows: ar } = await tx.query<{ id: string }>(
          `INSERT INTO areas (venue_id, name, rows, seats_per_row, position) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [venueId, a.name, a.rows, a.seatsPerRow, position],
        );
        const areaId = ar[0]!.id;
        await tx.query(
          `INSERT INTO seats (area_id, row_number, seat_number)
             SELECT $1, r, n FROM generate_series(1, $2::int) r, generate_series(1, $3::int) n`,
          [areaId, a.rows, a.seatsPerRow],
        );
        areas.push({ id: areaId, name: a.name, rows: a.rows, seatsPerRow: a.seatsPerRow });
      }
      return { id: venueId, name: input.name, city: input.city, address: input.address, timeZone, areas };
    });
  }

  /** Renames, moves or re-zones a venue; its seat grid stays (shows and tickets point at its seats). */
  async updateVenue(id: string, input: UpdateVenueRequest): Promise<VenueOut> {
    const timeZone = input.timeZone === undefined ? null : this.zoneOf(input.timeZone);
    const { rowCount } = await this.db.query(
      `UPDATE venues SET name = coalesce($2, name), city = coalesce($3, city), address = coalesce($4, address),
              time_zone = coalesce($5, time_zone)
        WHERE id = $1`,
      [id, input.name ?? null, input.city ?? null, input.address ?? null, timeZone],
    );
    if (rowCount === 0) throw new AppError('NOT_FOUND', 'No such venue');
    return (await this.listVenues(id))[0]!;
  }

  async listVenues(only: string | null = null): Promise<VenueOut[]> {
    const { rows } = await this.db.query<VenueOut>(
      `SELECT v.id, v.name, v.city, v.address, v.time_zone AS "timeZone",
              coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'rows', a.rows, 'seatsPerRow', a.seats_per_row)
                                ORDER BY a.position) FILTER (WHERE a.id IS NOT NULL), '[]') AS areas
         FROM venues v LEFT JOIN areas a ON a.venue_id = v.id
        WHERE $1::uuid IS NULL OR v.id = $1::uuid
        GROUP BY v.id ORDER BY v.created_at, v.name`,
      [only],
    );
    return rows;
  }

  async createEvent(input: CreateEventRequest): Promise<EventOut> {
    const { rows } = await this.db.query<EventOut>(
      `INSERT INTO events (title, artist, description, image_url) VALUES ($1, $2, $3, $4)
       RETURNING id, title, artist, description, image_url AS "imageUrl"`,
      [input.title, input.artist, input.description, input.imageUrl ?? null],
    );
    return rows[0]!;
  }

  async updateEvent(id: string, input: Partial<CreateEventRequest>): Promise<EventOut> {
    const { rows } = await this.db.query<EventOut>(
      `UPDATE events SET title = coalesce($2, title), artist = coalesce($3, artist),
              description = coalesce($4, description), image_url = coalesce($5, image_url)
        WHERE id = $1 RETURNING id, title, artist, description, image_url AS "imageUrl"`,
      [id, input.title ?? null, input.artist ?? null, input.description ?? null, input.imageUrl ?? null],
    );
    if (!rows[0]) throw new AppError('NOT_FOUND', 'No such event');
    return rows[0];
  }

  /** Seats of a show by sale state at `now` (an expired selection counts as available). */
  async seatCounts(showId: string, now: number): Promise<{ sold: number; held: number; available: number }> {
    const { rows } = await this.db.query<{ sold: number; held: number; available: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sold')::int AS sold,
              count(*) FILTER (WHERE status = 'locked' OR (status = 'selected' AND hold_expires_at > $2))::int AS held,
              count(*) FILTER (WHERE status = 'available' OR (status = 'selected' AND hold_expires_at <= $2))::int AS available
         FROM show_seats WHERE show_id = $1`,
      [showId, new Date(now)],
    );
    return rows[0]!;
  }

  /** Creates a show and one sale-state row per seat of every priced area. Returns the show id. */
  async createShow(input: CreateShowRequest): Promise<string> {
    return this.db.transaction(async (tx) => {
      const ev = await tx.query(`SELECT 1 FROM events WHERE id = $1`, [input.eventId]);
      if (ev.rowCount === 0) throw new AppError('NOT_FOUND', 'No such event');
      const { rows: areas } = await tx.query<{ id: string }>(`SELECT id FROM areas WHERE venue_id = $1`, [input.venueId]);
      if (areas.length === 0) throw new AppError('NOT_FOUND', 'No such venue');
      const own = new Set(areas.map((a) => a.id));
      const ids = input.prices.map((p) => p.areaId);
      if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', 'prices: one price per area');
      const foreign = ids.find((a) => !own.has(a));
      if (foreign) throw new AppError('VALIDATION_FAILED', `prices: area ${foreign} is not in this venue`);

      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO shows (event_id, venue_id, starts_at, on_sale_at, page_capacity, purchase_window_seconds, max_tickets_per_account, queue_opens_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          input.eventId,
          input.venueId,
          input.startsAt,
          input.onSaleAt,
          input.pageCapacity,
          input.purchaseWindowSeconds,
          input.maxTicketsPerAccount,
          input.queueOpensAt ?? new Date(Date.parse(input.onSaleAt) - QUEUE_OPENS_BEFORE_MS),
        ],
      );
      const showId = rows[0]!.id;
      await tx.query(
        `INSERT INTO show_prices (show_id, area_id, price) SELECT $1, a, p FROM unnest($2::uuid[], $3::int[]) AS x(a, p)`,
        [showId, ids, input.prices.map((p) => p.price)],
      );
      await tx.query(
        `INSERT INTO show_seats (show_id, seat_id, area_id)
           SELECT $1, s.id, s.area_id FROM seats s WHERE s.area_id = ANY($2::uuid[])`,
        [showId, ids],
      );
      return showId;
    });
  }

  /**
   * Changes a show's times, page rules or prices. Areas can be added; an area can only be taken off
   * sale while none of its seats is held, sold or part of an order, so sold tickets never break.
   */
  async updateShow(showId: string, input: UpdateShowRequest): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ venue_id: string; starts_at: Date; on_sale_at: Date; queue_opens_at: Date | null }>(
        `SELECT venue_id, starts_at, on_sale_at, queue_opens_at FROM shows WHERE id = $1 FOR UPDATE`,
        [showId],
      );
      const show = rows[0];
      if (!show) throw new AppError('NOT_FOUND', 'No such show');
      const startsAt = input.startsAt ? Date.parse(input.startsAt) : show.starts_at.getTime();
      const onSaleAt = input.onSaleAt ? Date.parse(input.onSaleAt) : show.on_sale_at.getTime();
      if (onSaleAt > startsAt) throw new AppError('VALIDATION_FAILED', 'onSaleAt: must not be after startsAt');
      // A moved sale keeps its pre-queue's length unless the organizer sets the opening too.
      const keptLead = show.on_sale_at.getTime() - (show.queue_opens_at ?? show.on_sale_at).getTime();
      const queueOpensAt = input.queueOpensAt ? Date.parse(input.queueOpensAt) : onSaleAt - keptLead;
      if (queueOpensAt > onSaleAt) throw new AppError('VALIDATION_FAILED', 'queueOpensAt: must not be after onSaleAt');
      await tx.query(
        `UPDATE shows SET starts_at = $2, on_sale_at = $3, queue_opens_at = $7,
                page_capacity = coalesce($4, page_capacity),
                purchase_window_seconds = coalesce($5, purchase_window_seconds),
                max_tickets_per_account = coalesce($6, max_tickets_per_account)
          WHERE id = $1`,
        [showId, new Date(startsAt), new Date(onSaleAt), input.pageCapacity ?? null, input.purchaseWindowSeconds ?? null, input.maxTicketsPerAccount ?? null, new Date(queueOpensAt)],
      );
      if (!input.prices) return;

      const ids = input.prices.map((p) => p.areaId);
      if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', 'prices: one price per area');
      const { rows: own } = await tx.query<{ id: string }>(`SELECT id FROM areas WHERE venue_id = $1`, [show.venue_id]);
      const ownIds = new Set(own.map((a) => a.id));
      const foreign = ids.find((a) => !ownIds.has(a));
      if (foreign) throw new AppError('VALIDATION_FAILED', `prices: area ${foreign} is not in this venue`);

      const { rows: removed } = await tx.query<{ area_id: string; name: string; busy: number }>(
        `SELECT p.area_id, a.name,
                (SELECT count(*) FROM show_seats ss WHERE ss.show_id = p.show_id AND ss.area_id = p.area_id
                   AND (ss.status <> 'available' OR EXISTS (
                     SELECT 1 FROM order_items oi WHERE oi.show_id = ss.show_id AND oi.seat_id = ss.seat_id)))::int AS busy
           FROM show_prices p JOIN areas a ON a.id = p.area_id
          WHERE p.show_id = $1 AND NOT (p.area_id = ANY($2::uuid[]))`,
        [showId, ids],
      );
      const busy = removed.find((r) => r.busy > 0);
      if (busy) throw new AppError('CONFLICT', `Area ${busy.name} has seats that are held, sold or ordered: it cannot be taken off sale`);
      const gone = removed.map((r) => r.area_id);
      await tx.query(`DELETE FROM show_seats WHERE show_id = $1 AND area_id = ANY($2::uuid[])`, [showId, gone]);
      await tx.query(`DELETE FROM show_prices WHERE show_id = $1 AND area_id = ANY($2::uuid[])`, [showId, gone]);
      await tx.query(
        `INSERT INTO show_prices (show_id, area_id, price) SELECT $1, a, p FROM unnest($2::uuid[], $3::int[]) AS x(a, p)
         ON CONFLICT (show_id, area_id) DO UPDATE SET price = EXCLUDED.price`,
        [showId, ids, input.prices.map((p) => p.price)],
      );
      await tx.query(
        `INSERT INTO show_seats (show_id, seat_id, area_id)
           SELECT $1, s.id, s.area_id FROM seats s WHERE s.area_id = ANY($2::uuid[])
         ON CONFLICT (show_id, seat_id) DO NOTHING`,
        [showId, ids],
      );
    });
  }
}
