import type { Locale, Order } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';
import { changesOf, type ChangedRow, type SeatChange } from '../seats/show-seats-repository.js';
import type { SheetTicketRow, TicketRow } from './tickets-repository.js';

/** An order as the payment steps read it. */
export interface OrderState {
  id: string;
  show_id: string;
  user_id: string;
  status: Order['status'];
  total: number;
  currency: string;
  expires_at: Date;
  payment_ref: string | null;
  paying_attempt_id: string | null;
  /** The admission the order was made in (null: made before admissions had ids). */
  admission_id: string | null;
}

/** What became of a charge that went through (OrdersRepository.completePayment). */
export type PaymentCompletion =
  | { outcome: 'paid'; changes: SeatChange[]; anyUnsold: boolean }
  | { outcome: 'already' }
  | { outcome: 'refund' };

/** The SQLSTATE `complete_payment` raises when the order's seats are not all locked for it any more. */
export const SEATS_LOST_SQLSTATE = 'TC001';

/** An order as the API lists it, with what it is for. */
export interface OrderRow {
  id: string;
  show_id: string;
  status: Order['status'];
  total: number;
  currency: string;
  expires_at: Date;
  created_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
  paying_attempt_id: string | null;
  starts_at: Date;
  event_title: string;
  artist: string;
  venue_name: string;
  venue_time_zone: string;
  /** Its lines, in the venue's seat order. */
  items: Omit<ItemRow, 'order_id'>[];
  /** Its tickets in the same order (only a paid or refunded order has any); times as JSON gives them. */
  tickets: (Omit<TicketRow, 'checked_in_at'> & { checked_in_at: string | null })[];
}

/** An order as the console lists a show's orders. */
export interface ShowOrderRow {
  id: string;
  status: Order['status'];
  user_id: string;
  name: string;
  email: string;
  total: number;
  currency: string;
  created_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
  seats: number;
}

export interface ItemRow {
  order_id: string;
  seat_id: string;
  area_name: string;
  row_number: number;
  seat_number: number;
  price: number;
}

/** A paid order as its tickets' sheet (the PDF) prints it: the buyer, the show, the tickets. */
export interface SheetRow {
  order_id: string;
  buyer_name: string;
  buyer_email: string;
  buyer_locale: Locale;
  event_title: string;
  artist: string;
  venue_name: string;
  venue_city: string;
  venue_address: string;
  starts_at: Date;
  time_zone: string;
  total: number;
  currency: string;
  refunded: boolean;
  /** With what each seat was sold for, in the venue's seat order. */
  tickets: SheetTicketRow[];
}

/** An order as its refund email tells it. */
export interface RefundNotice {
  buyer_name: string;
  /** The buyer's language. */
  locale: Locale;
  title: string;
  starts_at: Date;
  time_zone: string;
  total: number;
  currency: string;
}

/** One minute of a show's sale: tickets sold, orders paid, revenue. */
export interface SalesMinuteRow {
  minute: Date;
  sold: number;
  paid_orders: number;
  revenue: number;
}

/** An order as the organizer's orders.csv lists it. */
export interface ExportedOrder {
  id: string;
  status: string;
  name: string;
  email: string;
  tickets: number;
  total: number;
  currency: string;
  created_at: Date;
  paid_at: Date | null;
}

/**
 * The condition every statement ending a pending order adds to its WHERE: an order whose charge
 * may be going through stays as it is until the attempt is resolved. It is a column of the order's
 * own row, so an UPDATE that had to wait for the attempt's transaction re-checks it.
 */
const NO_PAYMENT_IN_FLIGHT = 'paying_attempt_id IS NULL';

/** What a pending order that ends without payment becomes: expired if its time ran out, else cancelled. */
const ENDED = (now: string) => `CASE WHEN expires_at <= ${now} THEN 'expired' ELSE 'cancelled' END`;

/** A seat an account may check out (alias `ss.`): selected by it (`$1`), unexpired at `$4`, held in this admission (`$6`) or before admissions had ids. */
const HELD_FOR_CHECKOUT = (a: string) =>
  `${a}status = 'selected' AND ${a}holder_id = $1 AND ${a}hold_expires_at > $4 AND (${a}admission_id = $6 OR ${a}admission_id IS NULL)`;

/** The orders table and its lines (order_items): every statement on them is a named step here. */
export class OrdersRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * A checkout in one statement, inside the transaction that holds the account's seat lock: the
   * caller's pending, unexpired order of exactly these seats (a retried checkout) when there is
   * one (`same`); else, when every seat is selected by the account, unexpired and held in this
   * admission (one left over from an ended admission is not for sale to it), a new pending order
   * of them (`made`) with one line per seat at its area's price and their total, and its seats
   * locked for it until `expiresAt`. `locked` lists the seats locked: fewer than asked means a seat
   * was taken meanwhile, and the caller rolls back.
   */
  async checkOut(o: { userId: string; showId: string; seatIds: string[]; expiresAt: Date; now: Date; admissionId: string }): Promise<{ same: string | null; made: string | null; locked: SeatChange[] }> {
    const { rows } = await this.q.query<{ same: string | null; made: string | null; locked: ChangedRow[] }>(
      `WITH same AS (
         SELECT o.id FROM orders o
          WHERE o.user_id = $1 AND o.show_id = $2 AND o.status = 'pending' AND o.expires_at > $4
            AND ARRAY(SELECT oi.seat_id FROM order_items oi WHERE oi.order_id = o.id ORDER BY oi.seat_id)
              = ARRAY(SELECT x FROM unnest($3::uuid[]) AS x ORDER BY x)
          LIMIT 1
       ), held AS (
         SELECT ss.seat_id, p.price, p.currency
           FROM show_seats ss JOIN show_prices p ON p.show_id = ss.show_id AND p.area_id = ss.area_id
          WHERE ss.show_id = $2 AND ss.seat_id = ANY($3::uuid[]) AND NOT EXISTS (SELECT 1 FROM same)
            AND ${HELD_FOR_CHECKOUT('ss.')}
       ), made AS (
         INSERT INTO orders (user_id, show_id, status, total, currency, expires_at, created_at, admission_id)
         SELECT $1, $2, 'pending', sum(price)::int, min(currency), $5, $4, $6 FROM held
         HAVING count(*) = cardinality($3::uuid[])
         RETURNING id
       ), locked AS (
         UPDATE show_seats ss SET status = 'locked', order_id = made.id, hold_expires_at = $5, updated_at = $4
           FROM made, held
          WHERE ss.show_id = $2 AND ss.seat_id = held.seat_id AND ${HELD_FOR_CHECKOUT('ss.')}
         RETURNING ss.show_id, ss.seat_id, ss.area_id
       ), lines AS (
         INSERT INTO order_items (order_id, show_id, seat_id, price)
         SELECT made.id, $2, held.seat_id, held.price FROM made, held
       )
       SELECT (SELECT id FROM same) AS same, (SELECT id FROM made) AS made,
              (SELECT coalesce(json_agg(locked), '[]'::json) FROM locked) AS locked`,
      [o.userId, o.showId, o.seatIds, o.now, o.expiresAt, o.admissionId],
    );
    const r = rows[0]!;
    return { same: r.same, made: r.made, locked: changesOf(r.locked, 'locked') };
  }

  /** The account's order (undefined for someone else's, as for a missing one). */
  async stateOf(orderId: string, userId: string): Promise<OrderState | undefined> {
    const { rows } = await this.q.query<OrderState>(
      `SELECT id, show_id, user_id, status, total, currency, expires_at, payment_ref, paying_attempt_id, admission_id FROM orders WHERE id = $1 AND user_id = $2`,
      [orderId, userId],
    );
    return rows[0];
  }

  /**
   * Marks the order as being paid by a new attempt, if it is pending, in time and not already being
   * paid, and records the attempt (payment_attempts, state 'charging') with it: one statement, so
   * both happen or neither, without a transaction's BEGIN and COMMIT. Two attempts at once: the
   * second waits on the order's row, finds it paying and records nothing.
   */
  async markPaying(a: { orderId: string; attemptId: string; idempotencyKey: string; amount: number; currency: string; now: Date }): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `WITH paying AS (
         UPDATE orders SET paying_attempt_id = $2
          WHERE id = $1 AND status = 'pending' AND expires_at > $3 AND ${NO_PAYMENT_IN_FLIGHT}
          RETURNING id
       )
       INSERT INTO payment_attempts (id, order_id, idempotency_key, amount, currency, state, created_at)
       SELECT $2, paying.id, $4, $5, $6, 'charging', $3 FROM paying`,
      [a.orderId, a.attemptId, a.now, a.idempotencyKey, a.amount, a.currency],
    );
    return rowCount > 0;
  }

  /** The attempt no longer holds its order: the order is payable (or endable) again. */
  async releaseFromAttempt(attemptId: string): Promise<void> {
    await this.q.query(`UPDATE orders SET paying_attempt_id = NULL WHERE paying_attempt_id = $1`, [attemptId]);
  }

  /**
   * The attempt's charge went through: under the account's seat lock and the attempt's row lock, in
   * one statement (migrations/013, `complete_payment`), the order is paid if the attempt still holds
   * it, its seats sold, the account's other held seats of the show freed, its tickets issued (the
   * codes given, one per seat: at least as many as the order has lines), the confirmation queued and
   * the attempt marked succeeded. See the migration for the outcomes; a seat of the order lost
   * meanwhile raises SEATS_LOST_SQLSTATE, and nothing changes.
   */
  async completePayment(p: {
    attemptId: string;
    orderId: string;
    showId: string;
    userId: string;
    chargeId: string;
    now: Date;
    codes: string[];
    mail: { dedupeKey: string; payload: Record<string, unknown> };
  }): Promise<PaymentCompletion> {
    const { rows } = await this.q.query<{ outcome: 'paid' | 'already' | 'refund'; changes: (ChangedRow & { sold: boolean })[] | null; any_unsold: boolean | null }>(
      `SELECT * FROM complete_payment($1, $2, $3, $4, $5, $6, $7::text[], $8, $9::jsonb)`,
      [p.attemptId, p.orderId, p.showId, p.userId, p.chargeId, p.now, p.codes, p.mail.dedupeKey, JSON.stringify(p.mail.payload)],
    );
    const r = rows[0]!;
    if (r.outcome !== 'paid') return { outcome: r.outcome };
    const changed = r.changes!;
    const changes = [...changesOf(changed.filter((c) => c.sold), 'sold'), ...changesOf(changed.filter((c) => !c.sold), 'available')];
    return { outcome: 'paid', changes, anyUnsold: r.any_unsold! };
  }

  /** Ends a pending order not being paid: expired if its time ran out, else cancelled. */
  async endPending(orderId: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `UPDATE orders SET status = ${ENDED('$2')}
        WHERE id = $1 AND status = 'pending' AND ${NO_PAYMENT_IN_FLIGHT}`,
      [orderId, now],
    );
    return rowCount > 0;
  }

  /**
   * Ends the account's pending orders of an ended admission (and those from before admissions had
   * ids), never one being paid. Returns the ids of those ended.
   */
  async endPendingOfAdmission(showId: string, userId: string, admissionId: string, now: Date): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>(
      `UPDATE orders SET status = ${ENDED('$3')}
        WHERE show_id = $1 AND user_id = $2 AND status = 'pending' AND ${NO_PAYMENT_IN_FLIGHT}
          AND (admission_id = $4 OR admission_id IS NULL)
        RETURNING id`,
      [showId, userId, now, admissionId],
    );
    return rows.map((r) => r.id);
  }

  /** Expires a pending order past its time, unless it is being paid. */
  async expire(orderId: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `UPDATE orders SET status = 'expired' WHERE id = $1 AND status = 'pending' AND expires_at <= $2 AND ${NO_PAYMENT_IN_FLIGHT}`,
      [orderId, now],
    );
    return rowCount > 0;
  }

  /**
   * Expires up to `limit` pending orders past their time, of any show, none being paid. Several
   * instances may run it at once: each claims its rows with FOR UPDATE SKIP LOCKED and re-checks
   * them in the UPDATE. Returns the ids of those expired.
   */
  async expireDue(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>(
      `UPDATE orders o SET status = 'expired'
         FROM (SELECT id FROM orders
                WHERE status = 'pending' AND expires_at <= $1 AND ${NO_PAYMENT_IN_FLIGHT}
                ORDER BY expires_at LIMIT $2
                FOR UPDATE SKIP LOCKED) due
        WHERE o.id = due.id AND o.status = 'pending' AND o.${NO_PAYMENT_IN_FLIGHT}
        RETURNING o.id`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The account's orders (or one of them), newest first, with the show they are for and their lines. */
  async listForAccount(userId: string, orderId: string | null, limit: number): Promise<OrderRow[]> {
    const { rows } = await this.q.query<OrderRow>(
      `SELECT o.id, o.show_id, o.status, o.total, o.currency, o.expires_at, o.created_at, o.paid_at, o.refunded_at, o.paying_attempt_id,
              sh.starts_at, e.title AS event_title, e.artist, v.name AS venue_name, v.time_zone AS venue_time_zone,
              coalesce((SELECT json_agg(json_build_object('seat_id', oi.seat_id, 'area_name', a.name, 'row_number', s.row_number,
                                                          'seat_number', s.seat_number, 'price', oi.price)
                                        ORDER BY a.position, s.row_number, s.seat_number)
                          FROM order_items oi JOIN seats s ON s.id = oi.seat_id JOIN areas a ON a.id = s.area_id
                         WHERE oi.order_id = o.id), '[]'::json) AS items,
              CASE WHEN o.status IN ('paid', 'refunded') THEN
                coalesce((SELECT json_agg(json_build_object('id', t.id, 'order_id', t.order_id, 'show_id', t.show_id, 'seat_id', t.seat_id,
                                                            'code', t.code, 'checked_in_at', t.checked_in_at, 'area_name', a.name,
                                                            'row_number', s.row_number, 'seat_number', s.seat_number)
                                          ORDER BY a.position, s.row_number, s.seat_number)
                            FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN areas a ON a.id = s.area_id
                           WHERE t.order_id = o.id), '[]'::json)
              ELSE '[]'::json END AS tickets
         FROM orders o
         JOIN shows sh ON sh.id = o.show_id
         JOIN events e ON e.id = sh.event_id
         JOIN venues v ON v.id = sh.venue_id
        WHERE o.user_id = $1 AND ($2::uuid IS NULL OR o.id = $2::uuid)
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT $3`,
      [userId, orderId, limit],
    );
    return rows;
  }

  /** The account an order belongs to (undefined: no such order). */
  async buyerOf(orderId: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ user_id: string }>(`SELECT user_id FROM orders WHERE id = $1`, [orderId]);
    return rows[0]?.user_id;
  }

  /**
   * A paid order's sheet: its buyer, its show and its tickets with their prices, in the venue's seat
   * order, in one statement. Undefined: unknown, not paid (with `refunded`, a refunded order counts:
   * it was paid, and its receipt still tells it), or with `userId` another account's.
   */
  async paidSheet(orderId: string, o: { userId: string | null; refunded: boolean }): Promise<SheetRow | undefined> {
    const { rows } = await this.q.query<SheetRow>(
      `SELECT o.id AS order_id, u.name AS buyer_name, u.email AS buyer_email, u.locale AS buyer_locale, e.title AS event_title, e.artist,
              v.name AS venue_name, v.city AS venue_city, v.address AS venue_address, v.time_zone, sh.starts_at,
              o.total, o.currency, o.status = 'refunded' AS refunded,
              coalesce((SELECT json_agg(json_build_object('id', t.id, 'code', t.code, 'area_name', a.name, 'row_number', s.row_number,
                                                          'seat_number', s.seat_number, 'price', oi.price)
                                        ORDER BY a.position, s.row_number, s.seat_number)
                          FROM tickets t
                          JOIN seats s ON s.id = t.seat_id
                          JOIN areas a ON a.id = s.area_id
                          JOIN order_items oi ON oi.order_id = t.order_id AND oi.seat_id = t.seat_id
                         WHERE t.order_id = o.id), '[]'::json) AS tickets
         FROM orders o
         JOIN users u ON u.id = o.user_id
         JOIN shows sh ON sh.id = o.show_id
         JOIN events e ON e.id = sh.event_id
         JOIN venues v ON v.id = sh.venue_id
        WHERE o.id = $1 AND (o.status = 'paid' OR ($3::boolean AND o.status = 'refunded'))
          AND ($2::uuid IS NULL OR o.user_id = $2::uuid)`,
      [orderId, o.userId, o.refunded],
    );
    return rows[0];
  }

  /**
   * A paid order becomes refunded, in one conditional UPDATE: of two refunds at once one wins, the
   * other gets undefined (and reads what the order is).
   */
  async markRefunded(orderId: string, now: Date): Promise<{ user_id: string; show_id: string } | undefined> {
    const { rows } = await this.q.query<{ user_id: string; show_id: string }>(
      `UPDATE orders SET status = 'refunded', refunded_at = $2 WHERE id = $1 AND status = 'paid' RETURNING user_id, show_id`,
      [orderId, now],
    );
    return rows[0];
  }

  /** What a refund email says of an order, whatever its status. */
  async refundNotice(orderId: string): Promise<RefundNotice | undefined> {
    const { rows } = await this.q.query<RefundNotice>(
      `SELECT u.name AS buyer_name, u.locale, e.title, sh.starts_at, v.time_zone, o.total, o.currency
         FROM orders o JOIN users u ON u.id = o.user_id JOIN shows sh ON sh.id = o.show_id
         JOIN events e ON e.id = sh.event_id JOIN venues v ON v.id = sh.venue_id
        WHERE o.id = $1`,
      [orderId],
    );
    return rows[0];
  }

  /** The show's paid orders and their revenue; the currency is that of its prices when nothing is paid (null: none). */
  async salesOf(showId: string): Promise<{ paid_orders: number; revenue: number; currency: string | null }> {
    const { rows } = await this.q.query<{ paid_orders: number; revenue: number; currency: string | null }>(
      `SELECT count(*)::int AS paid_orders, coalesce(sum(total), 0)::int AS revenue,
              coalesce(min(currency), (SELECT min(currency) FROM show_prices WHERE show_id = $1)) AS currency
         FROM orders WHERE show_id = $1 AND status = 'paid'`,
      [showId],
    );
    return rows[0]!;
  }

  /** The show's paid orders by the minute they were paid in, from `from` up to `until` (excluded); minutes without any are absent. */
  async salesByMinute(showId: string, from: Date, until: Date): Promise<SalesMinuteRow[]> {
    const { rows } = await this.q.query<SalesMinuteRow>(
      `SELECT date_trunc('minute', o.paid_at) AS minute, sum(n.items)::int AS sold, count(*)::int AS paid_orders, sum(o.total)::int AS revenue
         FROM orders o
         CROSS JOIN LATERAL (SELECT count(*) AS items FROM order_items oi WHERE oi.order_id = o.id) n
        WHERE o.show_id = $1 AND o.status = 'paid' AND o.paid_at >= $2 AND o.paid_at < $3
        GROUP BY 1`,
      [showId, from, until],
    );
    return rows;
  }

  /** Every order of the show but those still being checked out, with its buyer, oldest first. */
  async forExport(showId: string): Promise<ExportedOrder[]> {
    const { rows } = await this.q.query<ExportedOrder>(
      `SELECT o.id, o.status, u.name, u.email, (SELECT count(*)::int FROM order_items oi WHERE oi.order_id = o.id) AS tickets,
              o.total, o.currency, o.created_at, o.paid_at
         FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.show_id = $1 AND o.status <> 'pending'
        ORDER BY o.created_at, o.id`,
      [showId],
      );
    return rows;
  }

  /** Who placed the order and what it is now (undefined: no such order). */
  async ownerAndStatus(orderId: string): Promise<{ user_id: string; status: Order['status'] } | undefined> {
    const { rows } = await this.q.query<{ user_id: string; status: Order['status'] }>(`SELECT user_id, status FROM orders WHERE id = $1`, [orderId]);
    return rows[0];
  }

  /** The console's list of a show's orders, newest first, with the buyer and the number of places. */
  async ofShow(showId: string, limit: number): Promise<ShowOrderRow[]> {
    const { rows } = await this.q.query<ShowOrderRow>(
      `SELECT o.id, o.status, o.user_id, u.name, u.email, o.total, o.currency, o.created_at, o.paid_at, o.refunded_at,
              (SELECT count(*)::int FROM order_items oi WHERE oi.order_id = o.id) AS seats
         FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.show_id = $1
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT $2`,
      [showId, limit],
    );
    return rows;
  }
}
