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

  /** The venue's area as it is, locked until the transaction ends (undefined: no such area in that venue). */
  async lockOfVenue(venueId: string, areaId: string): Promise<{ kind: 'seated' | 'standing'; rows: number | null; seats_per_row: number | null; capacity: number | null } | undefined> {
    const { rows } = await this.q.query<{ kind: 'seated' | 'standing'; rows: number | null; seats_per_row: number | null; capacity: number | null }>(
      `SELECT kind, rows, seats_per_row, capacity FROM areas WHERE id = $2 AND venue_id = $1 FOR UPDATE`,
      [venueId, areaId],
    );
    return rows[0];
  }

  /** Sets the name and a standing area's capacity given (null: unchanged). Throws the unique violation (23505) for a name the venue already has. */
  async update(areaId: string, a: { name: string | null; capacity: number | null }): Promise<void> {
    await this.q.query(`UPDATE areas SET name = coalesce($2, name), capacity = coalesce($3, capacity) WHERE id = $1`, [areaId, a.name, a.capacity]);
  }
}
