import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listOf } from '../../platform/http.js';
import { rooms, type IoServer, type Realtime } from '../../platform/realtime.js';
import type { ShowPages } from './show-pages.js';

/** Changes heard within this window go to the other instances as one message. */
const SHARE_EVERY_MS = 50;

/**
 * Keeps every instance's show pages honest. A seat change is published as `seat:update` to the
 * show's room wherever it happens (holds, releases, checkouts, payments, expiry sweeps), so the
 * Realtime every module publishes through is wrapped here: the change ends this instance's copy
 * at once and the others' within SHARE_EVERY_MS plus a Redis round trip. A successful admin write
 * (show rules, prices, event texts, venues) ends every copy: those are rare. Other caches of a
 * show's seats (the waiting room's count of seats left) hear the same changes through `onChanged`.
 */
export function followShowChanges(o: { app: FastifyInstance; io: IoServer; shared: boolean; pages: ShowPages; realtime: Realtime }): {
  realtime: Realtime;
  onChanged(listener: (showIds: string[] | 'all') => void): void;
} {
  const { io } = o;
  const listeners: ((showIds: string[] | 'all') => void)[] = [];
  const changed = (ids: string[] | 'all') => {
    if (ids === 'all') o.pages.changedAll();
    else o.pages.changed(ids);
    for (const l of listeners) l(ids);
  };
  const pending = new Set<string>();
  let all = false;
  let timer: NodeJS.Timeout | undefined;
  const share = () => {
    if (!o.shared || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const ids = all ? 'all' : [...pending];
      pending.clear();
      all = false;
      io.serverSideEmit('shows:changed', ids);
    }, SHARE_EVERY_MS);
  };
  if (o.shared) {
    io.on('shows:changed', (ids) => {
      if (ids === 'all') changed('all');
      else if (Array.isArray(ids)) changed(ids.filter((id): id is string => typeof id === 'string'));
    });
  }
  o.app.addHook('onClose', async () => clearTimeout(timer));

  // Only on the admin's writes: every other request would pay for a check that is always false.
  const adminWrote = (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 400) {
      changed('all');
      all = true;
      share();
    }
    done();
  };
  o.app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/admin/') || listOf(route.method).every((m) => m === 'GET' || m === 'HEAD')) return;
    route.onResponse = [...listOf(route.onResponse), adminWrote];
  });

  const realtime: Realtime = {
    toUser: (userId, event, ...args) => o.realtime.toUser(userId, event, ...args),
    toRoom: (room, event, ...args) => {
      const showId = event === 'seat:update' ? (args[0] as { showId: string }).showId : undefined;
      if (showId !== undefined && room === rooms.show(showId)) {
        changed([showId]);
        pending.add(showId);
        share();
      }
      o.realtime.toRoom(room, event, ...args);
    },
  };
  return { realtime, onChanged: (listener) => void listeners.push(listener) };
}
