import type { Queryable } from '../../platform/database.js';

export interface EventRow {
  id: string;
  title: string;
  artist: string;
  description: string;
  imageUrl: string | null;
}

const EVENT_FIELDS = `id, title, artist, description, image_url AS "imageUrl"`;

/** The events table: every statement on it is a named step here. */
export class EventsRepository {
  constructor(private readonly q: Queryable) {}

  async create(e: { title: string; artist: string; description: string; imageUrl: string | null }): Promise<EventRow> {
    const { rows } = await this.q.query<EventRow>(
      `INSERT INTO events (title, artist, description, image_url) VALUES ($1, $2, $3, $4) RETURNING ${EVENT_FIELDS}`,
      [e.title, e.artist, e.description, e.imageUrl],
    );
    return rows[0]!;
  }

  /** Changes the fields given (null: unchanged). Undefined when there is no such event. */
  async update(id: string, e: { title: string | null; artist: string | null; description: string | null; imageUrl: string | null }): Promise<EventRow | undefined> {
    const { rows } = await this.q.query<EventRow>(
      `UPDATE events SET title = coalesce($2, title), artist = coalesce($3, artist),
              description = coalesce($4, description), image_url = coalesce($5, image_url)
        WHERE id = $1 RETURNING ${EVENT_FIELDS}`,
      [id, e.title, e.artist, e.description, e.imageUrl],
    );
    return rows[0];
  }

  async get(id: string): Promise<EventRow | undefined> {
    const { rows } = await this.q.query<EventRow>(`SELECT ${EVENT_FIELDS} FROM events WHERE id = $1`, [id]);
    return rows[0];
  }

  /**
   * Events in the order they were created; with a LIKE `pattern`, those whose title or artist
   * matches, or the name or city of a venue one of their shows is at.
   */
  async search(pattern: string | null): Promise<Omit<EventRow, 'description'>[]> {
    const { rows } = await this.q.query<Omit<EventRow, 'description'>>(
      `SELECT e.id, e.title, e.artist, e.image_url AS "imageUrl" FROM events e
        WHERE $1::text IS NULL OR e.title ILIKE $1 OR e.artist ILIKE $1
           OR EXISTS (SELECT 1 FROM shows s JOIN venues v ON v.id = s.venue_id
                       WHERE s.event_id = e.id AND (v.name ILIKE $1 OR v.city ILIKE $1))
        ORDER BY e.created_at, e.title`,
      [pattern],
    );
    return rows;
  }
}
