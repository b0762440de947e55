/**
 * The pre-queue's draw, in PostgreSQL (docs/waiting-room.md "The pre-queue and the draw").
 *
 * Each show has one row in show_draws: a random seed and its SHA-256, the commitment, made by
 * whichever instance needs it first (INSERT ... ON CONFLICT DO NOTHING) so every instance publishes
 * the same one; a trigger keeps it from ever changing. Entries are rows of draw_entries.
 *
 * The claim freezes the draw: it locks the show's row FOR UPDATE where drawn_at IS NULL, reads the
 * entries and writes drawn_at with the drawn order, in one transaction. An entry and a withdrawal
 * lock the same row FOR SHARE and look at drawn_at first, so each either commits before the claim
 * reads the entries (and is in the published order) or sees the claim and becomes a late join. A
 * second claimer waits for the first and then finds drawn_at set: one draw per show, whatever the
 * number of instances.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../platform/database.js';
import type { TestHooks } from '../../platform/test-hooks.js';

/** The published order: ascending by hex HMAC-SHA256(key: seed bytes, message: entryId as UTF-8). */
export function drawOrder(seed: Buffer, entryIds: readonly string[]): string[] {
  const keyed = entryIds.map((id) => ({ id, k: createHmac('sha256', seed).update(id, 'utf8').digest('hex') }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((e) => e.id);
}

export const commitmentOf = (seed: Buffer): string => createHash('sha256').update(seed).digest('hex');

export interface PublishedDraw {
  commitment: string;
  /** Hex, once drawn. */
  seed: string | null;
  entries: string[] | null;
}

export interface Entry {
  entryId: string;
  entrants: number;
}

export class DrawStore {
  constructor(
    private readonly db: Database,
    private readonly hooks: TestHooks = {},
  ) {}

  private async ensure(q: Queryable, showId: string): Promise<void> {
    const seed = randomBytes(32);
    await q.query(`INSERT INTO show_draws (show_id, seed, commitment) VALUES ($1, $2, $3) ON CONFLICT (show_id) DO NOTHING`, [
      showId,
      seed,
      commitmentOf(seed),
    ]);
  }

  async published(showId: string): Promise<PublishedDraw> {
    await this.ensure(this.db, showId);
    const { rows } = await this.db.query<{ seed: Buffer | Uint8Array; commitment: string; drawn_at: Date | null; drawn_entries: string[] | null }>(
      `SELECT seed, commitment, drawn_at, drawn_entries FROM show_draws WHERE show_id = $1`,
      [showId],
    );
    const r = rows[0]!;
    const drawn = r.drawn_at !== null;
    return { commitment: r.commitment, seed: drawn ? Buffer.from(r.seed).toString('hex') : null, entries: drawn ? r.drawn_entries : null };
  }

  /** Enters the account in the draw (or returns its entry); null when the draw has been claimed. */
  async enter(showId: string, userId: string, now: number): Promise<Entry | null> {
    return this.db.transaction(async (tx) => {
      await this.ensure(tx, showId);
      const { rows } = await tx.query<{ drawn_at: Date | null }>(`SELECT drawn_at FROM show_draws WHERE show_id = $1 FOR SHARE`, [showId]);
      if (rows[0]!.drawn_at !== null) return null;
      // The entry id is random and separate from the account: publishing it says nothing about who.
      const { rows: e } = await tx.query<{ entry_id: string }>(
        `INSERT INTO draw_entries (show_id, user_id, entry_id, entered_at, seen_at) VALUES ($1, $2, $3, $4, $4)
           ON CONFLICT (show_id, user_id) DO UPDATE SET seen_at = greatest(draw_entries.seen_at, EXCLUDED.seen_at)
         RETURNING entry_id`,
        [showId, userId, randomBytes(16).toString('base64url'), new Date(now)],
      );
      return { entryId: e[0]!.entry_id, entrants: await this.count(tx, showId) };
    });
  }

  private async count(q: Queryable, showId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM draw_entries WHERE show_id = $1`, [showId]);
    return rows[0]!.n;
  }

  /** The entries of these accounts in a draw not claimed yet (one query for the batch). */
  async entriesOf(showId: string, userIds: string[]): Promise<Map<string, Entry>> {
    const out = new Map<string, Entry>();
    if (userIds.length === 0) return out;
    const { rows } = await this.db.query<{ user_id: string; entry_id: string; n: number }>(
      `SELECT e.user_id, e.entry_id, (SELECT count(*)::int FROM draw_entries c WHERE c.show_id = $1) AS n
         FROM draw_entries e JOIN show_draws d ON d.show_id = e.show_id AND d.drawn_at IS NULL
        WHERE e.show_id = $1 AND e.user_id = ANY($2::uuid[])`,
      [showId, userIds],
    );
    for (const r of rows) out.set(r.user_id, { entryId: r.entry_id, entrants: r.n });
    return out;
  }

  /** Withdraws an entry from a draw not claimed yet. */
  async withdraw(showId: string, userId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ drawn_at: Date | null }>(`SELECT drawn_at FROM show_draws WHERE show_id = $1 FOR SHARE`, [showId]);
      if (!rows[0] || rows[0].drawn_at !== null) return false;
      const del = await tx.query(`DELETE FROM draw_entries WHERE show_id = $1 AND user_id = $2`, [showId, userId]);
      return del.rowCount > 0;
    });
  }

  /** Presence: these accounts' entries are watched now. */
  async touch(showId: string, userIds: string[], now: number): Promise<void> {
    if (userIds.length === 0) return;
    await this.db.query(`UPDATE draw_entries SET seen_at = greatest(seen_at, $3) WHERE show_id = $1 AND user_id = ANY($2::uuid[])`, [
      showId,
      userIds,
      new Date(now),
    ]);
  }

  /** Removes entries of undrawn draws that no connection has watched since `before`. */
  async removeAbsent(before: number): Promise<{ showId: string; userId: string }[]> {
    const { rows: shows } = await this.db.query<{ show_id: string }>(
      `SELECT DISTINCT e.show_id FROM draw_entries e JOIN show_draws d ON d.show_id = e.show_id AND d.drawn_at IS NULL WHERE e.seen_at < $1`,
      [new Date(before)],
    );
    const out: { showId: string; userId: string }[] = [];
    for (const { show_id } of shows) {
      const gone = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ drawn_at: Date | null }>(`SELECT drawn_at FROM show_draws WHERE show_id = $1 FOR SHARE`, [show_id]);
        if (!rows[0] || rows[0].drawn_at !== null) return [];
        const del = await tx.query<{ user_id: string }>(`DELETE FROM draw_entries WHERE show_id = $1 AND seen_at < $2 RETURNING user_id`, [
          show_id,
          new Date(before),
        ]);
        return del.rows;
      });
      out.push(...gone.map((r) => ({ showId: show_id, userId: r.user_id })));
    }
    return out;
  }

  /**
   * Claims the draw (once per show, whoever calls) or finds the claim made: the accounts in drawn
   * order, and whether they are all in line already.
   */
  async claim(showId: string, now: number, mayClaim = true): Promise<{ users: string[]; moved: boolean } | null> {
    await this.ensure(this.db, showId);
    // An instance whose clock has not reached onSaleAt yet must not draw, but must still put a
    // draw another instance claimed in line before it lets anyone join behind it.
    if (mayClaim) await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ seed: Buffer | Uint8Array }>(
        `SELECT seed FROM show_draws WHERE show_id = $1 AND drawn_at IS NULL FOR UPDATE`,
        [showId],
      );
      if (!rows[0]) return;
      const { rows: entries } = await tx.query<{ user_id: string; entry_id: string }>(
        `SELECT user_id, entry_id FROM draw_entries WHERE show_id = $1`,
        [showId],
      );
      await this.hooks.drawClaim?.();
      const order = drawOrder(Buffer.from(rows[0].seed), entries.map((e) => e.entry_id));
      const userOf = new Map(entries.map((e) => [e.entry_id, e.user_id]));
      await tx.query(`UPDATE show_draws SET drawn_at = $2, drawn_users = $3::uuid[], drawn_entries = $4::text[] WHERE show_id = $1 AND drawn_at IS NULL`, [
        showId,
        new Date(now),
        order.map((id) => userOf.get(id)!),
        order,
      ]);
    });
    const { rows } = await this.db.query<{ drawn_users: string[] | null; moved_at: Date | null }>(
      `SELECT drawn_users, moved_at FROM show_draws WHERE show_id = $1`,
      [showId],
    );
    const r = rows[0]!;
    return r.drawn_users ? { users: r.drawn_users, moved: r.moved_at !== null } : null;
  }

  async markMoved(showId: string, now: number): Promise<void> {
    await this.db.query(`UPDATE show_draws SET moved_at = $2 WHERE show_id = $1 AND moved_at IS NULL`, [showId, new Date(now)]);
  }

  async isMoved(showId: string): Promise<boolean> {
    const { rows } = await this.db.query(`SELECT 1 FROM show_draws WHERE show_id = $1 AND moved_at IS NOT NULL`, [showId]);
    return rows.length > 0;
  }

  /**
   * Shows on sale whose draw is not all in line yet, and the nearest sale opening still to come
   * (for a precise timer).
   */
  async due(now: number): Promise<{ due: string[]; next: number | null }> {
    const at = new Date(now);
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT s.id FROM shows s LEFT JOIN show_draws d ON d.show_id = s.id
        WHERE s.on_sale_at <= $1 AND s.starts_at > $1 AND d.moved_at IS NULL
          AND (s.queue_opens_at < s.on_sale_at OR d.show_id IS NOT NULL)
        ORDER BY s.on_sale_at`,
      [at],
    );
    const { rows: next } = await this.db.query<{ at: Date | null }>(
      `SELECT min(on_sale_at) AS at FROM shows WHERE on_sale_at > $1 AND queue_opens_at < on_sale_at`,
      [at],
    );
    return { due: rows.map((r) => r.id), next: next[0]?.at ? next[0].at.getTime() : null };
  }
}

/**
 * TICKETCLUB_TEST_DRAW_DELAY_MS, for the multi-instance tests only, and honoured only with
 * NODE_ENV=test: holds the draw's claim open, and waits before each chunk, for that long, so
 * instances racing the draw at onSaleAt overlap by construction.
 */
export function drawHooksFromEnv(env: NodeJS.ProcessEnv): TestHooks | undefined {
  const ms = Number(env.TICKETCLUB_TEST_DRAW_DELAY_MS);
  if (env.NODE_ENV !== 'test' || !(ms > 0)) return undefined;
  const wait = () => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return { drawClaim: wait, drawChunk: wait };
}
