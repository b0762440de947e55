import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { ShowSummary } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ShowStatusBadge } from '../../components/Badge.js';
import { EventImage } from '../../components/EventImage.js';
import { LoadError } from '../../components/LoadError.js';
import { RichText } from '../../components/RichText.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { dateChip, formatDate, formatDateTime, formatTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { useReloadAtMoments } from '../../lib/sale-moments.js';
import { CalendarLinks, SaleCountdown, ShowFacts } from './SaleInfo.js';

export function EventPage() {
  const { t } = useTranslation();
  const eventId = (useParams().eventId ?? '').toLowerCase();
  const loaded = useLoad(() => api.event(eventId), [eventId]);
  useDocumentTitle(loaded.status === 'ok' ? loaded.data.event.title : undefined);

  if (loaded.status === 'loading') return <Spinner label={t('event.loading')} />;
  if (loaded.status === 'error') {
    return <LoadError error={loaded.error} what={t('event.what')} missingText={t('event.missing')} reload={loaded.reload} />;
  }

  const { event } = loaded.data;
  const shows = [...event.shows].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  return (
    <article className="event-page">
      <div className="event-hero">
        <div className="event-hero-backdrop" aria-hidden="true">
          <EventImage src={event.imageUrl} title={event.title} />
        </div>
        <div className="container event-hero-inner">
          <div className="event-hero-poster">
            <EventImage src={event.imageUrl} title={event.title} />
          </div>
          <div className="event-hero-text">
            <p className="eyebrow">{event.artist}</p>
            <h1 className="event-title">{event.title}</h1>
            {shows[0] && (
              <p className="event-hero-meta">
                {shows.length === 1
                  ? t('event.oneShow', { date: formatDate(shows[0].startsAt, shows[0].venue.timeZone), venue: shows[0].venue.name, city: shows[0].venue.city })
                  : t('event.manyShows', { count: shows.length, date: formatDate(shows[0].startsAt, shows[0].venue.timeZone) })}
              </p>
            )}
            <a href="#shows" className="btn btn-primary btn-lg event-hero-cta">
              {t('event.seeDates')}
            </a>
          </div>
        </div>
      </div>

      <div className="container event-body">
        <section className="event-about" aria-labelledby="about-title">
          <h2 id="about-title" className="section-title">
            {t('event.about')}
          </h2>
          {event.description.trim() ? (
            <RichText text={event.description} className="event-description" />
          ) : (
            <p className="muted">{t('event.noDescription')}</p>
          )}
        </section>

        <section id="shows" className="event-shows" aria-labelledby="shows-title">
          <h2 id="shows-title" className="section-title">
            {t('event.dates')}
          </h2>
          {shows.length === 0 ? (
            <p className="muted">{t('event.noDates')}</p>
          ) : (
            <ul className="show-list">
              {shows.map((s) => (
                <ShowRow key={s.id} show={s} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </article>
  );
}

function ShowRow({ show: summary }: { show: ShowSummary }) {
  const { user } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  // The show itself (prices, address, and its status read again at each moment of the sale).
  const detail = useLoad(() => api.show(summary.id), [summary.id]);
  const show: ShowSummary = detail.status === 'ok' ? detail.data.show : summary;
  useReloadAtMoments(show, detail.reload);
  const zone = show.venue.timeZone;
  const chip = dateChip(show.startsAt, zone);
  const label =
    show.status === 'scheduled'
      ? t('event.onSaleAt', { date: formatDateTime(show.onSaleAt, zone) })
      : show.status === 'queue_open'
        ? t('event.joinPreQueue')
        : show.status === 'ended'
          ? t('status.show.ended')
          : show.status === 'sold_out'
            ? t('status.show.soldOut')
            : t('event.buy');
  const canBuy = show.status === 'on_sale' || show.status === 'queue_open';

  function buy() {
    const target = `/shows/${show.id}`;
    if (!user) navigate(`/login?next=${encodeURIComponent(target)}`);
    else navigate(target, { state: { join: true } });
  }

  return (
    <li className="show-row card" data-testid="show-row" data-show-id={show.id} data-status={show.status}>
      <div className="date-chip date-chip-lg" aria-hidden="true">
        <span className="date-chip-month">{chip.month}</span>
        <span className="date-chip-day">{chip.day}</span>
      </div>
      <div className="show-row-info">
        <p className="show-row-when">
          <time dateTime={show.startsAt}>
            {formatDate(show.startsAt, zone)} · {formatTime(show.startsAt, zone)}
          </time>
        </p>
        <p className="show-row-where">
          {show.venue.name} · {show.venue.city}
        </p>
        <ShowStatusBadge status={show.status} />
        {detail.status === 'ok' && <ShowFacts show={detail.data.show} />}
        <SaleCountdown show={show} />
        <CalendarLinks show={show} />
      </div>
      <button
        type="button"
        className={`btn ${canBuy ? 'btn-primary' : 'btn-disabled'} show-row-buy`}
        disabled={!canBuy}
        onClick={buy}
        data-testid="buy-button"
        aria-label={canBuy ? t('event.buyFor', { label, date: formatDate(show.startsAt, zone), venue: show.venue.name }) : undefined}
      >
        {label}
      </button>
    </li>
  );
}
