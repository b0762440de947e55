/**
 * The live figures of one show's sale: a first read over HTTP, then `stats:update` every couple of
 * seconds over the shared socket (after `stats:watch`, re-sent on every reconnect). The first
 * update may carry the recent history; from then on each update is appended, keeping the last minutes.
 */
import { useEffect, useRef, useState } from 'react';
import type { ShowStatsEvent } from '../../../shared/realtime.js';
import { ApiError, adminApi, toApiError, type LiveStats, type StatsSample } from '../../lib/api.js';
import { noteServerTime } from '../../lib/server-clock.js';
import { acquireSocket, releaseSocket, useConnectionState, type AppSocket } from '../../lib/socket.js';

/** How much history the charts keep. */
export const HISTORY_SECONDS = 10 * 60;

export function useLiveStats(showId: string) {
  const [stats, setStats] = useState<LiveStats | null>(null);
  const [history, setHistory] = useState<StatsSample[]>([]);
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
    setHistory([]);
    setError(null);
    adminApi.stats(showId).then(
      (r) => {
        if (!active || live.current) return;
        setStats(r);
        if (r.history) setHistory(trim(r.history));
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
      const x = e as LiveStats;
      live.current = true;
      noteServerTime(x.at);
      setStats(x);
      setUpdatedAt(Date.now());
      setHistory((prev) => trim(append(x.history ? mergeHistory(prev, x.history) : prev, sampleOf(x))));
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

  return { stats, history, error, watchError, connection, updatedAt };
}

const sampleOf = (x: LiveStats): StatsSample | null =>
  x.at ? { at: x.at, waiting: x.waiting, admitted: x.admitted, admissionsPerMinute: x.admissionsPerMinute } : null;

function mergeHistory(prev: StatsSample[], incoming: StatsSample[]): StatsSample[] {
  const byAt = new Map<string, StatsSample>();
  for (const s of prev) byAt.set(s.at, s);
  for (const s of incoming) byAt.set(s.at, s);
  return [...byAt.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function append(list: StatsSample[], s: StatsSample | null): StatsSample[] {
  if (!s) return list;
  const last = list.at(-1);
  if (last && Date.parse(last.at) >= Date.parse(s.at)) return last.at === s.at ? [...list.slice(0, -1), s] : list;
  return [...list, s];
}

function trim(list: StatsSample[]): StatsSample[] {
  const last = list.at(-1);
  if (!last) return list;
  const from = Date.parse(last.at) - HISTORY_SECONDS * 1000;
  const i = list.findIndex((s) => Date.parse(s.at) >= from);
  return i <= 0 ? list : list.slice(i);
}
