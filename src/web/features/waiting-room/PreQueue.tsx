import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ShowDetail } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { formatClock, formatCount, formatDateTime } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import { msUntil } from '../../lib/server-clock.js';
import type { ConnectionState } from '../../lib/socket.js';
import type { QueuePhase } from './use-queue.js';
import { rememberEntry } from './entry-memory.js';
import { TurnAlertSettings } from './turn-alert.js';
import { WaitingCard, WaitingStat } from './WaitingCard.js';

type Early = Extract<QueuePhase, { kind: 'early' }>;

/** The waiting page before the draw: the countdown to it on the server's clock, and how many have entered. */
export function PreQueue({ show, state, connection, onLeave }: { show: ShowDetail; state: Early; connection: ConnectionState; onLeave: () => Promise<void> }) {
  const { t } = useTranslation();
  useNow(1000);
  const [leaveError, setLeaveError] = useState<unknown>(null);
  useEffect(() => rememberEntry(show.id, state.entryId), [show.id, state.entryId]);
  const left = Math.max(0, Math.ceil(msUntil(state.drawAt) / 1000));

  return (
    <WaitingCard titleId="prequeue-title" eyebrow={t('preQueue.eyebrow')} title={t('preQueue.title')} connection={connection}>
      <div className="waiting-stats">
        <WaitingStat main label={t('preQueue.drawIn')} labelId="draw-countdown-label">
          <span className="waiting-eta" role="timer" aria-labelledby="draw-countdown-label" data-testid="draw-countdown">
            {left > 0 ? formatClock(left) : t('preQueue.drawing')}
          </span>
          <span className="waiting-stat-sub">{t('preQueue.at', { date: formatDateTime(state.drawAt, show.venue.timeZone) })}</span>
        </WaitingStat>
        <WaitingStat label={t('preQueue.entered')}>
          <span className="waiting-position" data-testid="draw-entrants">
            {formatCount(state.entrants)}
          </span>
        </WaitingStat>
      </div>
      <p>{t('preQueue.text')}</p>
      <p className="muted">
        <Trans
          i18nKey="preQueue.entry"
          values={{ entry: state.entryId }}
          components={{ code: <code data-testid="draw-entry" />, link: <Link to={`/shows/${show.id}/draw`} /> }}
        />
      </p>
      <TurnAlertSettings />
      {leaveError !== null && <ErrorMessage error={leaveError} />}
      <button type="button" className="btn btn-secondary" onClick={() => void onLeave().catch((e: unknown) => setLeaveError(e))}>
        {t('preQueue.leave')}
      </button>
    </WaitingCard>
  );
}
