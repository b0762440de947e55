import type { Queryable } from '../../platform/database.js';

/** The areas table (a venue's blocks of seats): every statement on it is a named step here. */
export class AreasRepository {
  constructor(private readonly q: Queryable) {}

  /** Returns the new area's id. A seated area has rows x seatsPerRow, a standing one a capacity. */
  async create(
    a: { venueId: string; name: string; position: number } & ({ kind: 'seated'; rows: number; seatsPerRow: number } | { kind: 'standing'; capacity: number }),
  ): Promise<string> {
    const seated = a.kind === 'seated';
    const { rows } = await this.q.query<{ id: string }>(
      `INSERT INTO areas (venue_id, name, kind, rows, seats_per_row, capacity, position) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [a.venueId, a.name, a.kind, seated ? a.rows : null, seated ? a.seatsPerRow : null, seated ? null : a.capacity, a.position],
    );
    return rows[0]!.id;
  }

  /** The ids of a venue's areas (none: no such venue, or one without areas). */
  async idsOfVenue(venueId: string): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>(`SELECT id FROM areas WHERE venue_id = $1`, [venueId]);
    return rows.map((a) => a.id);
  }
}
