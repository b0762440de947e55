/**
 * The live figures of one show's sale: a first read over HTTP, then `stats:update` every couple of
 * seconds over the shared socket (after `stats:watch`, re-sent on every reconnect). The charts'
 * history is the server's (useSaleHistory), never this page's memory: a reload draws the same curves.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StatsMinute } from '../../../shared/api.js';
import type { ShowStatsEvent } from '../../../shared/realtime.js';
import { ApiError, adminApi, toApiError, type LiveStats } from '../../lib/api.js';
import { useLoad } from '../../lib/hooks.js';
import { noteServerTime } from '../../lib/server-clock.js';
import { acquireSocket, releaseSocket, useConnectionState, type AppSocket } from '../../lib/socket.js';

/** How much history the charts show. */
export const HISTORY_MINUTES = 60;

export function useLiveStats(showId: string) {
  const [stats, setStats] = useState<LiveStats | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [watchError, setWatchError] = useState<ApiError | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [socket, setSocket] = useState<AppSocket>();
  const connection = useConnectionState(socket);
  const live = useRef(false);

  // The first numbers, before the first live update.
  useEffect(() => {
    let active = true;
    live.current = false;
    setStats(null);
    setError(null);
    adminApi.stats(showId).then(
      (r) => {
        if (!active || live.current) return;
        setStats(r);
        setUpdatedAt(Date.now());
      },
      (e: unknown) => active && setError(toApiError(e)),
    );
    return () => {
      active = false;
    };
  }, [showId]);

  useEffect(() => {
    const s = acquireSocket();
    setSocket(s);
    const watch = () =>
      s.emit('stats:watch', { showId }, (ack) => {
        if (ack && 'error' in ack) setWatchError(new ApiError(0, ack.error.code, ack.error.message));
        else setWatchError(null);
      });
    const onUpdate = (e: ShowStatsEvent) => {
      if (e.showId !== showId) return;
      live.current = true;
      noteServerTime(e.at);
      setStats(e);
      setUpdatedAt(Date.now());
    };
    s.on('connect', watch);
    s.on('stats:update', onUpdate);
    if (s.connected) watch();
    return () => {
      s.off('connect', watch);
      s.off('stats:update', onUpdate);
      if (s.connected) s.emit('stats:unwatch', { showId });
      releaseSocket();
    };
  }, [showId]);

  return { stats, error, watchError, connection, updatedAt };
}

type LiveMinute = ShowStatsEvent['minute'];

/** The server records a live line's minute every 10 s: a new minute is read again after that, with its predecessor's final counts. */
const AFTER_MINUTE_MS = 12_000;
/** Sales are read again this long after seats move. */
const AFTER_SALE_MS = 2_000;

/**
 * The sale and the line minute by minute (GET .../stats/history), with the live updates' current
 * minute laid over it: the last point moves with the sale and a new minute is appended when it
 * starts. The history is read again after seats sell and once each new minute is recorded, so
 * the points are the server's, the same after a reload.
 */
export function useSaleHistory(showId: string, stats: LiveStats | null) {
  const history = useLoad(() => adminApi.history(showId, HISTORY_MINUTES), [showId]);
  const [liveMinutes, setLiveMinutes] = useState<LiveMinute[]>([]);
  const reload = history.reload;
  const minute = stats?.minute;
  const minuteAt = minute?.at;
  const salesKey = stats ? `${stats.sold}/${stats.paidOrders}/${stats.revenue}` : '';

  // What the live updates said since the history was read (the server's answer replaces it).
  useEffect(() => setLiveMinutes([]), [history.data]);
  useEffect(() => {
    if (minute) setLiveMinutes((prev) => [...prev.filter((m) => m.at !== minute.at), minute].slice(-HISTORY_MINUTES));
  }, [minute]);
  useEffect(() => {
    if (!minuteAt) return;
    const timer = setTimeout(reload, AFTER_MINUTE_MS);
    return () => clearTimeout(timer);
  }, [minuteAt, reload]);
  useEffect(() => {
    if (!salesKey) return;
    const timer = setTimeout(reload, AFTER_SALE_MS);
    return () => clearTimeout(timer);
  }, [salesKey, reload]);

  const points = useMemo(() => (history.data ? withLiveMinutes(history.data.points, liveMinutes) : []), [history.data, liveMinutes]);
  return { points, currency: history.data?.currency, error: history.error ?? null };
}

/** The history with each live minute laid over its point, or appended after the last one. */
export function withLiveMinutes(points: StatsMinute[], live: LiveMinute[]): StatsMinute[] {
  const out = [...points];
  for (const m of [...live].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const i = out.findIndex((p) => p.at === m.at);
    if (i >= 0) {
      const p = out[i]!;
      out[i] = { ...p, waiting: m.waiting, early: m.early, admitted: m.admitted, admissions: Math.max(p.admissions, m.admissions) };
    } else if (!out.length || Date.parse(m.at) > Date.parse(out.at(-1)!.at)) {
      out.push({ sold: 0, paidOrders: 0, revenue: 0, ...m });
    }
  }
  return out.slice(-HISTORY_MINUTES);
}
