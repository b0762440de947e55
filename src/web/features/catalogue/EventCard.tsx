import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { EventSummary } from '../../../shared/api.js';
import { Badge } from '../../components/Badge.js';
import { EventImage } from '../../components/EventImage.js';
import { dateChip, formatDateTime, formatShortDate } from '../../lib/format.js';

export function EventCard({ event }: { event: EventSummary }) {
  const { t } = useTranslation();
  const zone = event.firstShowTimeZone ?? undefined;
  const chip = event.firstShowAt ? dateChip(event.firstShowAt, zone) : null;
  return (
    <article className="event-card" data-testid="event-card" data-event-id={event.id}>
      <Link to={`/events/${event.id}`} className="event-card-link">
        <div className="event-card-media">
          <EventImage src={event.imageUrl} title={event.title} />
          {event.onSale && (
            <span className="event-card-badge">
              <Badge tone="green">{t('status.show.onSale')}</Badge>
            </span>
          )}
          {!event.onSale && event.nextOnSaleAt && (
            <span className="event-card-badge" data-testid="badge-on-sale-soon">
              <Badge tone="blue">
                <Trans
                  i18nKey="event.onSaleFrom"
                  values={{ date: formatShortDate(event.nextOnSaleAt, zone) }}
                  components={{ time: <time dateTime={event.nextOnSaleAt} /> }}
                />
              </Badge>
            </span>
          )}
        </div>
        <div className="event-card-body">
          {chip && (
            <div className="date-chip" aria-hidden="true">
              <span className="date-chip-month">{chip.month}</span>
              <span className="date-chip-day">{chip.day}</span>
            </div>
          )}
          <div className="event-card-text">
            <h3 className="event-card-title">{event.title}</h3>
            <p className="event-card-artist">{event.artist}</p>
            <p className="event-card-date">
              {event.firstShowAt ? (
                <time dateTime={event.firstShowAt}>{formatDateTime(event.firstShowAt, zone)}</time>
              ) : (
                t('event.datesTba')
              )}
            </p>
          </div>
        </div>
      </Link>
    </article>
  );
}

export function EventCardSkeleton() {
  return (
    <div className="event-card skeleton-card" aria-hidden="true">
      <div className="event-card-media skeleton" />
      <div className="event-card-body">
        <div className="skeleton skeleton-line" style={{ width: '70%' }} />
        <div className="skeleton skeleton-line" style={{ width: '45%' }} />
      </div>
    </div>
  );
}
