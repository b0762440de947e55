import type { Redis } from 'ioredis';
import type { EndReason } from '../../../shared/realtime.js';
import {
  ACTIVE_TTL_MS,
  RATE_BUCKET_MS,
  RATE_PERIOD_MS,
  WAIT_SAMPLES,
  type AdmittedEntry,
  type JoinNote,
  type WaitSample,
  type Changes,
  type Ended,
  type Place,
  type QueueCounts,
  type QueueLimits,
  type QueueStore,
} from '../../modules/queue/queue-store.js';

/*
 * Keys of one show share the hash tag {showId}, so a Redis Cluster keeps them in one slot:
 *   seq   ticket counter             wait  ZSET user -> ticket (the line, FIFO)
 *   aseq  admission counter          adm   ZSET user -> admission number (the page, in order)
 *   info  HASH user -> "admittedAt:expiresAt"
 *   exp   ZSET user -> expiresAt     seen  ZSET user -> last time a connection watched
 *   r:<bucket>  admissions from the line in that 10 s bucket (observed rate)
 * Every step is one Lua script: no other client sees a half-done admission. Per admission the
 * scripts do O(log N) work; nothing loops over the waiting accounts.
 */
const PRELUDE = `
local K_SEQ, K_WAIT, K_ADM, K_ASEQ, K_INFO, K_EXP, K_SEEN, K_RATE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local function fill(cap, now, exp_at, observed, rate_ttl)
  local out = {}
  while redis.call('ZCARD', K_ADM) < cap do
    local popped = redis.call('ZPOPMIN', K_WAIT)
    if #popped == 0 then break end
    local u = popped[1]
    redis.call('ZADD', K_ADM, redis.call('INCR', K_ASEQ), u)
    redis.call('HSET', K_INFO, u, now .. ':' .. exp_at)
    redis.call('ZADD', K_EXP, exp_at, u)
    out[#out + 1] = u
  end
  if #out > 0 and observed then
    redis.call('INCRBY', K_RATE, #out)
    redis.call('PEXPIRE', K_RATE, rate_ttl)
  end
  return out
end
local function place(u, cap)
  local info = redis.call('HGET', K_INFO, u)
  if info then return {'admitted', info} end
  local r = redis.call('ZRANK', K_WAIT, u)
  if not r then return {'none'} end
  local idx = r % cap
  local ref = redis.call('ZRANGE', K_ADM, idx, idx)
  local ref_info = ''
  if ref[1] then ref_info = redis.call('HGET', K_INFO, ref[1]) or '' end
  return {'waiting', tostring(r + 1), ref_info}
end
local function remove_admitted(u)
  if redis.call('ZREM', K_ADM, u) == 1 then
    redis.call('HDEL', K_INFO, u)
    redis.call('ZREM', K_EXP, u)
    return true
  end
  return false
end
`;

// ARGV: user, cap, now, expiresAt, rateTtl
const JOIN = `${PRELUDE}
local u, cap, now, exp_at, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local admitted = {}
if not redis.call('HGET', K_INFO, u) and not redis.call('ZSCORE', K_WAIT, u) then
  redis.call('ZADD', K_WAIT, redis.call('INCR', K_SEQ), u)
  redis.call('ZADD', K_SEEN, now, u)
  admitted = fill(cap, now, exp_at, false, ttl)
end
return {place(u, cap), admitted}
`;

// ARGV: user, cap, now, expiresAt, rateTtl
const LEAVE = `${PRELUDE}
local u, cap, now, exp_at, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local was = 'none'
if remove_admitted(u) then was = 'admitted'
elseif redis.call('ZREM', K_WAIT, u) == 1 then was = 'waiting' end
local admitted = {}
if was ~= 'none' then
  redis.call('ZREM', K_SEEN, u)
  admitted = fill(cap, now, exp_at, true, ttl)
end
return {was, admitted}
`;

// ARGV: cap, now, expiresAt, rateTtl, staleBefore, limit
const SWEEP = `${PRELUDE}
local cap, now, exp_at, ttl, stale_before, limit = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local ended = {}
for _, u in ipairs(redis.call('ZRANGEBYSCORE', K_EXP, '-inf', now, 'LIMIT', 0, limit)) do
  remove_admitted(u)
  redis.call('ZREM', K_SEEN, u)
  ended[#ended + 1] = u .. ':expired:1'
end
for _, u in ipairs(redis.call('ZRANGEBYSCORE', K_SEEN, '-inf', '(' .. stale_before, 'LIMIT', 0, limit)) do
  redis.call('ZREM', K_SEEN, u)
  if remove_admitted(u) then ended[#ended + 1] = u .. ':removed:1'
  elseif redis.call('ZREM', K_WAIT, u) == 1 then ended[#ended + 1] = u .. ':removed:0' end
end
local admitted = fill(cap, now, exp_at, true, ttl)
return {ended, admitted, redis.call('ZCARD', K_WAIT) + redis.call('ZCARD', K_ADM)}
`;

// ARGV: cap, users...
const PLACES = `${PRELUDE}
local cap = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do out[#out + 1] = place(ARGV[i], cap) end
return out
`;

type Raw = string | number | null | Raw[];

const SWEEP_LIMIT = 1000;

export class RedisQueueStore implements QueueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'tc:q',
  ) {
    redis.defineCommand('tcJoin', { numberOfKeys: 8, lua: JOIN });
    redis.defineCommand('tcLeave', { numberOfKeys: 8, lua: LEAVE });
    redis.defineCommand('tcSweep', { numberOfKeys: 8, lua: SWEEP });
    redis.defineCommand('tcPlaces', { numberOfKeys: 8, lua: PLACES });
  }

  private keys(showId: string, now: number): string[] {
    const p = `${this.prefix}:{${showId}}:`;
    return ['seq', 'wait', 'adm', 'aseq', 'info', 'exp', 'seen', `r:${Math.floor(now / RATE_BUCKET_MS)}`].map((k) => p + k);
  }

  private call(name: string, keys: string[], args: (string | number)[]): Promise<Raw> {
    const fn = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<Raw>>)[name]!;
    return fn.call(this.redis, ...keys, ...args.map(String));
  }

  private admittedOf(users: Raw, now: number, windowMs: number): AdmittedEntry[] {
    return (users as string[]).map((userId) => ({ userId, admittedAt: now, expiresAt: now + windowMs }));
  }

  private static parsePlace(userId: string, raw: Raw): Place {
    const r = raw as string[];
    if (r[0] === 'admitted') {
      const [a, e] = r[1]!.split(':');
      return { state: 'admitted', userId, admittedAt: Number(a), expiresAt: Number(e) };
    }
    if (r[0] === 'waiting') {
      const ref = r[2] ? Number(r[2].split(':')[0]) : null;
      return { state: 'waiting', userId, position: Number(r[1]), refAdmittedAt: ref };
    }
    return { state: 'none', userId };
  }

  async join(showId: string, userId: string, limits: QueueLimits, now: number) {
    const raw = (await this.call('tcJoin', this.keys(showId, now), [userId, limits.capacity, now, now + limits.windowMs, RATE_PERIOD_MS + RATE_BUCKET_MS])) as Raw[];
    await this.redis.zadd(`${this.prefix}:active`, now, showId);
    return {
      place: RedisQueueStore.parsePlace(userId, raw[0]!),
      changes: { admitted: this.admittedOf(raw[1]!, now, limits.windowMs), ended: [] },
    };
  }

  async leave(showId: string, userId: string, reason: EndReason, limits: QueueLimits, now: number) {
    const raw = (await this.call('tcLeave', this.keys(showId, now), [userId, limits.capacity, now, now + limits.windowMs, RATE_PERIOD_MS + RATE_BUCKET_MS])) as Raw[];
    const was = raw[0] as Place['state'];
    const ended: Ended[] = was === 'none' ? [] : [{ userId, reason, wasAdmitted: was === 'admitted' }];
    return { was, changes: { admitted: this.admittedOf(raw[1]!, now, limits.windowMs), ended } };
  }

  async places(showId: string, userIds: string[], capacity: number): Promise<Place[]> {
    if (userIds.length === 0) return [];
    const raw = (await this.call('tcPlaces', this.keys(showId, 0), [capacity, ...userIds])) as Raw[];
    return raw.map((r, i) => RedisQueueStore.parsePlace(userIds[i]!, r));
  }

  async sweep(showId: string, limits: QueueLimits, now: number): Promise<Changes> {
    const raw = (await this.call('tcSweep', this.keys(showId, now), [
      limits.capacity,
      now,
      now + limits.windowMs,
      RATE_PERIOD_MS + RATE_BUCKET_MS,
      now - limits.graceMs,
      SWEEP_LIMIT,
    ])) as Raw[];
    if (Number(raw[2]) > 0) await this.redis.zadd(`${this.prefix}:active`, now, showId);
    const ended = (raw[0] as string[]).map((s): Ended => {
      const [userId, reason, adm] = s.split(':');
      return { userId: userId!, reason: reason as EndReason, wasAdmitted: adm === '1' };
    });
    return { ended, admitted: this.admittedOf(raw[1]!, now, limits.windowMs) };
  }

  async touch(showId: string, userIds: string[], now: number): Promise<void> {
    const key = `${this.prefix}:{${showId}}:seen`;
    for (let i = 0; i < userIds.length; i += 1000) {
      const chunk = userIds.slice(i, i + 1000);
      await this.redis.zadd(key, 'XX', ...chunk.flatMap((u) => [now, u]));
    }
  }

  async counts(showId: string, now: number): Promise<QueueCounts> {
    const p = `${this.prefix}:{${showId}}:`;
    const last = Math.floor(now / RATE_BUCKET_MS);
    const buckets = Array.from({ length: RATE_PERIOD_MS / RATE_BUCKET_MS }, (_, i) => `${p}r:${last - i}`);
    const [w, a, r] = (await this.redis
      .multi()
      .zcard(`${p}wait`)
      .zcard(`${p}adm`)
      .mget(...buckets)
      .exec())!.map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    const admissions = (r as (string | null)[]).reduce((n, v) => n + Number(v ?? 0), 0);
    return { waiting: Number(w), admitted: Number(a), admissionsInPeriod: admissions, periodMs: RATE_PERIOD_MS };
  }

  async noteJoin(showId: string, userId: string, note: JoinNote): Promise<void> {
    const key = `${this.prefix}:{${showId}}:notes`;
    await this.redis.multi().hset(key, userId, `${note.joinedAt}:${note.etaSeconds}:${note.etaLikelySeconds}`).pexpire(key, 86_400_000).exec();
  }

  async takeJoinNotes(showId: string, userIds: string[]): Promise<(JoinNote | null)[]> {
    if (userIds.length === 0) return [];
    const key = `${this.prefix}:{${showId}}:notes`;
    const res = await this.redis.multi().hmget(key, ...userIds).hdel(key, ...userIds).exec();
    const raw = (res?.[0]?.[1] ?? []) as (string | null)[];
    return raw.map((v) => {
      if (!v) return null;
      const [joinedAt, eta, likely] = v.split(':').map(Number);
      return { joinedAt: joinedAt!, etaSeconds: eta!, etaLikelySeconds: likely! };
    });
  }

  async addWaitSamples(showId: string, samples: WaitSample[]): Promise<void> {
    if (samples.length === 0) return;
    const key = `${this.prefix}:{${showId}}:waits`;
    await this.redis
      .multi()
      .rpush(key, ...samples.map((w) => `${w.joinedAt}:${w.admittedAt}:${w.etaSeconds}:${w.etaLikelySeconds}`))
      .ltrim(key, -WAIT_SAMPLES, -1)
      .pexpire(key, 86_400_000)
      .exec();
  }

  async waitSamples(showId: string): Promise<WaitSample[]> {
    const raw = await this.redis.lrange(`${this.prefix}:{${showId}}:waits`, 0, -1);
    return raw.map((v) => {
      const [joinedAt, admittedAt, eta, likely] = v.split(':').map(Number);
      return { joinedAt: joinedAt!, admittedAt: admittedAt!, etaSeconds: eta!, etaLikelySeconds: likely! };
    });
  }

  async activeShows(now: number): Promise<string[]> {
    const key = `${this.prefix}:active`;
    await this.redis.zremrangebyscore(key, '-inf', now - ACTIVE_TTL_MS);
    return this.redis.zrangebyscore(key, now - ACTIVE_TTL_MS, '+inf');
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it (main.ts).
  }
}
