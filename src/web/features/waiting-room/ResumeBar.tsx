import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../lib/api.js';
import { formatClock } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import { admissionMemory, type RememberedAdmission } from '../../lib/journey-memory.js';
import { msUntil, noteServerTime } from '../../lib/server-clock.js';
import { acquireSocket, releaseSocket } from '../../lib/socket.js';

/**
 * On every page but the buying page itself: a running purchase window, with its clock and the way
 * back. It is shown once the server confirms the admission, and it keeps watching the show (the
 * presence that keeps the admission while the fan looks at another page).
 */
export default function ResumeBar({ admission, onGone }: { admission: RememberedAdmission; onGone: () => void }) {
  const { t } = useTranslation();
  const { showId } = admission;
  const [expiresAt, setExpiresAt] = useState<string | null>(null);
  useNow(1000, expiresAt !== null);

  useEffect(() => {
    let live = true;
    const gone = () => {
      if (!live) return;
      admissionMemory.clear(showId);
      setExpiresAt(null);
      onGone();
    };
    api.queue(showId).then(
      (r) => (r.state === 'admitted' && msUntil(r.expiresAt) > 0 ? live && setExpiresAt(r.expiresAt) : gone()),
      gone,
    );
    const s = acquireSocket();
    const watch = () => s.emit('queue:watch', { showId });
    const onStatus = (e: { showId: string; state: string; expiresAt?: string; at: string }) => {
      if (e.showId !== showId) return;
      noteServerTime(e.at);
      if (e.state === 'admitted' && e.expiresAt) setExpiresAt(e.expiresAt);
      else if (e.state === 'none') gone();
    };
    const onEnded = (e: { showId: string }) => e.showId === showId && gone();
    s.on('connect', watch);
    s.on('queue:status', onStatus);
    s.on('queue:ended', onEnded);
    if (s.connected) watch();
    return () => {
      live = false;
      s.off('connect', watch);
      s.off('queue:status', onStatus);
      s.off('queue:ended', onEnded);
      releaseSocket();
    };
  }, [showId, onGone]);

  if (!expiresAt) return null;
  const left = Math.max(0, msUntil(expiresAt) / 1000);
  if (left <= 0) return null;
  return (
    <div className={`resume-bar${left <= 120 ? ' is-urgent' : ''}`} role="region" aria-label={t('resume.region')} data-testid="resume-bar">
      <div className="container resume-bar-inner">
        <span className="resume-bar-text">
          <Trans i18nKey="resume.running" values={{ title: admission.title }} components={{ strong: <strong /> }} />
        </span>
        <span className="resume-bar-clock" role="timer" data-testid="resume-countdown">
          {formatClock(left)}
        </span>
        <Link to={`/shows/${showId}`} className="btn btn-primary btn-sm" data-testid="resume-link">
          {t('resume.link')}
        </Link>
      </div>
    </div>
  );
}
