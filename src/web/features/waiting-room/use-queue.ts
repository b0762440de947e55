/**
 * This account's place for one show, kept in step with the server:
 * joins on entry (idempotent), watches over Socket.IO (which is also the presence the
 * server requires), re-watches after reconnects, and re-reads the state whenever unsure.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueResponse } from '../../../shared/api.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { EndReason, QueueStatusEvent } from '../../../shared/realtime.js';
import { api, toApiError, type ApiError } from '../../lib/api.js';
import { msUntil, noteServerTime, toLocalMs } from '../../lib/server-clock.js';
import { acquireSocket, releaseSocket, useConnectionState, type AppSocket } from '../../lib/socket.js';
import { endedMemory, firstPlaceMemory, type EndedReason } from '../../lib/journey-memory.js';

export type QueuePhase =
  | { kind: 'loading' }
  | { kind: 'refused'; error: ApiError }
  | { kind: 'error'; error: ApiError }
  | {
      kind: 'waiting';
      position: number;
      etaSeconds: number;
      etaLikelySeconds: number | undefined;
      /** Seats neither sold nor held now (undefined: not told). */
      seatsLeft: number | undefined;
      /** Local Date.now() at which the two estimates were exact. */
      baseMs: number;
      firstPosition: number;
      /** 0..1 of the way to the front, never less than shown before for this place. */
      progress: number;
    }
  | { kind: 'admitted'; admittedAt: string; expiresAt: string }
  /** An entry in the pre-queue's draw, until the draw at drawAt puts it in line. */
  | { kind: 'early'; entryId: string; drawAt: string; entrants: number }
  | { kind: 'ended'; reason: EndedReason }
  | { kind: 'left' };

/** Refusals of the join that are answers, not failures: shown as a page with a way back. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'NOT_ON_SALE',
  'SALE_ENDED',
  'SOLD_OUT',
  'TICKET_LIMIT_REACHED',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'FORBIDDEN',
]);

export function useQueue(showId: string, opts: { joinRequested: boolean; onUnauthenticated: () => void }) {
  const [phase, setPhaseState] = useState<QueuePhase>({ kind: 'loading' });
  const phaseRef = useRef<QueuePhase>(phase);
  const setPhase = useCallback((p: QueuePhase) => {
    phaseRef.current = p;
    setPhaseState(p);
  }, []);
  const [socket, setSocket] = useState<AppSocket>();
  const connection = useConnectionState(socket);
  const leaving = useRef(false);
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const endWith = useCallback(
    (reason: EndedReason) => {
      endedMemory.set(showId, reason);
      firstPlaceMemory.clear(showId);
      setPhase({ kind: 'ended', reason });
    },
    [showId, setPhase],
  );

  /** Applies a server answer; false when it says "none" (the caller knows why). */
  const apply = useCallback(
    (r: QueueResponse | QueueStatusEvent, baseMs = Date.now()): boolean => {
      if (r.state === 'admitted') {
        if (!r.expiresAt || !r.admittedAt) return true; // a status without times: keep what we have
        endedMemory.clear(showId);
        firstPlaceMemory.clear(showId);
        setPhase({ kind: 'admitted', admittedAt: r.admittedAt, expiresAt: r.expiresAt });
        return true;
      }
      if (r.state === 'early') {
        if (!r.entryId || !r.drawAt) return true;
        endedMemory.clear(showId);
        setPhase({ kind: 'early', entryId: r.entryId, drawAt: r.drawAt, entrants: r.entrants ?? 0 });
        return true;
      }
      if (r.state === 'waiting') {
        const position = r.position ?? 1;
        endedMemory.clear(showId);
        let first = firstPlaceMemory.get(showId);
        if (first === null || position > first) {
          first = position;
          firstPlaceMemory.set(showId, position);
        }
        setPhase({
          kind: 'waiting',
          position,
          etaSeconds: r.etaSeconds ?? 0,
          etaLikelySeconds: r.etaLikelySeconds,
          seatsLeft: r.seatsLeft,
          baseMs,
          firstPosition: first,
          // Never quite 0, so the bar is visible.
          progress: firstPlaceMemory.progress(showId, Math.min(1, (first - position + 1) / (first + 1))),
        });
        return true;
      }
      return false;
    },
    [showId, setPhase],
  );

  const fail = useCallback(
    (e: unknown) => {
      const err = toApiError(e);
      if (err.code === 'UNAUTHENTICATED') optsRef.current.onUnauthenticated();
      else if (REFUSALS.has(err.code)) setPhase({ kind: 'refused', error: err });
      else setPhase({ kind: 'error', error: err });
    },
    [setPhase],
  );

  const join = useCallback(async () => {
    leaving.current = false;
    endedMemory.clear(showId);
    setPhase({ kind: 'loading' });
    try {
      const r = await api.joinQueue(showId);
      if (!apply(r)) setPhase({ kind: 'error', error: toApiError(new Error('The server did not give us a place in line.')) });
    } catch (e) {
      fail(e);
    }
  }, [showId, apply, fail, setPhase]);

  /**
   * Re-reads the state after a sign that it changed (a "none" status, a 403 NOT_ADMITTED,
   * the window's clock reaching zero). `reason` is what to tell the person if it is over.
   */
  const verify = useCallback(
    async (reason: EndedReason) => {
      try {
        const r = await api.queue(showId);
        if (leaving.current) return;
        if (r.state === 'admitted' && msUntil(r.expiresAt) <= 0) return endWith('expired');
        if (!apply(r)) {
          const cur = phaseRef.current;
          if (cur.kind === 'waiting' || cur.kind === 'admitted' || cur.kind === 'loading') endWith(reason);
        }
      } catch (e) {
        const err = toApiError(e);
        if (err.code === 'UNAUTHENTICATED') optsRef.current.onUnauthenticated();
        // Otherwise keep the current view; the next event or poll tries again.
      }
    },
    [showId, apply, endWith],
  );

  const leave = useCallback(async () => {
    leaving.current = true;
    try {
      await api.leaveQueue(showId);
    } catch (e) {
      leaving.current = false;
      throw e;
    }
    endedMemory.clear(showId);
    firstPlaceMemory.clear(showId);
    setPhase({ kind: 'left' });
  }, [showId, setPhase]);

  // Entry: join (idempotent), unless this tab already saw its turn end and was not asked to join again.
  useEffect(() => {
    let live = true;
    const remembered = endedMemory.get(showId);
    if (optsRef.current.joinRequested) {
      void join();
    } else if (!remembered) {
      // A place lost while this tab was away (closed too long, time ran out, sold out): say why
      // instead of silently taking a new place at the back.
      api.queue(showId).then(
        (r) => {
          if (!live) return;
          const why = r.state === 'none' ? r.lastEnded?.reason : undefined;
          if (why === 'removed' || why === 'expired' || why === 'sold_out') endWith(why);
          else if (!apply(r)) void join();
        },
        () => live && void join(),
      );
    } else {
      api.queue(showId).then(
        (r) => {
          if (!live) return;
          if (!apply(r)) setPhase({ kind: 'ended', reason: remembered });
        },
        (e: unknown) => live && fail(e),
      );
    }
    return () => {
      live = false;
    };
  }, [showId, join, apply, fail, setPhase, endWith]);

  // Realtime: watching is also presence, so re-watch on every (re)connect.
  useEffect(() => {
    const s = acquireSocket();
    setSocket(s);
    let noneTimer: ReturnType<typeof setTimeout> | undefined;

    const watch = () =>
      s.emit('queue:watch', { showId }, (ack) => {
        if (ack && 'error' in ack && ack.error.code === 'UNAUTHENTICATED') optsRef.current.onUnauthenticated();
      });
    const onStatus = (e: QueueStatusEvent) => {
      if (e.showId !== showId || leaving.current) return;
      noteServerTime(e.at);
      const cur = phaseRef.current;
      if (cur.kind === 'refused' || cur.kind === 'left') return;
      if (e.state === 'none') {
        // Sent on watch before our join lands, too: only a sign to re-check, never a verdict.
        if (cur.kind !== 'waiting' && cur.kind !== 'admitted' && cur.kind !== 'early') return;
        clearTimeout(noneTimer);
        // Admitted and out of time: it expired; otherwise we were away too long (presence).
        const reason = cur.kind === 'admitted' && msUntil(cur.expiresAt) <= 1000 ? 'expired' : 'removed';
        noneTimer = setTimeout(() => void verify(reason), 400);
        return;
      }
      if (e.state === 'admitted' && (!e.expiresAt || !e.admittedAt)) return void verify('removed');
      apply(e, toLocalMs(e.at));
    };
    const onAdmitted = (e: { showId: string; admittedAt: string; expiresAt: string }) => {
      if (e.showId !== showId || leaving.current) return;
      apply({ state: 'admitted', admittedAt: e.admittedAt, expiresAt: e.expiresAt });
    };
    const onEnded = (e: { showId: string; reason: EndReason }) => {
      if (e.showId !== showId || leaving.current) return;
      // Only a turn we are in can end (not one from before a re-join that is in flight).
      const cur = phaseRef.current.kind;
      if (cur !== 'waiting' && cur !== 'admitted' && cur !== 'early') return;
      clearTimeout(noneTimer);
      endWith(e.reason);
    };

    s.on('connect', watch);
    s.on('queue:status', onStatus);
    s.on('queue:admitted', onAdmitted);
    s.on('queue:ended', onEnded);
    if (s.connected) watch();
    return () => {
      clearTimeout(noneTimer);
      s.off('connect', watch);
      s.off('queue:status', onStatus);
      s.off('queue:admitted', onAdmitted);
      s.off('queue:ended', onEnded);
      if (s.connected) s.emit('queue:unwatch', { showId });
      releaseSocket();
    };
  }, [showId, apply, endWith, verify]);

  // A safety net under the socket: re-read now and then while waiting (often when offline).
  useEffect(() => {
    if (phase.kind !== 'waiting') return;
    const t = setInterval(() => void verify('removed'), connection === 'connected' ? 60_000 : 10_000);
    return () => clearInterval(t);
  }, [phase.kind, connection, verify]);

  return { phase, connection, join, leave, verify, endWith };
}
