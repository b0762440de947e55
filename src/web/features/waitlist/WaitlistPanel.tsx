import { useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ShowDetail, WaitlistEntry } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { api, isApiError, toApiError, type ApiError } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { acquireSocket, releaseSocket } from '../../lib/socket.js';

/** How often the position is read again while waiting (the offer itself comes in realtime). */
const REFRESH_MS = 10_000;

/**
 * The waitlist of a sold-out show: join with the places wanted, see the position, leave. When
 * places come back for this fan (`waitlist:offer`, or an offer found on load), `onOffer` takes the
 * fan to the selling page, where the places are already held.
 */
export function WaitlistPanel({ show, onOffer }: { show: ShowDetail; onOffer: () => void }) {
  const { t } = useTranslation();
  const [entry, setEntry] = useState<WaitlistEntry | null | undefined>(undefined);
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // The latest callback, without re-subscribing whenever the page re-renders.
  const offerRef = useRef(onOffer);
  offerRef.current = onOffer;

  const load = useCallback(async () => {
    try {
      const r = await api.waitlist(show.id);
      setEntry(r.entry);
      if (r.entry.state === 'offered') offerRef.current();
    } catch (e) {
      if (isApiError(e, 'NOT_FOUND')) setEntry(null);
      else setError(toApiError(e));
    }
  }, [show.id]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const s = acquireSocket();
    const onOffered = (e: { showId: string }) => {
      if (e.showId === show.id) offerRef.current();
    };
    s.on('waitlist:offer', onOffered);
    return () => {
      clearInterval(timer);
      s.off('waitlist:offer', onOffered);
      releaseSocket();
    };
  }, [load, show.id]);

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  if (entry === undefined && !error) return null;
  const zone = show.venue.timeZone;
  return (
    <section className="card waitlist-card container narrow" aria-labelledby="waitlist-title" data-testid="waitlist">
      <h2 id="waitlist-title" className="section-title">
        {t('waitlist.title')}
      </h2>
      {error && <ErrorMessage error={error} />}
      {entry?.state === 'waiting' ? (
        <>
          <p data-testid="waitlist-position" data-position={entry.position ?? undefined}>
            <Trans i18nKey="waitlist.position" count={entry.quantity} values={{ position: entry.position }} components={{ strong: <strong /> }} />
          </p>
          <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void act(() => api.leaveWaitlist(show.id))} data-testid="waitlist-leave">
            {t('waitlist.leave')}
          </button>
        </>
      ) : entry?.state === 'offered' ? (
        <p>
          {entry.offerExpiresAt ? t('waitlist.offeredUntil', { date: formatDateTime(entry.offerExpiresAt, zone) }) : t('waitlist.offered')}{' '}
          <button type="button" className="btn btn-primary" onClick={onOffer}>
            {t('waitlist.goToPlaces')}
          </button>
        </p>
      ) : (
        <form
          className="quantity-hold"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => api.joinWaitlist(show.id, quantity));
          }}
        >
          <p className="muted">
            {entry?.state === 'lapsed' ? t('waitlist.lapsed') : entry?.state === 'purchased' ? t('waitlist.purchased') : t('waitlist.joinText')}
          </p>
          <label htmlFor="waitlist-quantity">{t('waitlist.places')}</label>
          <select id="waitlist-quantity" className="input" value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} disabled={busy}>
            {Array.from({ length: show.maxTicketsPerAccount }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="waitlist-join">
            {t('waitlist.join')}
          </button>
        </form>
      )}
    </section>
  );
}
