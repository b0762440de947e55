import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ShowDetail, ShowSummary } from '../../../shared/api.js';
import { api } from '../../lib/api.js';
import { formatClock, formatDateTime, formatMoney } from '../../lib/format.js';
import { useNow } from '../../lib/hooks.js';
import { nextMoment } from '../../lib/sale-moments.js';
import { msUntil } from '../../lib/server-clock.js';

/** "NT$1,000 – NT$1,800" (or one price), from the show's areas. */
export function priceRange(show: Pick<ShowDetail, 'areas'>): string | undefined {
  if (show.areas.length === 0) return undefined;
  const prices = show.areas.map((a) => a.price);
  const currency = show.areas[0]!.currency;
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  return lo === hi ? formatMoney(lo, currency) : `${formatMoney(lo, currency)} – ${formatMoney(hi, currency)}`;
}

/** A countdown for people: "2 days 3:04:05", "4:05". */
function countdownText(t: TFunction, ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(s / 86_400);
  return days > 0 ? `${t('duration.days', { count: days })} ${formatClock(s % 86_400)}` : formatClock(s);
}

/**
 * Before the sale: the countdown to the next moment (the pre-queue's opening, then the sale's), on the
 * server's clock, with both times on the venue's clock. Renders nothing once the sale is open.
 */
export function SaleCountdown({ show }: { show: ShowSummary }) {
  const { t } = useTranslation();
  useNow(1000);
  const next = nextMoment(show);
  if (!next || (show.status !== 'scheduled' && show.status !== 'queue_open')) return null;
  const zone = show.venue.timeZone;
  const preQueue = show.queueOpensAt < show.onSaleAt;
  const label = next.becomes === 'queue_open' ? t('saleInfo.preQueueIn') : t('saleInfo.onSaleIn');
  const left = msUntil(next.at);
  return (
    <div className="sale-countdown" data-testid="sale-countdown" data-becomes={next.becomes}>
      <span className="sale-countdown-label">{label}</span>
      <span className="sale-countdown-clock" role="timer" aria-label={t('saleInfo.clock', { label, time: countdownText(t, left) })} data-testid="sale-countdown-clock">
        {left > 0 ? countdownText(t, left) : t('saleInfo.opening')}
      </span>
      <span className="sale-countdown-when muted small">
        {preQueue && show.status === 'scheduled' && t('saleInfo.preQueueAt', { date: formatDateTime(show.queueOpensAt, zone) })}
        {t('saleInfo.onSaleAt', { date: formatDateTime(show.onSaleAt, zone) })}
      </span>
      {show.status === 'queue_open' && <span className="small">{t('saleInfo.joinNow')}</span>}
    </div>
  );
}

/** Links to .ics files: the on-sale (while it is still to come) and the show. */
export function CalendarLinks({ show }: { show: ShowSummary }) {
  const { t } = useTranslation();
  const saleToCome = show.status === 'scheduled' || show.status === 'queue_open';
  return (
    <p className="calendar-links small">
      {saleToCome && (
        <a href={api.calendarUrl(show.id, 'onsale')} download data-testid="calendar-onsale">
          {t('saleInfo.calendarSale')}
        </a>
      )}
      {show.status !== 'ended' && (
        <a href={api.calendarUrl(show.id, 'show')} download data-testid="calendar-show">
          {t('saleInfo.calendarShow')}
        </a>
      )}
    </p>
  );
}

/** The price range and the venue's address, for anyone deciding whether to queue. */
export function ShowFacts({ show }: { show: ShowDetail }) {
  const { t } = useTranslation();
  const prices = priceRange(show);
  const address = [show.venue.address, show.venue.city].filter((s) => s.trim()).join(', ');
  return (
    <p className="show-facts small">
      {prices && (
        <span data-testid="price-range">
          {t('saleInfo.tickets', { prices })}
        </span>
      )}
      {address && <span data-testid="venue-address">{show.venue.name} · {address}</span>}
    </p>
  );
}
