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
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
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
    if (this.ttlMs <= 0) return;
    this.entries.delete(tokenHash); // re-inserted last: the map's order is the eviction order
    this.entries.set(tokenHash, { user, sessionExpiresAt, until: now + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  get size(): number {
    return this.entries.size;
  }
}
