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

  /** Marks exactly these positions of the area as wheelchair places (and no other). */
  async setAccessible(areaId: string, accessible: { row: number; number: number }[]): Promise<void> {
    await this.q.query(
      `UPDATE seats SET accessible = (row_number, seat_number) IN (SELECT * FROM unnest($2::int[], $3::int[])) WHERE area_id = $1`,
      [areaId, accessible.map((x) => x.row), accessible.map((x) => x.number)],
    );
  }

  /** Adds `count` places to a standing area, numbered after its highest. Returns their ids. */
  async addStanding(areaId: string, count: number): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>(
      `INSERT INTO seats (area_id, row_number, seat_number)
         SELECT $1, 0, top.n + g FROM (SELECT coalesce(max(seat_number), 0) AS n FROM seats WHERE area_id = $1) top, generate_series(1, $2::int) g
       RETURNING id`,
      [areaId, count],
    );
    return rows.map((r) => r.id);
  }

  /** Deletes these places of the area. The show_seats foreign key refuses it while any show still has one of them. */
  async remove(areaId: string, seatIds: string[]): Promise<void> {
    await this.q.query(`DELETE FROM seats WHERE area_id = $1 AND id = ANY($2::uuid[])`, [areaId, seatIds]);
  }
}
