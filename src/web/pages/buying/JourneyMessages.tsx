import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ShowDetail } from '../../../shared/api.js';
import { PageMessage } from '../../components/PageMessage.js';
import type { ApiError } from '../../lib/api.js';
import { durationWords } from '../../i18n/durations.js';
import { formatDateTime } from '../../lib/format.js';
import { serverNow } from '../../lib/server-clock.js';
import type { EndedReason } from '../../lib/journey-memory.js';

/** The page's heading (and the tab's title) once a turn ended. */
export function endedTitle(t: TFunction, reason: EndedReason): string {
  const titles: Record<EndedReason, string> = {
    expired: t('journey.ended.expired'),
    removed: t('journey.ended.removed'),
    left: t('journey.ended.left'),
    not_admitted: t('journey.ended.not_admitted'),
    sold_out: t('journey.ended.sold_out'),
    purchased: t('journey.ended.purchased'),
  };
  return titles[reason];
}

/** Why the turn is over, and the way back in: never a blank page. */
export function EndedView({
  show,
  reason,
  eventLink,
  onRejoin,
}: {
  show: ShowDetail;
  reason: EndedReason;
  eventLink: string;
  onRejoin: () => void;
}) {
  const { t } = useTranslation();
  const copy: Record<EndedReason, { body: string; icon: 'clock' | 'info' | 'ticket' }> = {
    expired: { icon: 'clock', body: t('journey.ended.expiredText', { duration: durationWords(t, show.purchaseWindowSeconds) }) },
    removed: { icon: 'info', body: t('journey.ended.removedText') },
    left: { icon: 'info', body: t('journey.ended.leftText') },
    not_admitted: { icon: 'clock', body: t('journey.ended.notAdmittedText') },
    sold_out: { icon: 'info', body: t('journey.ended.soldOutText') },
    purchased: { icon: 'ticket', body: t('journey.ended.purchasedText') },
  };
  // A turn that ended because the show began (every wait and admission ends then) is not a time that ran out.
  const started = reason === 'expired' && Date.parse(show.startsAt) <= serverNow();
  const c = started
    ? { icon: 'info' as const, body: t('journey.ended.showStartedText'), title: t('journey.refused.SALE_ENDED') }
    : { ...copy[reason], title: endedTitle(t, reason) };
  return (
    <div className="container narrow">
      <PageMessage
        icon={c.icon}
        title={c.title}
        actions={
          started ? (
            <Link to={eventLink} className="btn btn-secondary">
              {t('journey.backToEvent')}
            </Link>
          ) : reason === 'purchased' ? (
            <>
              <Link to="/profile" className="btn btn-primary">
                {t('journey.seeTickets')}
              </Link>
              <Link to={eventLink} className="btn btn-secondary">
                {t('journey.backToEvent')}
              </Link>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-primary" onClick={onRejoin} data-testid="rejoin-button">
                {t('journey.rejoin')}
              </button>
              <Link to={eventLink} className="btn btn-secondary">
                {t('journey.backToEvent')}
              </Link>
            </>
          )
        }
      >
        <p data-testid="ended-reason" data-reason={started ? 'show_started' : reason}>
          {c.body}
        </p>
        {!started && reason !== 'purchased' && reason !== 'sold_out' && <p className="muted">{t('journey.ended.again')}</p>}
      </PageMessage>
    </div>
  );
}

/** The page's heading (and the tab's title) for a refused join. */
export function refusedTitle(t: TFunction, code: ApiError['code']): string {
  const titles: Partial<Record<ApiError['code'], string>> = {
    NOT_ON_SALE: t('journey.refused.NOT_ON_SALE'),
    SALE_ENDED: t('journey.refused.SALE_ENDED'),
    SOLD_OUT: t('journey.refused.SOLD_OUT'),
    TICKET_LIMIT_REACHED: t('journey.refused.TICKET_LIMIT_REACHED'),
    NOT_FOUND: t('journey.refused.NOT_FOUND'),
  };
  return titles[code] ?? t('journey.refused.other');
}

/** The join was refused (ended, sold out, limit reached...; "not on sale yet" is the page before the sale). */
export function RefusedView({ show, error, eventLink }: { show: ShowDetail; error: ApiError; eventLink: string }) {
  const { t } = useTranslation();
  const title = refusedTitle(t, error.code);
  return (
    <div className="container narrow">
      <PageMessage
        icon={error.code === 'TICKET_LIMIT_REACHED' ? 'ticket' : 'info'}
        title={title}
        actions={
          <>
            <Link to={eventLink} className="btn btn-primary">
              {t('journey.backToEvent')}
            </Link>
            {error.code === 'TICKET_LIMIT_REACHED' && (
              <Link to="/profile" className="btn btn-secondary">
                {t('journey.seeTickets')}
              </Link>
            )}
          </>
        }
      >
        <p className="refusal" data-testid="error-message" data-code={error.code} role="alert">
          {error.message}
        </p>
        {error.code === 'NOT_ON_SALE' && <p className="muted">{t('journey.onSaleAt', { date: formatDateTime(show.onSaleAt, show.venue.timeZone) })}</p>}
        {error.code === 'TICKET_LIMIT_REACHED' && (
          <p className="muted">{t('journey.limit', { count: show.maxTicketsPerAccount })}</p>
        )}
      </PageMessage>
    </div>
  );
}
