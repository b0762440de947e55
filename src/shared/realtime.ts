/** Typed Socket.IO event maps shared by the server and the web app (docs/api.md "Realtime"). */
import type { ErrorCode } from './errors.js';

export type QueueState = 'admitted' | 'waiting' | 'early' | 'none';
export type EndReason = 'purchased' | 'expired' | 'left' | 'removed' | 'sold_out';
export type SeatStatus = 'available' | 'selected' | 'locked' | 'sold';

export interface QueueStatusEvent {
  showId: string;
  state: QueueState;
  position?: number;
  etaSeconds?: number;
  etaLikelySeconds?: number;
  /** Waiting accounts: seats neither sold nor held by anyone now. */
  seatsLeft?: number;
  admittedAt?: string;
  expiresAt?: string;
  /** An early entry (state "early"): its draw ticket, the draw's time and the entries so far. */
  entryId?: string;
  drawAt?: string;
  entrants?: number;
  /** Server time when this was computed, so clients can count down from it. */
  at: string;
}

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

export interface ShowStatsEvent {
  showId: string;
  waiting: number;
  admitted: number;
  pageCapacity: number;
  sold: number;
  held: number;
  available: number;
  admissionsPerMinute: number;
  paidOrders: number;
  revenue: number;
  currency: string;
  /** Actual waits of the accounts admitted from the line (recent), and how far the estimates were off. */
  waitSamples: number;
  meanWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  etaErrorSeconds: number | null;
  etaLikelyErrorSeconds: number | null;
  at: string;
  /** On the first event after stats:watch: the last minutes, one point every 2 s. */
  history?: { at: string; waiting: number; admitted: number; admissionsPerMinute: number }[];
}

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
