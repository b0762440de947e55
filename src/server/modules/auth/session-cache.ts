import type { User } from '../../../shared/api.js';

interface Entry {
  user: User;
  /** When the session itself expires (epoch ms). */
  sessionExpiresAt: number;
  /** When this copy stops being trusted (epoch ms). */
  until: number;
}

/**
 * Sessions this instance looked up in the last few seconds, by token hash. A fan's join, socket
 * handshake and seat clicks arrive within moments of each other: one database lookup serves them all.
 * A logout removes its entry here and, through `forget`, on every other instance; the short TTL bounds
 * anything else that changes a session behind the application's back.
 *
 * A forgotten session is also remembered as revoked for a while: a lookup that read the session from
 * the database just before it was deleted, and finishes just after, must neither cache nor use it.
 */
/** Far longer than any session lookup takes. */
const REVOKED_MS = 60_000;

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Token hash -> until when (epoch ms) it counts as revoked. */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly revokedMs = REVOKED_MS,
  ) {}

  get(tokenHash: string, now: number): User | undefined {
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (now >= e.until || now >= e.sessionExpiresAt) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return e.user;
  }

  set(tokenHash: string, user: User, sessionExpiresAt: number, now: number): void {
    if (this.ttlMs <= 0 || this.wasRevoked(tokenHash, now)) return;
    this.entries.delete(tokenHash); // re-inserted last: the map's order is the eviction order
    this.entries.set(tokenHash, { user, sessionExpiresAt, until: now + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(tokenHash: string, now: number): void {
    this.entries.delete(tokenHash);
    this.revoked.delete(tokenHash);
    this.revoked.set(tokenHash, now + this.revokedMs);
    while (this.revoked.size > this.maxEntries) this.revoked.delete(this.revoked.keys().next().value!);
  }

  /** Whether the session ended here or on another instance in the last `revokedMs`. */
  wasRevoked(tokenHash: string, now: number): boolean {
    const until = this.revoked.get(tokenHash);
    if (until === undefined) return false;
    if (now < until) return true;
    this.revoked.delete(tokenHash);
    return false;
  }

  get size(): number {
    return this.entries.size;
  }
}
