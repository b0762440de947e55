import { Link } from 'react-router-dom';
import { ShowStatusBadge } from '../../components/Badge.js';
import { RetryableError } from '../../components/ErrorMessage.js';
import { EventImage } from '../../components/EventImage.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, type AdminEvent, type AdminShow } from '../../lib/api.js';
import { formatCount, formatDateTime, formatDurationWords, plural } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader } from './admin-ui.js';

export function EventsOverview() {
  useDocumentTitle('Events & shows · Console');
  const events = useLoad(() => adminApi.events(), []);

  return (
    <div className="console-page">
      <ConsoleHeader
        eyebrow="Console"
        title="Events & shows"
        actions={
          <Link to="/admin/events/new" className="btn btn-primary" data-testid="new-event-button">
            + New event
          </Link>
        }
      >
        Everything on sale and coming up. Open a show's live dashboard while it sells.
      </ConsoleHeader>

      {events.status === 'loading' && <Spinner label="Loading events…" />}
      {events.status === 'error' && (
        <RetryableError error={events.error} onRetry={events.reload} />
      )}
      {events.status === 'ok' && (
        <>
          <Summary events={events.data.events} />
          {events.data.events.length === 0 ? (
            <div className="empty-state card">
              <p className="empty-state-title">No events yet</p>
              <p className="muted">Create an event, then add its shows at your venues.</p>
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
  const shows = events.flatMap((e) => e.shows);
  const onSale = shows.filter((s) => s.status === 'on_sale').length;
  const upcoming = shows.filter((s) => s.status === 'scheduled').length;
  const totals = shows.reduce(
    (t, s) => {
      const x = seatTotals(s);
      return { seats: t.seats + x.seats, taken: t.taken + x.taken };
    },
    { seats: 0, taken: 0 },
  );
  return (
    <div className="kpi-row">
      <Kpi label="Events" value={formatCount(events.length)} />
      <Kpi label="On sale now" value={formatCount(onSale)} sub={`${plural(upcoming, 'show')} coming up`} />
      <Kpi label="Shows" value={formatCount(shows.length)} />
      <Kpi
        label="Seats sold or held"
        value={formatCount(totals.taken)}
        sub={totals.seats ? `${Math.round((totals.taken / totals.seats) * 100)}% of ${formatCount(totals.seats)}` : undefined}
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
            {event.artist} · {plural(shows.length, 'show')}
          </p>
        </div>
        <div className="admin-event-actions">
          <Link to={`/events/${event.id}`} className="btn btn-ghost btn-sm">
            Public page
          </Link>
          <Link to={`/admin/events/${event.id}`} className="btn btn-secondary btn-sm" data-testid="edit-event-link">
            Edit &amp; shows
          </Link>
        </div>
      </div>
      {shows.length === 0 ? (
        <p className="muted admin-event-noshows">
          No shows yet. <Link to={`/admin/events/${event.id}#new-show`}>Add the first show</Link>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Venue</th>
                <th scope="col">Status</th>
                <th scope="col">Selling page</th>
                <th scope="col">Sold or held</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
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
  const t = seatTotals(show);
  const pct = t.seats ? t.taken / t.seats : 0;
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
        {formatCount(show.pageCapacity)} at a time · {formatDurationWords(show.purchaseWindowSeconds)}
      </td>
      <td>
        <div className="mini-meter" title={`${formatCount(t.taken)} of ${formatCount(t.seats)}`}>
          <span style={{ width: `${Math.round(pct * 100)}%` }} />
        </div>
        <span className="small">
          {formatCount(t.taken)} <span className="muted">/ {formatCount(t.seats)}</span>
        </span>
      </td>
      <td className="row-actions">
        <Link to={`/admin/shows/${show.id}`} className="btn btn-primary btn-sm" data-testid="dashboard-link">
          Live dashboard
        </Link>
      </td>
    </tr>
  );
}
