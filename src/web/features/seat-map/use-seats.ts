/**
 * The live seat map of one show for an admitted account: a snapshot from the API,
 * kept current by `seat:update` events (batched, so a busy sale does not re-render per event),
 * and this account's holds and releases.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Seat } from '../../../shared/api.js';
import type { SeatUpdateEvent } from '../../../shared/realtime.js';
import { api, toApiError, type ApiError } from '../../lib/api.js';
import { acquireSocket, releaseSocket } from '../../lib/socket.js';

/** How a seat looks to this account. */
export type SeatView = 'available' | 'mine' | 'selected' | 'locked' | 'sold';

export function viewOf(s: Seat): SeatView {
  if (s.status === 'sold') return 'sold';
  if (s.mine && s.status !== 'available') return 'mine';
  return s.status;
}

/** Seats that count against this account's ticket limit. */
export const countsAgainstLimit = (s: Seat): boolean => s.mine && s.status !== 'available';

const FLUSH_MS = 120;

export function useSeats(showId: string, handlers: { onError: (e: ApiError) => void }) {
  const [seats, setSeats] = useState<ReadonlyMap<string, Seat>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const pendingHolds = useRef(new Set<string>());
  const pendingReleases = useRef(new Set<string>());
  const queued = useRef<SeatUpdateEvent[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const resyncTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const seatsRef = useRef(seats);
  seatsRef.current = seats;

  const merge = useCallback((list: Seat[], replaceAll: boolean) => {
    setSeats((prev) => {
      const next = replaceAll ? new Map<string, Seat>() : new Map(prev);
      for (const s of list) next.set(s.id, s);
      return next;
    });
  }, []);

  const loadAll = useCallback(async () => {
    try {
      const r = await api.seats(showId);
      merge(r.seats, true);
      setLoaded(true);
      setLoadError(null);
    } catch (e) {
      const err = toApiError(e);
      setLoadError(err);
      handlersRef.current.onError(err);
    }
  }, [showId, merge]);

  const loadArea = useCallback(
    async (areaId: string) => {
      try {
        const r = await api.seats(showId, areaId);
        merge(r.seats, false);
      } catch (e) {
        handlersRef.current.onError(toApiError(e));
      }
    },
    [showId, merge],
  );

  /** Applies the queued events now (also before applying an HTTP answer, so events never land after it out of order). */
  const flush = useCallback(() => {
    clearTimeout(flushTimer.current);
    flushTimer.current = undefined;
    const events = queued.current;
    if (events.length === 0) return;
    queued.current = [];
    let suspicious = false;
    setSeats((prev) => {
      let next: Map<string, Seat> | undefined;
      for (const e of events) {
        const cur = (next ?? prev).get(e.seatId);
        if (!cur || cur.status === e.status) continue;
        next ??= new Map(prev);
        // Our own seat shown as available by an event we did not cause: re-read to be sure.
        if (cur.mine && e.status === 'available' && !pendingReleases.current.has(e.seatId)) suspicious = true;
        const mine = cur.mine || (e.status === 'selected' && pendingHolds.current.has(e.seatId));
        next.set(e.seatId, { ...cur, status: e.status, mine });
      }
      return next ?? prev;
    });
    if (suspicious) {
      clearTimeout(resyncTimer.current);
      resyncTimer.current = setTimeout(() => void loadAll(), 1500);
    }
  }, [loadAll]);

  // Live updates; after a reconnect we may have missed some, so take a fresh snapshot.
  useEffect(() => {
    const s = acquireSocket();
    let connectedOnce = s.connected;
    const watch = () => {
      s.emit('show:watch', { showId });
      if (connectedOnce) void loadAll();
      connectedOnce = true;
    };
    const onUpdate = (e: SeatUpdateEvent) => {
      if (e.showId !== showId) return;
      queued.current.push(e);
      flushTimer.current ??= setTimeout(flush, FLUSH_MS);
    };
    s.on('connect', watch);
    s.on('seat:update', onUpdate);
    if (s.connected) s.emit('show:watch', { showId });
    void loadAll();
    return () => {
      s.off('connect', watch);
      s.off('seat:update', onUpdate);
      if (s.connected) s.emit('show:unwatch', { showId });
      clearTimeout(flushTimer.current);
      clearTimeout(resyncTimer.current);
      flushTimer.current = undefined;
      releaseSocket();
    };
  }, [showId, loadAll, flush]);

  const setBusyFor = (seatId: string, on: boolean) =>
    setBusy((prev) => {
      const next = new Set(prev);
      if (on) next.add(seatId);
      else next.delete(seatId);
      return next;
    });

  const hold = useCallback(
    async (seatId: string): Promise<void> => {
      pendingHolds.current.add(seatId);
      setBusyFor(seatId, true);
      try {
        const r = await api.hold(showId, seatId);
        flush();
        merge([{ ...r.seat, status: 'selected', mine: true }], false);
      } catch (e) {
        flush();
        const err = toApiError(e);
        if (err.code === 'SEAT_UNAVAILABLE') {
          // Someone was faster: show it taken now, then confirm with a fresh read.
          setSeats((prev) => {
            const cur = prev.get(seatId);
            if (!cur || cur.status !== 'available') return prev;
            const next = new Map(prev);
            next.set(seatId, { ...cur, status: 'selected', mine: false });
            return next;
          });
          const areaId = seatsRef.current.get(seatId)?.areaId;
          if (areaId) void loadArea(areaId);
        }
        throw err;
      } finally {
        pendingHolds.current.delete(seatId);
        setBusyFor(seatId, false);
      }
    },
    [showId, flush, merge, loadArea],
  );

  const release = useCallback(
    async (seatId: string): Promise<void> => {
      pendingReleases.current.add(seatId);
      setBusyFor(seatId, true);
      try {
        await api.release(showId, seatId);
        flush();
        setSeats((prev) => {
          const cur = prev.get(seatId);
          if (!cur) return prev;
          const next = new Map(prev);
          next.set(seatId, { ...cur, status: 'available', mine: false });
          return next;
        });
      } finally {
        // Keep the marker a moment: the release's own seat:update may still be on its way.
        setTimeout(() => pendingReleases.current.delete(seatId), 3000);
        setBusyFor(seatId, false);
      }
    },
    [showId, flush],
  );

  /** Holds `quantity` places of an area at once (standing, or best available): all or none. */
  const holdArea = useCallback(
    async (areaId: string, quantity: number): Promise<Seat[]> => {
      try {
        const r = await api.holdArea(showId, areaId, quantity);
        flush();
        merge(
          r.seats.map((seat) => ({ ...seat, status: 'selected' as const, mine: true })),
          false,
        );
        return r.seats;
      } catch (e) {
        flush();
        void loadArea(areaId);
        throw toApiError(e);
      }
    },
    [showId, flush, merge, loadArea],
  );

  /** Available seats per area, counted from the live map. */
  const availableByArea = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of seats.values()) {
      if (s.status === 'available') counts.set(s.areaId, (counts.get(s.areaId) ?? 0) + 1);
      else if (!counts.has(s.areaId)) counts.set(s.areaId, 0);
    }
    return counts;
  }, [seats]);

  return { seats, loaded, loadError, busy, hold, release, holdArea, loadAll, loadArea, availableByArea };
}
