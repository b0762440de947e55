import type { AreaKind } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

/** An area on sale for a show, with its price and how many of its seats are claimable. */
export interface AreaOnSaleRow {
  id: string;
  name: string;
  kind: AreaKind;
  price: number;
  currency: string;
  seat_count: number;
  available_count: number;
}

/** The show_prices table (which areas of the venue a show sells, at what price): every statement on it is here. */
export class ShowPricesRepository {
  constructor(private readonly q: Queryable) {}

  /** Sets the price of each area given (adding the areas not on sale yet). */
  async set(showId: string, prices: { areaId: string; price: number }[]): Promise<void> {
    await this.q.query(
      `INSERT INTO show_prices (show_id, area_id, price) SELECT $1, a, p FROM unnest($2::uuid[], $3::int[]) AS x(a, p)
       ON CONFLICT (show_id, area_id) DO UPDATE SET price = EXCLUDED.price`,
      [showId, prices.map((p) => p.areaId), prices.map((p) => p.price)],
    );
  }

  /**
   * The areas on sale for the show other than `keep`, each with how many of its seats are held,
   * sold or part of an order (such an area cannot be taken off sale).
   */
  async othersWithBusySeats(showId: string, keep: string[]): Promise<{ area_id: string; name: string; busy: number }[]> {
    const { rows } = await this.q.query<{ area_id: string; name: string; busy: number }>(
      `SELECT p.area_id, a.name,
              (SELECT count(*) FROM show_seats ss WHERE ss.show_id = p.show_id AND ss.area_id = p.area_id
                 AND (ss.status <> 'available' OR EXISTS (
                   SELECT 1 FROM order_items oi WHERE oi.show_id = ss.show_id AND oi.seat_id = ss.seat_id)))::int AS busy
         FROM show_prices p JOIN areas a ON a.id = p.area_id
        WHERE p.show_id = $1 AND NOT (p.area_id = ANY($2::uuid[]))`,
      [showId, keep],
    );
    return rows;
  }

  async remove(showId: string, areaIds: string[]): Promise<void> {
    await this.q.query(`DELETE FROM show_prices WHERE show_id = $1 AND area_id = ANY($2::uuid[])`, [showId, areaIds]);
  }

  /** The show's areas in the venue's order, with prices and seats claimable at `now` (a lapsed hold counts). */
  async areasOnSale(showId: string, now: Date): Promise<AreaOnSaleRow[]> {
    const { rows } = await this.q.query<AreaOnSaleRow>(
      `SELECT a.id, a.name, a.kind, p.price, p.currency,
              count(ss.seat_id)::int AS seat_count,
              (count(ss.seat_id) FILTER (WHERE ss.status = 'available'
                 OR (ss.status = 'selected' AND ss.hold_expires_at <= $2)))::int AS available_count
         FROM show_prices p JOIN areas a ON a.id = p.area_id
         LEFT JOIN show_seats ss ON ss.show_id = p.show_id AND ss.area_id = a.id
        WHERE p.show_id = $1
        GROUP BY a.id, a.name, a.kind, a.position, p.price, p.currency
        ORDER BY a.position`,
      [showId, now],
    );
    return rows;
  }
}
