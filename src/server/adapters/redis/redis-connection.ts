import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { IoServer } from '../../platform/realtime.js';
import type { LimiterFactory } from '../../platform/rate-limits.js';
import { redisLimiters } from './redis-limiter.js';
import { RedisClock } from './redis-clock.js';
import { RedisQueueStore, type RedisQueueStoreOptions } from './redis-queue-store.js';

/** Everything the app keeps in Redis when several instances share one: waiting room, rate limits, realtime fan-out. */
export interface RedisBackends {
  queueStore: RedisQueueStore;
  limiters: LimiterFactory;
  /** Socket.IO's Redis adapter: an event emitted on one instance reaches the sockets of all. */
  configureIo: (io: IoServer) => void;
  /** A clock that follows Redis's TIME, the one the waiting room's scripts count on (see redis-clock.ts). */
  newClock(onError: (err: unknown) => void): RedisClock;
  disconnect(): void;
}

export interface RedisOptions {
  /** Waiting-room keys: instances that share it share the waiting room. */
  queuePrefix: string;
  /** Fail a command after this many reconnect attempts instead of queueing it forever. */
  maxRetriesPerRequest?: number;
  /** Rate-limit keys (default `tc:rl`): test runs sharing one Redis keep their counts apart. */
  limiterPrefix?: string;
  store?: RedisQueueStoreOptions;
  /** Socket.IO's channel (default `socket.io`): deployments sharing one Redis do not hear each other. */
  adapterKey?: string;
}

/** Opens the two connections the app needs (commands, and the adapter's subscriber) on one Redis. */
export function connectRedis(url: string, o: RedisOptions): RedisBackends {
  // Not auto-pipelined: that saved Redis a third of its CPU per paid order but grew each server by
  // about 9 KiB per connection while 30,000 fans came online (docs/benchmarks.md, "One statement per step").
  const redis = new Redis(url, { maxRetriesPerRequest: o.maxRetriesPerRequest ?? 3 });
  // Pub/sub needs a connection of its own: a subscribed connection accepts no other commands.
  const sub = redis.duplicate();
  return {
    queueStore: new RedisQueueStore(redis, o.queuePrefix, o.store),
    limiters: redisLimiters(redis, o.limiterPrefix),
    configureIo: (io) => io.adapter(createAdapter(redis, sub, o.adapterKey ? { key: o.adapterKey } : {})),
    newClock: (onError) => new RedisClock(redis, undefined, onError),
    disconnect() {
      redis.disconnect();
      sub.disconnect();
    },
  };
}
