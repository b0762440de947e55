import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ShowStatusBadge } from '../../components/Badge.js';
import { RetryableError } from '../../components/ErrorMessage.js';
import { EventImage } from '../../components/EventImage.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, type AdminEvent, type AdminShow } from '../../lib/api.js';
import { formatCount, formatDateTime } from '../../lib/format.js';
import { durationWords } from '../../i18n/durations.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader } from './admin-ui.js';

export function EventsOverview() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.pageTitle', { title: t('admin.nav.events') }));
  const events = useLoad(() => adminApi.events(), []);

  return (
    <div className="console-page">
      <ConsoleHeader
        eyebrow={t('admin.console')}
        title={t('admin.nav.events')}
        actions={
          <Link to="/admin/events/new" className="btn btn-primary" data-testid="new-event-button">
            {t('admin.overview.newEvent')}
          </Link>
        }
      >
        {t('admin.overview.lead')}
      </ConsoleHeader>

      {events.status === 'loading' && <Spinner label={t('admin.overview.loading')} />}
      {events.status === 'error' && (
        <RetryableError error={events.error} onRetry={events.reload} />
      )}
      {events.status === 'ok' && (
        <>
          <Summary events={events.data.events} />
          {events.data.events.length === 0 ? (
            <div className="empty-state card">
              <p className="empty-state-title">{t('admin.overview.noEvents')}</p>
              <p className="muted">{t('admin.overview.noEventsText')}</p>
            </div>
          ) : (
            <div className="admin-event-list">
              {sortEvents(events.data.events).map((e) => (
                <EventBlock key={e.id} event={e} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}

const firstShowAt = (e: AdminEvent) => Math.min(...e.shows.map((s) => Date.parse(s.startsAt)), Number.POSITIVE_INFINITY);
const sortEvents = (events: AdminEvent[]) => [...events].sort((a, b) => firstShowAt(a) - firstShowAt(b) || a.title.localeCompare(b.title));

export const seatTotals = (s: AdminShow) => {
  const seats = s.areas.reduce((n, a) => n + a.seatCount, 0);
  const available = s.areas.reduce((n, a) => n + a.availableCount, 0);
  return { seats, available, taken: seats - available };
};

function Summary({ events }: { events: AdminEvent[] }) {
  const { t } = useTranslation();
  const shows = events.flatMap((e) => e.shows);
  const onSale = shows.filter((s) => s.status === 'on_sale').length;
  const upcoming = shows.filter((s) => s.status === 'scheduled').length;
  const totals = shows.reduce(
    (sum, s) => {
      const x = seatTotals(s);
      return { seats: sum.seats + x.seats, taken: sum.taken + x.taken };
    },
    { seats: 0, taken: 0 },
  );
  return (
    <div className="kpi-row">
      <Kpi label={t('admin.overview.events')} value={formatCount(events.length)} />
      <Kpi label={t('admin.overview.onSale')} value={formatCount(onSale)} sub={t('admin.overview.comingUp', { count: upcoming })} />
      <Kpi label={t('admin.overview.shows')} value={formatCount(shows.length)} />
      <Kpi
        label={t('admin.overview.taken')}
        value={formatCount(totals.taken)}
        sub={totals.seats ? t('admin.overview.takenOf', { pct: Math.round((totals.taken / totals.seats) * 100), total: totals.seats }) : undefined}
      />
    </div>
  );
}

function Kpi({ label, value, sub }: { label: string; value: string; sub?: string | undefined }) {
  return (
    <div className="kpi card">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {sub && <span className="kpi-sub muted">{sub}</span>}
    </div>
  );
}

function EventBlock({ event }: { event: AdminEvent }) {
  const { t } = useTranslation();
  const shows = [...event.shows].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return (
    <article className="admin-event card" data-testid="admin-event" data-event-id={event.id}>
      <div className="admin-event-head">
        <div className="admin-event-thumb">
          <EventImage src={event.imageUrl} title={event.title} />
        </div>
        <div className="admin-event-text">
          <h2 className="admin-event-title">
            <Link to={`/admin/events/${event.id}`}>{event.title}</Link>
          </h2>
          <p className="muted">
            {event.artist} · {t('admin.overview.showCount', { count: shows.length })}
          </p>
        </div>
        <div className="admin-event-actions">
          <Link to={`/events/${event.id}`} className="btn btn-ghost btn-sm">
            {t('admin.publicPage')}
          </Link>
          <Link to={`/admin/events/${event.id}`} className="btn btn-secondary btn-sm" data-testid="edit-event-link">
            {t('admin.overview.editShows')}
          </Link>
        </div>
      </div>
      {shows.length === 0 ? (
        <p className="muted admin-event-noshows">
          <Trans i18nKey="admin.overview.noShows" components={{ link: <Link to={`/admin/events/${event.id}#new-show`} /> }} />
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.overview.date')}</th>
                <th scope="col">{t('admin.overview.venue')}</th>
                <th scope="col">{t('admin.overview.status')}</th>
                <th scope="col">{t('admin.overview.sellingPage')}</th>
                <th scope="col">{t('admin.overview.soldOrHeld')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.overview.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shows.map((s) => (
                <ShowLine key={s.id} show={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

function ShowLine({ show }: { show: AdminShow }) {
  const { t } = useTranslation();
  const totals = seatTotals(show);
  const pct = totals.seats ? totals.taken / totals.seats : 0;
  return (
    <tr data-testid="admin-show-row" data-show-id={show.id}>
      <td>
        <time dateTime={show.startsAt}>{formatDateTime(show.startsAt, show.venue.timeZone)}</time>
      </td>
      <td>
        {show.venue.name}
        <span className="muted small"> · {show.venue.city}</span>
      </td>
      <td>
        <ShowStatusBadge status={show.status} />
      </td>
      <td className="muted small">
        {t('admin.atATime', { count: show.pageCapacity })} · {durationWords(t, show.purchaseWindowSeconds)}
      </td>
      <td>
        <div className="mini-meter" title={t('admin.overview.takenOfSeats', { taken: totals.taken, seats: totals.seats })}>
          <span style={{ width: `${Math.round(pct * 100)}%` }} />
        </div>
        <span className="small">
          {formatCount(totals.taken)} <span className="muted">/ {formatCount(totals.seats)}</span>
        </span>
      </td>
      <td className="row-actions">
        <Link to={`/admin/shows/${show.id}`} className="btn btn-primary btn-sm" data-testid="dashboard-link">
          {t('admin.dashboard.title')}
        </Link>
      </td>
    </tr>
  );
}
