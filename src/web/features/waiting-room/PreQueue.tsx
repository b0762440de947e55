import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ShowDetail } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LiveIndicator } from '../../components/LiveIndicator.js';
import { formatClock, formatCount, formatDateTime } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import { msUntil } from '../../lib/server-clock.js';
import type { ConnectionState } from '../../lib/socket.js';
import type { QueuePhase } from './use-queue.js';
import { rememberEntry } from './entry-memory.js';
import { TurnAlertSettings } from './turn-alert.js';

type Early = Extract<QueuePhase, { kind: 'early' }>;

/** The waiting page before the draw: the countdown to it on the server's clock, and how many have entered. */
export function PreQueue({ show, state, connection, onLeave }: { show: ShowDetail; state: Early; connection: ConnectionState; onLeave: () => Promise<void> }) {
  useNow(1000);
  const [leaveError, setLeaveError] = useState<unknown>(null);
  useEffect(() => rememberEntry(show.id, state.entryId), [show.id, state.entryId]);
  const left = Math.max(0, Math.ceil(msUntil(state.drawAt) / 1000));

  return (
    <section className="waiting-room card" aria-labelledby="prequeue-title">
      <div className="waiting-top">
        <p className="eyebrow">Pre-queue</p>
        <LiveIndicator connection={connection} />
      </div>
      <h1 id="prequeue-title" className="waiting-title">
        You're in the draw
      </h1>
      <div className="waiting-stats">
        <div className="waiting-stat waiting-stat-main">
          <span className="waiting-stat-label" id="draw-countdown-label">
            The draw in
          </span>
          <span className="waiting-eta" role="timer" aria-labelledby="draw-countdown-label" data-testid="draw-countdown">
            {left > 0 ? formatClock(left) : 'Drawing…'}
          </span>
          <span className="waiting-stat-sub">at {formatDateTime(state.drawAt, show.venue.timeZone)}</span>
        </div>
        <div className="waiting-stat">
          <span className="waiting-stat-label">Entered so far</span>
          <span className="waiting-position" data-testid="draw-entrants">
            {formatCount(state.entrants)}
          </span>
        </div>
      </div>
      <p>
        When the sale opens, everyone in the draw is put in line in a random order, ahead of anyone who comes later. Keep this page open: an entry
        nobody watches is dropped, like a place in line.
      </p>
      <p className="muted">
        Your entry: <code data-testid="draw-entry">{state.entryId}</code> · <Link to={`/shows/${show.id}/draw`}>How the draw works, and check it</Link>
      </p>
      <TurnAlertSettings />
      {leaveError !== null && <ErrorMessage error={leaveError} />}
      <button type="button" className="btn btn-secondary" onClick={() => void onLeave().catch((e: unknown) => setLeaveError(e))}>
        Leave the draw
      </button>
    </section>
  );
}
