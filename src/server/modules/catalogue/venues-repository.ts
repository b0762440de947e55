import type { AreaKind } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

export interface VenueRow {
  id: string;
  name: string;
  city: string;
  address: string;
  timeZone: string;
  areas: VenueAreaRow[];
}

export interface VenueAreaRow {
  id: string;
  name: string;
  kind: AreaKind;
  /** Null for a standing area. */
  rows: number | null;
  seatsPerRow: number | null;
  /** Places: rows x seatsPerRow, or a standing area's capacity. */
  capacity: number;
  accessibleSeats: { row: number; number: number }[];
}

/** The venues table: every statement on it is a named step here. */
export class VenuesRepository {
  constructor(private readonly q: Queryable) {}

  /** Returns the new venue's id. */
  async create(v: { name: string; city: string; address: string; timeZone: string }): Promise<string> {
    const { rows } = await this.q.query<{ id: string }>(`INSERT INTO venues (name, city, address, time_zone) VALUES ($1, $2, $3, $4) RETURNING id`, [
      v.name,
      v.city,
      v.address,
      v.timeZone,
    ]);
    return rows[0]!.id;
  }

  /** Changes the fields given (null: unchanged). False when there is no such venue. */
  async update(id: string, v: { name: string | null; city: string | null; address: string | null; timeZone: string | null }): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `UPDATE venues SET name = coalesce($2, name), city = coalesce($3, city), address = coalesce($4, address),
              time_zone = coalesce($5, time_zone)
        WHERE id = $1`,
      [id, v.name, v.city, v.address, v.timeZone],
    );
    return rowCount > 0;
  }

  /** Venues with their areas in order, oldest first (`only`: just that one). */
  async list(only: string | null): Promise<VenueRow[]> {
    const { rows } = await this.q.query<VenueRow>(
      `SELECT v.id, v.name, v.city, v.address, v.time_zone AS "timeZone",
              coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'kind', a.kind, 'rows', a.rows, 'seatsPerRow', a.seats_per_row,
                                  'capacity', coalesce(a.capacity, a.rows * a.seats_per_row),
                                  'accessibleSeats', coalesce((SELECT json_agg(json_build_object('row', s.row_number, 'number', s.seat_number)
                                                                        ORDER BY s.row_number, s.seat_number)
                                                                 FROM seats s WHERE s.area_id = a.id AND s.accessible), '[]'))
                                ORDER BY a.position) FILTER (WHERE a.id IS NOT NULL), '[]') AS areas
         FROM venues v LEFT JOIN areas a ON a.venue_id = v.id
        WHERE $1::uuid IS NULL OR v.id = $1::uuid
        GROUP BY v.id ORDER BY v.created_at, v.name`,
      [only],
    );
    return rows;
  }
}
