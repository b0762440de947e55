import type { Queryable } from '../../platform/database.js';

/** The seats table (a venue's physical seats; their sale per show is show_seats, in modules/seats). */
export class SeatsRepository {
  constructor(private readonly q: Queryable) {}

  /** Rows 1..rows of seats 1..seatsPerRow in the area; those at `accessible` positions are wheelchair places. */
  async createGrid(areaId: string, rows: number, seatsPerRow: number, accessible: { row: number; number: number }[] = []): Promise<void> {
    await this.q.query(
      `INSERT INTO seats (area_id, row_number, seat_number, accessible)
         SELECT $1, r, n, (r, n) IN (SELECT * FROM unnest($4::int[], $5::int[]))
           FROM generate_series(1, $2::int) r, generate_series(1, $3::int) n`,
      [areaId, rows, seatsPerRow, accessible.map((x) => x.row), accessible.map((x) => x.number)],
    );
  }

  /** A standing area's places: seats of row 0 (never shown), numbered 1..capacity, so holds, orders and tickets work alike. */
  async createStanding(areaId: string, capacity: number): Promise<void> {
    await this.q.query(`INSERT INTO seats (area_id, row_number, seat_number) SELECT $1, 0, n FROM generate_series(1, $2::int) n`, [areaId, capacity]);
  }
}
