import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { SessionCache } from '../../src/server/modules/auth/session-cache.js';
import { TokenHashes } from '../../src/server/modules/auth/sessions.js';

const fan = { id: 'u1', name: 'Fan', email: 'fan@example.com', role: 'customer' as const };

describe('SessionCache', () => {
  it('when a session was looked up, then it is served from the cache until the TTL runs out', () => {
    const c = new SessionCache(5_000);
    c.set('h1', fan, 1_000_000, 0);
    expect(c.get('h1', 4_999)).toEqual(fan);
    expect(c.get('h1', 5_000)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('when the session itself expires before the TTL, then the cache stops serving it then', () => {
    const c = new SessionCache(5_000);
    c.set('h1', fan, 2_000, 0);
    expect(c.get('h1', 1_999)).toEqual(fan);
    expect(c.get('h1', 2_000)).toBeUndefined();
  });

  it('when a session is forgotten (logout), then it is gone at once', () => {
    const c = new SessionCache(5_000);
    c.set('h1', fan, 1_000_000, 0);
    c.forget('h1', 0);
    expect(c.get('h1', 1)).toBeUndefined();
  });

  it('when a session was forgotten, then a lookup that finishes afterwards cannot cache it, for a while', () => {
    const c = new SessionCache(5_000, 100, 60_000);
    c.forget('h1', 1_000);
    expect(c.wasRevoked('h1', 1_001)).toBe(true);
    c.set('h1', fan, 1_000_000, 1_001);
    expect(c.get('h1', 1_002)).toBeUndefined();
    expect(c.wasRevoked('h1', 61_000)).toBe(false);
    c.set('h1', fan, 1_000_000, 61_000);
    expect(c.get('h1', 61_001)).toEqual(fan);
  });

  it('when more sessions than the bound arrive, then the oldest are dropped first', () => {
    const c = new SessionCache(5_000, 3);
    for (const h of ['a', 'b', 'c']) c.set(h, fan, 1_000_000, 0);
    c.set('a', fan, 1_000_000, 1); // refreshed: now the newest
    c.set('d', fan, 1_000_000, 2);
    expect(c.size).toBe(3);
    expect(c.get('b', 3)).toBeUndefined();
    expect(c.get('a', 3)).toEqual(fan);
    expect(c.get('d', 3)).toEqual(fan);
  });

  it('when the TTL is 0, then nothing is cached', () => {
    const c = new SessionCache(0);
    c.set('h1', fan, 1_000_000, 0);
    expect(c.get('h1', 0)).toBeUndefined();
  });
});

describe('TokenHashes', () => {
  it("when a token is seen again, then its hash is the token's SHA-256 as before; past the bound the oldest are forgotten, never wrong", () => {
    const hashes = new TokenHashes(2);
    const tokens = ['token-a-0123456789abcdef', 'token-b-0123456789abcdef', 'token-c-0123456789abcdef'];
    for (let round = 0; round < 3; round++) for (const t of tokens) expect(hashes.of(t)).toBe(createHash('sha256').update(t).digest('hex'));
    expect((hashes as unknown as { known: Map<string, string> }).known.size).toBe(2);
  });
});
