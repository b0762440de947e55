import { useEffect, useRef, useState } from 'react';
import { formatClock } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import { msUntil } from '../../lib/server-clock.js';

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
  useNow(1000); // re-render every second
  const left = Math.max(0, msUntil(expiresAt) / 1000);
  const [announce, setAnnounce] = useState('');
  const announced = useRef(new Set<number>());
  const fired = useRef(false);
  const onTimeUpRef = useRef(onTimeUp);
  onTimeUpRef.current = onTimeUp;

  useEffect(() => {
    for (const mark of [300, 120, 60, 30]) {
      if (left <= mark && left > mark - 5 && !announced.current.has(mark)) {
        announced.current.add(mark);
        setAnnounce(mark >= 60 ? `${mark / 60} minute${mark === 60 ? '' : 's'} left to buy` : `${mark} seconds left to buy`);
      }
    }
    if (left <= 0 && !fired.current) {
      fired.current = true;
      // A moment of grace for the server's own timer before asking it.
      const t = setTimeout(() => onTimeUpRef.current(), 1500);
      return () => clearTimeout(t);
    }
    if (left > 0) fired.current = false;
    return undefined;
  }, [left]);

  const urgent = left <= 60;
  return (
    <div className={`window-bar${urgent ? ' is-urgent' : ''}`}>
      <div className="container window-bar-inner">
        <div className="window-bar-text">
          <span className="window-bar-label">It's your turn</span>
          <span className="window-bar-title">{title}</span>
        </div>
        <div className="window-bar-clock">
          <span className="window-bar-label" id="window-label">
            Time left
          </span>
          <span className="window-countdown" role="timer" aria-labelledby="window-label" data-testid="window-countdown">
            {formatClock(left)}
          </span>
        </div>
        {onLeave && (
          <button type="button" className="btn btn-ghost btn-sm window-bar-leave" onClick={onLeave} data-testid="leave-selling-button">
            Leave
          </button>
        )}
      </div>
      <span className="visually-hidden" aria-live="assertive">
        {announce}
      </span>
    </div>
  );
}
