import { hash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'tc_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** 256 random bits; only its SHA-256 is stored, so a database leak reveals no usable token. */
export const newToken = (): string => randomBytes(32).toString('base64url');
/** SHA-256 in one call (no Hash object); the request guard remembers it per token (TokenHashes). */
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

/**
 * The hashes of the tokens presented to this instance lately, so that a busy session's requests do
 * not each compute SHA-256 again (a few microseconds of every authenticated request). A pure memo:
 * what a token's hash is never changes, so a logout or an expiry need not touch it. At most `max`
 * tokens, the oldest forgotten first; the raw tokens are in this process's memory only, as they are
 * in every request it handles: the database still holds hashes alone.
 */
export class TokenHashes {
  private readonly known = new Map<string, string>();

  constructor(private readonly max = 50_000) {}

  of(token: string): string {
    let h = this.known.get(token);
    if (h === undefined) {
      h = hashToken(token);
      this.known.set(token, h);
      if (this.known.size > this.max) this.known.delete(this.known.keys().next().value!);
    }
    return h;
  }
}
