import { randomBytes } from 'node:crypto';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const uniqueName = (p: string): string => `${p}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
