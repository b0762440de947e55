import { hash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'tc_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

/** 256 random bits; only its SHA-256 is stored, so a database leak reveals no usable token. */
export const newToken = (): string => randomBytes(32).toString('base64url');
/** SHA-256 in one call (no Hash object): every authenticated request computes it once. */
export const hashToken = (token: string): string => hash('sha256', token, 'hex');
