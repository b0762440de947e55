import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import { msUntil } from '../../lib/server-clock.js';

/** The window's last two minutes look (and are announced as) urgent. */
export const URGENT_SECONDS = 120;
/** Moments announced to screen readers, in seconds left. */
const MARKS = [300, 120, 60, 30, 10];

/** What a screen reader hears at a mark: the time the clock shows then, not the mark's nominal one. */
function spoken(t: TFunction, left: number): string {
  if (left >= 60) return t('selling.minutesLeft', { count: Math.round(left / 60) });
  return t('selling.secondsLeft', { count: Math.ceil(left) });
}

/** The purchase window's countdown, always in view while admitted. */
export function WindowBar({
  expiresAt,
  title,
  onTimeUp,
  onLeave,
}: {
  expiresAt: string;
  title: string;
  onTimeUp: () => void;
  onLeave?: () => void;
}) {
  const { t } = useTranslation();
  useNow(1000); // re-render every second
  const left = Math.max(0, msUntil(expiresAt) / 1000);
  const [announce, setAnnounce] = useState('');
  // Marks already behind the clock when this window was first seen are not announced late.
  const announced = useRef<{ window: string; marks: Set<number> }>({ window: '', marks: new Set() });
  const fired = useRef(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const onTimeUpRef = useRef(onTimeUp);
  onTimeUpRef.current = onTimeUp;

  useEffect(() => {
    if (announced.current.window !== expiresAt) {
      // A new window (a re-join): nothing said about the old one may stay.
      announced.current = { window: expiresAt, marks: new Set(MARKS.filter((m) => left <= m)) };
      setAnnounce('');
    }
    const crossed = MARKS.filter((m) => left <= m && !announced.current.marks.has(m));
    if (crossed.length > 0 && left > 0) {
      // Several at once (a throttled background tab): say the time now, once.
      for (const m of crossed) announced.current.marks.add(m);
      setAnnounce(spoken(t, left));
    }
    if (left <= 0 && !fired.current) {
      fired.current = true;
      // A moment of grace for the server's own timer before asking it.
      const t = setTimeout(() => onTimeUpRef.current(), 1500);
      return () => clearTimeout(t);
    }
    if (left > 0) fired.current = false;
    return undefined;
  }, [left, expiresAt, t]);

  const urgent = left <= URGENT_SECONDS;
  return (
    <div className={`window-bar${urgent ? ' is-urgent' : ''}`} data-testid="window-bar" data-urgent={urgent}>
      <div className="container window-bar-inner">
        <div className="window-bar-text">
          <span className="window-bar-label">{urgent ? t('selling.hurry') : t('selling.yourTurn')}</span>
          <span className="window-bar-title">{title}</span>
        </div>
        <div className="window-bar-clock">
          <span className="window-bar-label" id="window-label">
            {t('selling.timeLeft')}
          </span>
          <span className="window-countdown" role="timer" aria-labelledby="window-label" data-testid="window-countdown">
            {formatClock(left)}
          </span>
        </div>
        {onLeave &&
          (confirmLeave ? (
            <span className="window-bar-confirm" role="group" aria-label={t('selling.leaveGroup')}>
              <span className="small">{t('selling.leaveConfirm')}</span>
              <button type="button" className="btn btn-danger btn-sm" onClick={onLeave} data-testid="confirm-leave-selling">
                {t('selling.leaveYes')}
              </button>
              <button type="button" className="btn btn-ghost btn-sm window-bar-leave" onClick={() => setConfirmLeave(false)}>
                {t('selling.stay')}
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-ghost btn-sm window-bar-leave" onClick={() => setConfirmLeave(true)} data-testid="leave-selling-button">
              {t('selling.leave')}
            </button>
          ))}
      </div>
      <span className="visually-hidden" aria-live="assertive" data-testid="window-announcement">
        {announce}
      </span>
    </div>
  );
}
