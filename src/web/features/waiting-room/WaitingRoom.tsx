import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ShowDetail } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { durationWords, waitRange } from '../../i18n/durations.js';
import { useNow } from '../../lib/hooks.js';
import type { ConnectionState } from '../../lib/socket.js';
import type { QueuePhase } from './use-queue.js';
import { TurnAlertSettings } from './turn-alert.js';
import { WaitingCard, WaitingStat } from './WaitingCard.js';

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
  const { t } = useTranslation();
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
    <WaitingCard titleId="waiting-title" eyebrow={t('waiting.eyebrow')} title={t('waiting.title')} connection={connection}>
      <div className="waiting-stats">
        <WaitingStat main label={t('waiting.place')}>
          <span className="waiting-position" aria-live="polite">
            <span className="visually-hidden">{t('waiting.number')}</span>
            <span data-testid="queue-position">{state.position}</span>
          </span>
          <span className="waiting-stat-sub" data-testid="queue-ahead">
            {ahead === 0 ? t('waiting.next') : t('waiting.ahead', { count: ahead })}
          </span>
          {state.seatsLeft !== undefined && (
            <span className="waiting-stat-sub" data-testid="queue-seats-left" data-seats-left={state.seatsLeft}>
              {state.seatsLeft > 0 ? t('waiting.seatsLeft', { count: state.seatsLeft }) : t('waiting.allHeld')}
            </span>
          )}
        </WaitingStat>
        <WaitingStat label={t('waiting.etaLabel')} labelId="eta-label">
          <span
            className="waiting-eta waiting-eta-words"
            aria-labelledby="eta-label"
            data-testid="queue-eta"
            data-eta-seconds={Math.ceil(eta)}
            data-likely-seconds={likely === undefined ? undefined : Math.ceil(Math.min(likely, eta))}
          >
            {eta <= 0 ? t('waiting.anyMoment') : waitRange(t, likely, eta)}
          </span>
          <span className="waiting-stat-sub" data-testid="queue-eta-likely">
            {eta <= 0 ? t('waiting.atFront') : likely !== undefined && likely < eta - 60 ? t('waiting.rangeHint') : t('waiting.atMost')}
          </span>
        </WaitingStat>
      </div>

      <div className="progress" role="progressbar" aria-label={t('waiting.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
        <div className="progress-bar" style={{ width: `${Math.max(4, progress * 100)}%` }} />
      </div>

      <div className="waiting-calm">
        <span className="pulse-dot" aria-hidden="true" />
        <p>
          <Trans
            i18nKey="waiting.calm"
            count={show.maxTicketsPerAccount}
            values={{ duration: durationWords(t, show.purchaseWindowSeconds) }}
            components={{ strong: <strong /> }}
          />
        </p>
      </div>

      {connection === 'reconnecting' && (
        <p className="waiting-offline" role="status">
          {t('waiting.offline')}
        </p>
      )}

      <TurnAlertSettings />

      <div className="waiting-actions">
        {confirmLeave ? (
          <div className="confirm-row" role="group" aria-label={t('waiting.leaveGroup')}>
            <span>{t('waiting.leaveConfirm')}</span>
            <button type="button" className="btn btn-danger btn-sm" onClick={leave} disabled={leaving} data-testid="confirm-leave-queue">
              {leaving ? t('waiting.leaving') : t('waiting.leaveYes')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirmLeave(false)} disabled={leaving}>
              {t('waiting.stay')}
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn-secondary" onClick={() => setConfirmLeave(true)} data-testid="leave-queue-button">
            {t('waiting.leave')}
          </button>
        )}
      </div>
      {leaveError ? <ErrorMessage error={leaveError} /> : null}
    </WaitingCard>
  );
}
