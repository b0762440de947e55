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
import { DrawEntriesRepository } from './draw-entries-repository.js';
import { ShowDrawsRepository } from './show-draws-repository.js';

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

const tablesOn = (q: Queryable) => ({ draws: new ShowDrawsRepository(q), entries: new DrawEntriesRepository(q) });

export class DrawStore {
  private readonly draws: ShowDrawsRepository;
  private readonly entries: DrawEntriesRepository;

  constructor(
    private readonly db: Database,
    private readonly hooks: TestHooks = {},
  ) {
    this.draws = new ShowDrawsRepository(db);
    this.entries = new DrawEntriesRepository(db);
  }

  private async ensure(draws: ShowDrawsRepository, showId: string): Promise<void> {
    const seed = randomBytes(32);
    await draws.ensure(showId, seed, commitmentOf(seed));
  }

  async published(showId: string): Promise<PublishedDraw> {
    await this.ensure(this.draws, showId);
    const r = (await this.draws.get(showId))!;
    const drawn = r.drawn_at !== null;
    return { commitment: r.commitment, seed: drawn ? Buffer.from(r.seed).toString('hex') : null, entries: drawn ? r.drawn_entries : null };
  }

  /** Enters the account in the draw (or returns its entry); null when the draw has been claimed. */
  async enter(showId: string, userId: string, now: number): Promise<Entry | null> {
    return this.db.transaction(async (tx) => {
      const { draws, entries } = tablesOn(tx);
      await this.ensure(draws, showId);
      if (await draws.claimedUnderShare(showId)) return null;
      // The entry id is random and separate from the account: publishing it says nothing about who.
      const entryId = await entries.enter(showId, userId, randomBytes(16).toString('base64url'), new Date(now));
      return { entryId, entrants: await entries.count(showId) };
    });
  }

  /** The entries of these accounts in a draw not claimed yet (one query for the batch). */
  async entriesOf(showId: string, userIds: string[]): Promise<Map<string, Entry>> {
    const out = new Map<string, Entry>();
    if (userIds.length === 0) return out;
    for (const r of await this.entries.ofUsersUndrawn(showId, userIds)) out.set(r.user_id, { entryId: r.entry_id, entrants: r.n });
    return out;
  }

  /** How many entries each pre-queue not drawn yet has (these shows, or every one with entries when null). */
  async entrantsUndrawn(showIds: string[] | null): Promise<Map<string, number>> {
    return new Map((await this.entries.countsUndrawn(showIds)).map((r) => [r.show_id, r.n]));
  }

  /** Withdraws an entry from a draw not claimed yet. */
  async withdraw(showId: string, userId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { draws, entries } = tablesOn(tx);
      if ((await draws.claimedUnderShare(showId)) !== false) return false;
      return entries.withdraw(showId, userId);
    });
  }

  /** Presence: these accounts' entries are watched now. */
  async touch(showId: string, userIds: string[], now: number): Promise<void> {
    if (userIds.length === 0) return;
    await this.entries.touch(showId, userIds, new Date(now));
  }

  /** Removes entries of undrawn draws that no connection has watched since `before`. */
  async removeAbsent(before: number): Promise<{ showId: string; userId: string }[]> {
    const out: { showId: string; userId: string }[] = [];
    for (const showId of await this.entries.showsWithAbsent(new Date(before))) {
      const gone = await this.db.transaction(async (tx) => {
        const { draws, entries } = tablesOn(tx);
        if ((await draws.claimedUnderShare(showId)) !== false) return [];
        return entries.removeAbsent(showId, new Date(before));
      });
      out.push(...gone.map((userId) => ({ showId, userId })));
    }
    return out;
  }

  /**
   * Claims the draw (once per show, whoever calls) or finds the claim made: the accounts in drawn
   * order, and whether they are all in line already.
   */
  async claim(showId: string, now: number, mayClaim = true): Promise<{ users: string[]; moved: boolean } | null> {
    await this.ensure(this.draws, showId);
    // An instance whose clock has not reached onSaleAt yet must not draw, but must still put a
    // draw another instance claimed in line before it lets anyone join behind it.
    const mine = mayClaim
      ? await this.db.transaction(async (tx) => {
          const { draws, entries } = tablesOn(tx);
          const seed = await draws.lockUnclaimed(showId);
          if (!seed) return null;
          const all = await entries.all(showId);
          await this.hooks.drawClaim?.();
          const order = drawOrder(seed, all.entryIds);
          const userOf = new Map(all.entryIds.map((id, i) => [id, all.userIds[i]!]));
          const users = order.map((id) => userOf.get(id)!);
          // Under the row's lock, where drawn_at was NULL: this write is the claim.
          await draws.markDrawn(showId, new Date(now), users, order);
          return users;
        })
      : null;
    // The claim made here is not read back (100,000 entries are megabytes); one made elsewhere is.
    if (mine) return { users: mine, moved: false };
    const r = (await this.draws.drawnUsers(showId))!;
    return r.drawn_users ? { users: r.drawn_users, moved: r.moved_at !== null } : null;
  }

  async markMoved(showId: string, now: number): Promise<void> {
    await this.draws.markMoved(showId, new Date(now));
  }

  isMoved(showId: string): Promise<boolean> {
    return this.draws.isMoved(showId);
  }

  /**
   * Shows on sale whose draw is not all in line yet, and the nearest sale opening still to come
   * (for a precise timer).
   */
  async due(now: number): Promise<{ due: string[]; next: number | null }> {
    const { due, next } = await this.draws.due(new Date(now));
    return { due, next: next ? next.getTime() : null };
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
