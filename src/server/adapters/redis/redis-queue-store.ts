import type { Redis } from 'ioredis';
import type { EndReason } from '../../../shared/realtime.js';
import type { Clock } from '../../platform/clock.js';
import {
  ACTIVE_TTL_MS,
  LINE_LOG_KEEP,
  RECENT_END_MS,
  type LastEnd,
  type LineTick,
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
  admissionsByMinute,
} from '../../modules/queue/queue-store.js';

/*
 * Keys of one show share the hash tag {showId}, so a Redis Cluster keeps them in one slot:
 *   seq   ticket counter             wait  ZSET user -> ticket (the line, FIFO)
 *   aseq  admission counter          adm   ZSET user -> admission number (the page, in order)
 *   info  HASH user -> "admittedAt:expiresAt:admissionId"
 *   exp   ZSET user -> expiresAt     seen  ZSET user -> last time a connection watched
 *   rate  HASH 10 s bucket -> admissions from the line in it (observed rate)
 *   gone  LIST tickets that left the waiting line, in order (the line log, QueueStore.lineTick)
 *   gone0 how many of the log's first entries were trimmed (gone0 + LLEN gone = the mark)
 * Every step is one Lua script: no other client sees a half-done admission. Per admission the
 * scripts do O(log N) work; nothing loops over the waiting accounts.
 *
 * Time is Redis TIME, read inside the script: every instance's windows, grace and expiry count on
 * the same clock, whatever the clocks of the instances say. ARGV[1] is empty in production; only
 * tests that drive a fake clock fill it (RedisQueueStoreOptions.testClock).
 */
const PRELUDE = `
local K_SEQ, K_WAIT, K_ADM, K_ASEQ, K_INFO, K_EXP, K_SEEN, K_RATE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local K_GONE, K_GONE0 = KEYS[9], KEYS[10]
local function clock()
  if ARGV[1] ~= '' then return tonumber(ARGV[1]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local now = clock()
local NOW = string.format('%d', now)
local RATE_BUCKET_MS, RATE_BUCKETS = ${RATE_BUCKET_MS}, ${RATE_PERIOD_MS / RATE_BUCKET_MS}
local function mark()
  return tonumber(redis.call('GET', K_GONE0) or '0') + redis.call('LLEN', K_GONE)
end
-- A ticket left the waiting line. The log is trimmed in bulk: O(1) per append on average.
local function log_gone(ticket)
  local keep = __LINE_LOG_KEEP__
  if redis.call('RPUSH', K_GONE, ticket) >= 2 * keep then
    redis.call('LTRIM', K_GONE, keep, -1)
    redis.call('INCRBY', K_GONE0, keep)
  end
end
-- Removes a waiter from the line (and logs its ticket); false when it was not waiting.
local function remove_waiting(u)
  local t = redis.call('ZSCORE', K_WAIT, u)
  if not t then return false end
  redis.call('ZREM', K_WAIT, u)
  log_gone(t)
  return true
end
local function fill(cap, window_ms, observed)
  local out = {}
  local exp_at = string.format('%d', now + window_ms)
  while redis.call('ZCARD', K_ADM) < cap do
    local popped = redis.call('ZPOPMIN', K_WAIT)
    if #popped == 0 then break end
    local u = popped[1]
    log_gone(popped[2])
    local n = redis.call('INCR', K_ASEQ)
    local id = NOW .. '-' .. n
    redis.call('ZADD', K_ADM, n, u)
    redis.call('HSET', K_INFO, u, NOW .. ':' .. exp_at .. ':' .. id)
    redis.call('ZADD', K_EXP, exp_at, u)
    -- The admitted grace runs from the admission (a waiter away within its grace may come back).
    redis.call('ZADD', K_SEEN, NOW, u)
    out[#out + 1] = u
    out[#out + 1] = NOW .. ':' .. exp_at .. ':' .. id
  end
  if #out > 0 and observed then
    local bucket = math.floor(now / RATE_BUCKET_MS)
    redis.call('HINCRBY', K_RATE, string.format('%d', bucket), #out / 2)
    for _, b in ipairs(redis.call('HKEYS', K_RATE)) do
      if tonumber(b) <= bucket - RATE_BUCKETS then redis.call('HDEL', K_RATE, b) end
    end
    redis.call('PEXPIRE', K_RATE, ${RATE_PERIOD_MS + RATE_BUCKET_MS})
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
  return {'waiting', tostring(r + 1), ref_info, redis.call('ZSCORE', K_WAIT, u), tostring(mark())}
end
local function remove_admitted(u)
  local info = redis.call('HGET', K_INFO, u)
  if redis.call('ZREM', K_ADM, u) == 1 then
    redis.call('HDEL', K_INFO, u)
    redis.call('ZREM', K_EXP, u)
    return info or '::'
  end
  return nil
end
local function admission_id(info)
  return string.match(info, '^[^:]*:[^:]*:(.*)$') or ''
end
`;

// ARGV: testNow, user, cap, windowMs
const JOIN = `${PRELUDE}
local u, cap, window_ms = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local admitted = {}
if not redis.call('HGET', K_INFO, u) and not redis.call('ZSCORE', K_WAIT, u) then
  redis.call('ZADD', K_WAIT, redis.call('INCR', K_SEQ), u)
  redis.call('ZADD', K_SEEN, NOW, u)
  admitted = fill(cap, window_ms, false)
end
return {place(u, cap), admitted, NOW}
`;

// KEYS[11]: how many drawn entries are in line. ARGV: testNow, offset, cap, windowMs, users...
// At most a chunk of users per call, so Redis is never blocked long (bench/draw.ts measures it).
const PUT_DRAWN = `${PRELUDE}
local offset, cap, window_ms = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local n = #ARGV - 4
local taken = tonumber(redis.call('GET', KEYS[11]) or '0')
if taken < offset or taken >= offset + n then return {taken, {}} end
-- Batched ZADDs (NX: someone already waiting keeps their place); tickets past the counter keep the order.
local seq = tonumber(redis.call('GET', K_SEQ) or '0')
local w, s = {}, {}
for i = taken - offset + 1, n do
  local u = ARGV[4 + i]
  if redis.call('HEXISTS', K_INFO, u) == 0 then
    seq = seq + 1
    w[#w + 1] = seq; w[#w + 1] = u
    s[#s + 1] = NOW; s[#s + 1] = u
  end
  if #w >= 1000 or (i == n and #w > 0) then
    redis.call('ZADD', K_WAIT, 'NX', unpack(w))
    redis.call('ZADD', K_SEEN, unpack(s))
    w, s = {}, {}
  end
end
redis.call('SET', K_SEQ, seq)
redis.call('SET', KEYS[11], offset + n)
return {offset + n, fill(cap, window_ms, false)}
`;

// ARGV: testNow, user, cap, windowMs, admissionId ('' = whatever the account has)
const LEAVE = `${PRELUDE}
local u, cap, window_ms, only = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local was, ended_id = 'none', ''
local info = redis.call('HGET', K_INFO, u)
if only ~= '' then
  if info and admission_id(info) == only then remove_admitted(u); was = 'admitted'; ended_id = only end
elseif info then
  remove_admitted(u); was = 'admitted'; ended_id = admission_id(info)
elseif remove_waiting(u) then was = 'waiting' end
local admitted = {}
if was ~= 'none' then
  redis.call('ZREM', K_SEEN, u)
  admitted = fill(cap, window_ms, true)
end
return {was, admitted, ended_id}
`;

// ARGV: testNow, user, windowMs. An admission outside the line (a waitlist offer): past the
// capacity, out of the line, and not in K_SEEN, so the presence sweep leaves it to its window.
const ADMIT_OUTSIDE = `${PRELUDE}
local u, window_ms = ARGV[2], tonumber(ARGV[3])
local info = redis.call('HGET', K_INFO, u)
if info then return {info, 0} end
-- Out of the line through remove_waiting, which logs its ticket: followers of the line stay in step.
remove_waiting(u)
redis.call('ZREM', K_SEEN, u)
local exp_at = string.format('%d', now + window_ms)
local n = redis.call('INCR', K_ASEQ)
info = NOW .. ':' .. exp_at .. ':' .. NOW .. '-' .. n
redis.call('ZADD', K_ADM, n, u)
redis.call('HSET', K_INFO, u, info)
redis.call('ZADD', K_EXP, exp_at, u)
return {info, 1}
`;

// ARGV: testNow, cap, windowMs, graceMs (waiting), limit, admittedGraceMs
const SWEEP = `${PRELUDE}
local cap, window_ms, grace_ms, limit, adm_grace_ms = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local ended = {}
for _, u in ipairs(redis.call('ZRANGEBYSCORE', K_EXP, '-inf', NOW, 'LIMIT', 0, limit)) do
  local info = remove_admitted(u)
  redis.call('ZREM', K_SEEN, u)
  ended[#ended + 1] = u .. ':expired:1:' .. admission_id(info or '::')
end
-- The admitted are few (at most the page's capacity): each is checked against its own grace.
for _, u in ipairs(redis.call('ZRANGE', K_ADM, 0, -1)) do
  local seen = redis.call('ZSCORE', K_SEEN, u)
  if seen and tonumber(seen) < now - adm_grace_ms then
    redis.call('ZREM', K_SEEN, u)
    ended[#ended + 1] = u .. ':removed:1:' .. admission_id(remove_admitted(u) or '::')
  end
end
-- Waiters by the queue grace; admitted accounts in this range were judged above by theirs.
local stale_before = string.format('%d', now - grace_ms)
for _, u in ipairs(redis.call('ZRANGEBYSCORE', K_SEEN, '-inf', '(' .. stale_before, 'LIMIT', 0, limit + cap)) do
  if remove_waiting(u) then
    redis.call('ZREM', K_SEEN, u)
    ended[#ended + 1] = u .. ':removed:0:'
  end
end
local admitted = fill(cap, window_ms, true)
return {ended, admitted, redis.call('ZCARD', K_WAIT) + redis.call('ZCARD', K_ADM), NOW}
`;

// ARGV: testNow, cap, users...
const PLACES = `${PRELUDE}
local cap = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do out[#out + 1] = place(ARGV[i], cap) end
return {out, NOW}
`;

// ARGV: testNow, since. The log since the mark, the page's admission times in order, the clock.
const LINE_TICK = `${PRELUDE}
local since = tonumber(ARGV[2])
local g0 = tonumber(redis.call('GET', K_GONE0) or '0')
local m = g0 + redis.call('LLEN', K_GONE)
local kept, gone = 0, {}
if since >= g0 and since <= m then
  kept = 1
  gone = redis.call('LRANGE', K_GONE, since - g0, -1)
end
local page = {}
for _, u in ipairs(redis.call('ZRANGE', K_ADM, 0, -1)) do
  page[#page + 1] = string.match(redis.call('HGET', K_INFO, u) or '', '^([^:]*)')
end
return {m, kept, gone, page, NOW}
`;

// ARGV: testNow, user. The admission only while its window is open by the line's clock.
const LIVE = `${PRELUDE}
local info = redis.call('HGET', K_INFO, ARGV[2])
if not info then return false end
local exp_at = tonumber(string.match(info, '^[^:]*:([^:]*)'))
if exp_at <= now then return false end
return info
`;

// Lua: every waiter's wait ends (listed in `ended`), and every follower reads its places again.
const END_EVERY_WAIT = `
local ended = {}
for _, u in ipairs(redis.call('ZRANGE', K_WAIT, 0, -1)) do
  redis.call('ZREM', K_SEEN, u)
  ended[#ended + 1] = u
end
redis.call('DEL', K_WAIT)
-- Every wait ended at once: one step past the log, so every follower reads its places again.
local m = mark()
redis.call('DEL', K_GONE)
redis.call('SET', K_GONE0, m + 1)
`;

// ARGV: testNow, reason. Every waiter's wait ends at once; the admitted keep their admission.
const END_WAITS = `${PRELUDE}${END_EVERY_WAIT}
return ended
`;

// ARGV: testNow, reason. Every wait and every admission ends (the sale is over); nobody is admitted.
// Returns the waiters, then '|', then [user, info] pairs of the admitted.
const END_ALL = `${PRELUDE}${END_EVERY_WAIT}
ended[#ended + 1] = '|'
for _, u in ipairs(redis.call('ZRANGE', K_ADM, 0, -1)) do
  redis.call('ZREM', K_SEEN, u)
  ended[#ended + 1] = u
  ended[#ended + 1] = remove_admitted(u) or '::'
end
return ended
`;

// ARGV: testNow, users... Only accounts with a place are refreshed (XX).
const TOUCH = `${PRELUDE}
-- One ZADD for the whole batch: a command per account cost more than the update itself.
local args = {'XX'}
for i = 2, #ARGV do args[#args + 1] = NOW; args[#args + 1] = ARGV[i] end
if #args > 1 then redis.call('ZADD', K_SEEN, unpack(args)) end
return 0
`;

// ARGV: testNow
const COUNTS = `${PRELUDE}
local from = math.floor(now / RATE_BUCKET_MS) - RATE_BUCKETS
local n = 0
local kept = {}
local kv = redis.call('HGETALL', K_RATE)
for i = 1, #kv, 2 do
  if tonumber(kv[i]) > from then
    n = n + tonumber(kv[i + 1])
    kept[#kept + 1] = kv[i]; kept[#kept + 1] = kv[i + 1]
  end
end
-- The buckets themselves too (bucket, count, ...): the history adds them up per minute.
return {redis.call('ZCARD', K_WAIT), redis.call('ZCARD', K_ADM), n, kept, NOW}
`;

// KEYS: active. ARGV: testNow, ttlMs, show ('' = only list the active shows)
const ACTIVE = `
local now
if ARGV[1] ~= '' then now = tonumber(ARGV[1]) else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local since = string.format('%d', now - tonumber(ARGV[2]))
if ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[1], string.format('%d', now), ARGV[3])
  return {}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. since)
return redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf')
`;

type Raw = string | number | null | Raw[];

const SWEEP_LIMIT = 1000;

export interface RedisQueueStoreOptions {
  /**
   * Tests only: read the line's time from this clock instead of Redis TIME, so a suite can move
   * time by hand. Production never sets it: every instance must count on Redis's clock.
   */
  testClock?: Clock;
  /** How many gone tickets the line log keeps at least (tests make it small to trim it often). */
  lineLogKeep?: number;
}

export class RedisQueueStore implements QueueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'tc:q',
    private readonly opts: RedisQueueStoreOptions = {},
  ) {
    const keep = String(opts.lineLogKeep ?? LINE_LOG_KEEP);
    const define = (name: string, numberOfKeys: number, lua: string) => redis.defineCommand(name, { numberOfKeys, lua: lua.replace('__LINE_LOG_KEEP__', keep) });
    define('tcJoin', 10, JOIN);
    define('tcLeave', 10, LEAVE);
    define('tcSweep', 10, SWEEP);
    define('tcPlaces', 10, PLACES);
    define('tcLineTick', 10, LINE_TICK);
    define('tcLive', 10, LIVE);
    define('tcEndWaits', 10, END_WAITS);
    define('tcEndAll', 10, END_ALL);
    define('tcTouch', 10, TOUCH);
    define('tcCounts', 10, COUNTS);
    define('tcActive', 1, ACTIVE);
    define('tcPutDrawn', 11, PUT_DRAWN);
    define('tcAdmitOutside', 10, ADMIT_OUTSIDE);
  }

  private keys(showId: string): string[] {
    const p = `${this.prefix}:{${showId}}:`;
    return ['seq', 'wait', 'adm', 'aseq', 'info', 'exp', 'seen', 'rate', 'gone', 'gone0'].map((k) => p + k);
  }

  private call(name: string, keys: string[], args: (string | number)[]): Promise<Raw> {
    const fn = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<Raw>>)[name]!;
    const testNow = this.opts.testClock ? String(this.opts.testClock.now()) : '';
    return fn.call(this.redis, ...keys, testNow, ...args.map(String));
  }

  private markActive(showId: string): Promise<Raw> {
    return this.call('tcActive', [`${this.prefix}:active`], [ACTIVE_TTL_MS, showId]);
  }

  /** "admittedAt:expiresAt:admissionId" as the scripts store it. */
  private static entry(userId: string, info: string): AdmittedEntry {
    const [a, e, ...id] = info.split(':');
    return { userId, admissionId: id.join(':'), admittedAt: Number(a), expiresAt: Number(e) };
  }

  /** The scripts return admissions as [user, info, user, info, ...]. */
  private static admittedOf(raw: Raw): AdmittedEntry[] {
    const flat = raw as string[];
    const out: AdmittedEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push(RedisQueueStore.entry(flat[i]!, flat[i + 1]!));
    return out;
  }

  private static parsePlace(userId: string, raw: Raw, at: number): Place {
    const r = raw as string[];
    if (r[0] === 'admitted') return { state: 'admitted', ...RedisQueueStore.entry(userId, r[1]!), at };
    if (r[0] === 'waiting') {
      const ref = r[2] ? Number(r[2].split(':')[0]) : null;
      return { state: 'waiting', userId, position: Number(r[1]), ticket: Number(r[3]), mark: Number(r[4]), refAdmittedAt: ref, at };
    }
    return { state: 'none', userId, at };
  }

  async join(showId: string, userId: string, limits: QueueLimits) {
    const raw = (await this.call('tcJoin', this.keys(showId), [userId, limits.capacity, limits.windowMs])) as Raw[];
    await this.markActive(showId);
    return {
      place: RedisQueueStore.parsePlace(userId, raw[0]!, Number(raw[2])),
      changes: { admitted: RedisQueueStore.admittedOf(raw[1]!), ended: [] },
    };
  }

  async leave(showId: string, userId: string, reason: EndReason, limits: QueueLimits, admissionId?: string) {
    const raw = (await this.call('tcLeave', this.keys(showId), [userId, limits.capacity, limits.windowMs, admissionId ?? ''])) as Raw[];
    const was = raw[0] as Place['state'];
    const ended: Ended[] =
      was === 'none' ? [] : [was === 'admitted' ? { userId, reason, wasAdmitted: true, admissionId: String(raw[2]) } : { userId, reason, wasAdmitted: false }];
    return { was, changes: { admitted: RedisQueueStore.admittedOf(raw[1]!), ended } };
  }

  async places(showId: string, userIds: string[], capacity: number): Promise<Place[]> {
    if (userIds.length === 0) return [];
    const [list, at] = (await this.call('tcPlaces', this.keys(showId), [capacity, ...userIds])) as [Raw[], string];
    return list.map((r, i) => RedisQueueStore.parsePlace(userIds[i]!, r, Number(at)));
  }

  async lineTick(showId: string, since: number): Promise<LineTick> {
    const [mark, kept, gone, page, at] = (await this.call('tcLineTick', this.keys(showId), [since])) as [number, number, string[], string[], string];
    return { mark: Number(mark), gone: kept === 1 ? gone.map(Number) : null, page: page.map(Number), at: Number(at) };
  }

  async liveAdmission(showId: string, userId: string): Promise<AdmittedEntry | null> {
    const info = (await this.call('tcLive', this.keys(showId), [userId])) as string | null;
    return info ? RedisQueueStore.entry(userId, info) : null;
  }

  async admitOutside(showId: string, userId: string, windowMs: number): Promise<{ entry: AdmittedEntry; fresh: boolean }> {
    const [info, fresh] = (await this.call('tcAdmitOutside', this.keys(showId), [userId, windowMs])) as [string, number];
    await this.markActive(showId);
    return { entry: RedisQueueStore.entry(userId, info), fresh: Number(fresh) === 1 };
  }

  async sweep(showId: string, limits: QueueLimits): Promise<Changes> {
    const raw = (await this.call('tcSweep', this.keys(showId), [limits.capacity, limits.windowMs, limits.graceMs, SWEEP_LIMIT, limits.admittedGraceMs])) as Raw[];
    if (Number(raw[2]) > 0) await this.markActive(showId);
    const ended = (raw[0] as string[]).map((s): Ended => {
      const [userId, reason, adm, ...id] = s.split(':');
      const base = { userId: userId!, reason: reason as EndReason };
      return adm === '1' ? { ...base, wasAdmitted: true, admissionId: id.join(':') } : { ...base, wasAdmitted: false };
    });
    return { ended, admitted: RedisQueueStore.admittedOf(raw[1]!) };
  }

  async endWaits(showId: string, reason: EndReason): Promise<Changes> {
    const users = (await this.call('tcEndWaits', this.keys(showId), [reason])) as string[];
    return { admitted: [], ended: users.map((userId) => ({ userId, reason, wasAdmitted: false })) };
  }

  async endAll(showId: string, reason: EndReason): Promise<Changes> {
    const raw = (await this.call('tcEndAll', this.keys(showId), [reason])) as string[];
    const bar = raw.indexOf('|');
    const ended: Ended[] = raw.slice(0, bar).map((userId) => ({ userId, reason, wasAdmitted: false }));
    for (const a of RedisQueueStore.admittedOf(raw.slice(bar + 1))) ended.push({ userId: a.userId, reason, wasAdmitted: true, admissionId: a.admissionId });
    return { admitted: [], ended };
  }

  async putDrawn(showId: string, offset: number, userIds: string[], limits: QueueLimits): Promise<{ next: number; changes: Changes }> {
    const keys = [...this.keys(showId), `${this.prefix}:{${showId}}:drawn`];
    const raw = (await this.call('tcPutDrawn', keys, [offset, limits.capacity, limits.windowMs, ...userIds])) as Raw[];
    if (Number(raw[0]) > offset) await this.markActive(showId);
    return { next: Number(raw[0]), changes: { admitted: RedisQueueStore.admittedOf(raw[1]!), ended: [] } };
  }

  async touch(showId: string, userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += 1000) await this.call('tcTouch', this.keys(showId), userIds.slice(i, i + 1000));
  }

  async counts(showId: string): Promise<QueueCounts> {
    const [w, a, r, kept, at] = (await this.call('tcCounts', this.keys(showId), [])) as [number, number, number, string[], string];
    const buckets: [number, number][] = [];
    for (let i = 0; i < kept.length; i += 2) buckets.push([Number(kept[i]), Number(kept[i + 1])]);
    return { waiting: Number(w), admitted: Number(a), admissionsInPeriod: Number(r), periodMs: RATE_PERIOD_MS, at: Number(at), byMinute: admissionsByMinute(buckets) };
  }

  /** The line's clock outside a script: Redis TIME (or the tests' clock). */
  private async lineNow(): Promise<number> {
    if (this.opts.testClock) return this.opts.testClock.now();
    const [s, us] = await this.redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  }

  async noteEnds(showId: string, ends: { userId: string; reason: EndReason }[]): Promise<void> {
    if (ends.length === 0) return;
    const key = `${this.prefix}:{${showId}}:ends`;
    const at = await this.lineNow();
    // The whole note lives RECENT_END_MS after the last end: a show's notes do not pile up.
    await this.redis.multi().hset(key, ...ends.flatMap((e) => [e.userId, `${at}:${e.reason}`])).pexpire(key, RECENT_END_MS).exec();
  }

  async lastEnd(showId: string, userId: string): Promise<LastEnd | null> {
    const [v, now] = await Promise.all([this.redis.hget(`${this.prefix}:{${showId}}:ends`, userId), this.lineNow()]);
    if (!v) return null;
    const [at, reason] = v.split(':');
    return Number(at) >= now - RECENT_END_MS ? { reason: reason as EndReason, at: Number(at) } : null;
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

  async activeShows(): Promise<string[]> {
    return (await this.call('tcActive', [`${this.prefix}:active`], [ACTIVE_TTL_MS, ''])) as string[];
  }

  async close(): Promise<void> {
    // The connection belongs to whoever opened it (main.ts).
  }
}
