/** Typed Socket.IO event maps shared by the server and the web app (docs/api.md "Realtime"). */
import type { EndReason, QueueResponse, SaleStats, SeatStatus } from './api.js';
import type { ErrorCode } from './errors.js';

export type { EndReason, SeatStatus };
export type QueueState = QueueResponse['state'];

/**
 * A watcher's place, as GET /api/shows/:showId/queue answers it (one variant per `state`), for one
 * show, with the server time it was computed at (`at`), so clients can count down from it.
 */
export type QueueStatusEvent = QueueResponse & { showId: string; at: string };

export interface QueueAdmittedEvent {
  showId: string;
  admittedAt: string;
  expiresAt: string;
}

/** Places that came back, held for a waitlisted fan until expiresAt (they are also admitted). */
export interface WaitlistOfferEvent {
  showId: string;
  seatIds: string[];
  expiresAt: string;
}

export interface QueueEndedEvent {
  showId: string;
  reason: EndReason;
}

export interface SeatUpdateEvent {
  showId: string;
  areaId: string;
  seatId: string;
  status: SeatStatus;
}

/** The figures of GET /api/admin/shows/:showId/stats, live. */
export type ShowStatsEvent = SaleStats & {
  showId: string;
  at: string;
  /**
   * The current minute of the line as GET .../stats/history records it (`at`: the minute's start, on
   * the line's clock): the dashboard puts it at the end of the history it loaded.
   */
  minute: { at: string; waiting: number; early: number; admitted: number; admissions: number };
};

export type Ack = { ok: true } | { error: { code: ErrorCode; message: string } };

export interface ClientToServerEvents {
  'queue:watch': (msg: { showId: string }, ack?: (r: Ack) => void) => void;
  'queue:unwatch': (msg: { showId: string }, ack?: (r: Ack) => void) => void;
  'show:watch': (msg: { showId: string }, ack?: (r: Ack) => void) => void;
  'show:unwatch': (msg: { showId: string }, ack?: (r: Ack) => void) => void;
  /** Admin only: live sale dashboard. */
  'stats:watch': (msg: { showId: string }, ack?: (r: Ack) => void) => void;
  'stats:unwatch': (msg: { showId: string }, ack?: (r: Ack) => void) => void;
}

export interface ServerToClientEvents {
  'queue:status': (e: QueueStatusEvent) => void;
  'queue:admitted': (e: QueueAdmittedEvent) => void;
  'queue:ended': (e: QueueEndedEvent) => void;
  'seat:update': (e: SeatUpdateEvent) => void;
  'waitlist:offer': (e: WaitlistOfferEvent) => void;
  'stats:update': (e: ShowStatsEvent) => void;
}
