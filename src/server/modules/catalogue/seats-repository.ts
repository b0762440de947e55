import type { Queryable } from '../../platform/database.js';

/** The seats table (a venue's physical seats; their sale per show is show_seats, in modules/seats). */
export class SeatsRepository {
  constructor(private readonly q: Queryable) {}

  /** Rows 1..rows of seats 1..seatsPerRow in the area. */
  async createGrid(areaId: string, rows: number, seatsPerRow: number): Promise<void> {
    await this.q.query(
      `INSERT INTO seats (area_id, row_number, seat_number)
         SELECT $1, r, n FROM generate_series(1, $2::int) r, generate_series(1, $3::int) n`,
      [areaId, rows, seatsPerRow],
    );
  }
}
