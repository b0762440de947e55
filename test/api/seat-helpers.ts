/** Helpers the seat and order suites share: admitted buyers, seat ids, cards. */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/server/platform/database.js';
import { call } from '../support/api-client.js';

export const GOOD_CARD = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' };
export const OTHER_GOOD_CARD = { number: '5555555555554444', expMonth: 1, expYear: 2099, cvc: '321' };
export const DECLINED = { number: '4000000000000002', expMonth: 12, expYear: 2099, cvc: '123' };
export const pay = (card = GOOD_CARD) => ({ method: 'card', card });

/** Joins the show's line; throws unless the account is admitted at once. */
export async function admit(app: FastifyInstance, showId: string, token: string): Promise<void> {
  const r = await call(app, 'POST', `/api/shows/${showId}/queue`, { token });
  if (r.status !== 200 || r.body.state !== 'admitted') throw new Error(`not admitted: ${r.status} ${JSON.stringify(r.body)}`);
}

/** The show's seat ids in map order (area, row, number). */
export async function seatIdsOf(db: Database, showId: string): Promise<string[]> {
  const { rows } = await db.query<{ seat_id: string }>(
    `SELECT ss.seat_id FROM show_seats ss JOIN seats s ON s.id = ss.seat_id JOIN areas a ON a.id = ss.area_id
      WHERE ss.show_id = $1 ORDER BY a.position, s.row_number, s.seat_number`,
    [showId],
  );
  return rows.map((r) => r.seat_id);
}

export async function seatRow(db: Database, showId: string, seatId: string) {
  const { rows } = await db.query<{ status: string; holder_id: string | null; order_id: string | null }>(
    `SELECT status, holder_id, order_id FROM show_seats WHERE show_id = $1 AND seat_id = $2`,
    [showId, seatId],
  );
  return rows[0]!;
}

export const hold = (app: FastifyInstance, showId: string, seatId: string, token: string) =>
  call(app, 'POST', `/api/shows/${showId}/seats/${seatId}/hold`, { token });

export const checkout = (app: FastifyInstance, showId: string, seatIds: string[], token: string) =>
  call(app, 'POST', `/api/shows/${showId}/checkout`, { token, body: { seatIds } });

export const MISSING_ID = '00000000-0000-4000-8000-000000000000';
