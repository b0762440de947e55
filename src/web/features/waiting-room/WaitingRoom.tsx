import { useState } from 'react';
import type { ShowDetail } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LiveIndicator } from '../../components/LiveIndicator.js';
import { formatCount, formatDurationWords, formatWaitRange } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import type { ConnectionState } from '../../lib/socket.js';
import type { QueuePhase } from './use-queue.js';
import { TurnAlertSettings } from './turn-alert.js';

type Waiting = Extract<QueuePhase, { kind: 'waiting' }>;

export function WaitingRoom({
  show,
  state,
  connection,
  onLeave,
}: {
  show: ShowDetail;
  state: Waiting;
  connection: ConnectionState;
  onLeave: () => Promise<void>;
}) {
  const now = useNow(1000);
  const [leaving, setLeaving] = useState(false);
  const [leaveError, setLeaveError] = useState<unknown>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const elapsed = Math.max(0, (now - state.baseMs) / 1000);
  const eta = Math.max(0, state.etaSeconds - elapsed);
  const likely = state.etaLikelySeconds === undefined ? undefined : Math.max(0, state.etaLikelySeconds - elapsed);
  const ahead = Math.max(0, state.position - 1);
  const { progress } = state;

  async function leave() {
    setLeaving(true);
    setLeaveError(null);
    try {
      await onLeave();
    } catch (e) {
      setLeaveError(e);
      setLeaving(false);
    }
  }

  return (
    <section className="waiting-room card" aria-labelledby="waiting-title">
      <div className="waiting-top">
        <p className="eyebrow">Waiting room</p>
        <LiveIndicator connection={connection} />
      </div>
      <h1 id="waiting-title" className="waiting-title">
        You're in line
      </h1>

      <div className="waiting-stats">
        <div className="waiting-stat waiting-stat-main">
          <span className="waiting-stat-label">Your place in line</span>
          <span className="waiting-position" aria-live="polite">
            <span className="visually-hidden">Number </span>
            <span data-testid="queue-position">{state.position}</span>
          </span>
          <span className="waiting-stat-sub" data-testid="queue-ahead">
            {ahead === 0 ? "You're next!" : `${formatCount(ahead)} ${ahead === 1 ? 'person' : 'people'} ahead of you`}
          </span>
          {state.seatsLeft !== undefined && (
            <span className="waiting-stat-sub" data-testid="queue-seats-left" data-seats-left={state.seatsLeft}>
              {state.seatsLeft > 0
                ? `${formatCount(state.seatsLeft)} ${state.seatsLeft === 1 ? 'seat' : 'seats'} left`
                : 'All remaining seats are held by other fans — they may come back'}
            </span>
          )}
        </div>
        <div className="waiting-stat">
          <span className="waiting-stat-label" id="eta-label">
            Estimated wait
          </span>
          <span
            className="waiting-eta waiting-eta-words"
            aria-labelledby="eta-label"
            data-testid="queue-eta"
            data-eta-seconds={Math.ceil(eta)}
            data-likely-seconds={likely === undefined ? undefined : Math.ceil(Math.min(likely, eta))}
          >
            {eta <= 0 ? 'Any moment now…' : formatWaitRange(likely, eta)}
          </span>
          <span className="waiting-stat-sub" data-testid="queue-eta-likely">
            {eta <= 0
              ? 'You are at the front of the line'
              : likely !== undefined && likely < eta - 60
                ? 'The shorter at the current pace, the longer if everyone ahead uses their full time'
                : 'At most, if everyone ahead uses their full time'}
          </span>
        </div>
      </div>

      <div className="progress" role="progressbar" aria-label="Progress to the front of the line" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
        <div className="progress-bar" style={{ width: `${Math.max(4, progress * 100)}%` }} />
      </div>

      <div className="waiting-calm">
        <span className="pulse-dot" aria-hidden="true" />
        <p>
          <strong>Keep this tab open — you'll move to the selling page automatically.</strong> When it is your turn you
          will have {formatDurationWords(show.purchaseWindowSeconds)} to choose seats and pay (up to{' '}
          {show.maxTicketsPerAccount} tickets).
        </p>
      </div>

      {connection === 'reconnecting' && (
        <p className="waiting-offline" role="status">
          Connection lost — reconnecting. Your place is kept for a short while.
        </p>
      )}

      <TurnAlertSettings />

      <div className="waiting-actions">
        {confirmLeave ? (
          <div className="confirm-row" role="group" aria-label="Leave the line?">
            <span>Give up your place in line?</span>
            <button type="button" className="btn btn-danger btn-sm" onClick={leave} disabled={leaving} data-testid="confirm-leave-queue">
              {leaving ? 'Leaving…' : 'Yes, leave the line'}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirmLeave(false)} disabled={leaving}>
              Stay in line
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn-secondary" onClick={() => setConfirmLeave(true)} data-testid="leave-queue-button">
            Leave the line
          </button>
        )}
      </div>
      {leaveError ? <ErrorMessage error={leaveError} /> : null}
    </section>
  );
}
