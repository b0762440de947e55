import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ShowStatusBadge } from '../../components/Badge.js';
import { Notice, RetryableError } from '../../components/ErrorMessage.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, type AdminShow, type AdminVenue } from '../../lib/api.js';
import { formatCount, formatDateTime, formatDurationWords, formatMoney } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel } from './admin-ui.js';
import { EventForm } from './EventForm.js';
import { seatTotals } from './EventsOverview.js';
import { ShowForm } from './ShowForm.js';

export function NewEventPage() {
  useDocumentTitle('New event · Console');
  const navigate = useNavigate();
  return (
    <div className="console-page">
      <ConsoleHeader eyebrow={<Link to="/admin">← Events &amp; shows</Link>} title="New event">
        An event is what fans see in the catalogue; add its shows (dates at venues) next.
      </ConsoleHeader>
      <Panel>
        <EventForm
          submitLabel="Create event"
          onSubmit={async (body) => {
            const r = await adminApi.createEvent({ title: body.title ?? '', artist: body.artist ?? '', description: body.description, ...(body.imageUrl ? { imageUrl: body.imageUrl } : {}) });
            navigate(`/admin/events/${r.event.id}`, { state: { created: true } });
          }}
          onCancel={() => navigate('/admin')}
        />
      </Panel>
    </div>
  );
}

export function EventEditPage() {
  const eventId = (useParams().eventId ?? '').toLowerCase();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const data = useLoad(async () => {
    const [events, venues] = await Promise.all([adminApi.events(), adminApi.venues().catch(() => ({ venues: [] as AdminVenue[] }))]);
    return { event: events.events.find((e) => e.id === eventId), venues: venues.venues };
  }, [eventId]);
  const event = data.status === 'ok' ? data.data.event : undefined;
  useDocumentTitle(event ? `${event.title} · Console` : 'Event · Console');
  const [editingShow, setEditingShow] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(justCreated ? 'Event created. Now add its first show.' : null);

  // Links to #new-show land on the form once it is there.
  useEffect(() => {
    if (data.status === 'ok' && location.hash === '#new-show') document.getElementById('new-show')?.scrollIntoView();
  }, [data.status, location.hash]);

  if (data.status === 'loading') return <Spinner label="Loading the event…" />;
  if (data.status === 'error') {
    return (
      <RetryableError error={data.error} onRetry={data.reload} />
    );
  }
  if (!event) {
    return (
      <PageMessage
        icon="error"
        title="Event not found"
        actions={
          <Link to="/admin" className="btn btn-primary">
            Events &amp; shows
          </Link>
        }
      >
        <p>This event does not exist.</p>
      </PageMessage>
    );
  }

  const { venues } = data.data;
  const shows = [...event.shows].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  return (
    <div className="console-page">
      <ConsoleHeader
        eyebrow={<Link to="/admin">← Events &amp; shows</Link>}
        title={event.title}
        actions={
          <Link to={`/events/${event.id}`} className="btn btn-secondary">
            Public page
          </Link>
        }
      >
        {event.artist}
      </ConsoleHeader>
      {notice && <Notice tone="success">{notice}</Notice>}

      <Panel title="Event details" id="event-details">
        <EventForm
          key={event.id}
          initial={event}
          submitLabel="Save changes"
          onSubmit={async (body) => {
            await adminApi.updateEvent(event.id, body);
            setNotice(null);
            data.reload();
          }}
        />
      </Panel>

      <Panel title={`Shows (${shows.length})`} id="event-shows">
        {shows.length === 0 ? (
          <p className="muted">No shows yet: add one below.</p>
        ) : (
          <ul className="admin-show-list">
            {shows.map((s) => (
              <li key={s.id} className="admin-show" data-testid="admin-show" data-show-id={s.id} id={`show-${s.id}`}>
                <ShowSummaryLine show={s} onEdit={() => setEditingShow(editingShow === s.id ? null : s.id)} editing={editingShow === s.id} />
                {editingShow === s.id && (
                  <div className="admin-show-edit">
                    <ShowForm
                      eventId={event.id}
                      venues={venues}
                      show={s}
                      onUpdate={async (body) => {
                        if (Object.keys(body).length > 0) await adminApi.updateShow(s.id, body);
                        setEditingShow(null);
                        setNotice('Show saved.');
                        data.reload();
                      }}
                      onCancel={() => setEditingShow(null)}
                    />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel title="Add a show" id="new-show">
        {venues.length === 0 ? (
          <p className="muted">
            Create a venue first: <Link to="/admin/venues">Venues</Link>.
          </p>
        ) : (
          <NewShow
            eventId={event.id}
            venues={venues}
            onCreated={() => {
              setNotice('Show created.');
              data.reload();
            }}
          />
        )}
      </Panel>
    </div>
  );
}

function NewShow({ eventId, venues, onCreated }: { eventId: string; venues: AdminVenue[]; onCreated: () => void }) {
  // A fresh form after each creation.
  const [round, setRound] = useState(0);
  return (
    <ShowForm
      key={round}
      eventId={eventId}
      venues={venues}
      onCreate={async (body) => {
        await adminApi.createShow(body);
        setRound((n) => n + 1);
        onCreated();
      }}
    />
  );
}

function ShowSummaryLine({ show, onEdit, editing }: { show: AdminShow; onEdit: () => void; editing: boolean }) {
  const t = seatTotals(show);
  const prices = [...new Set(show.areas.map((a) => a.price))].sort((a, b) => b - a);
  const currency = show.areas[0]?.currency ?? 'TWD';
  return (
    <div className="admin-show-line">
      <div className="admin-show-when">
        <strong>
          <time dateTime={show.startsAt}>{formatDateTime(show.startsAt, show.venue.timeZone)}</time>
        </strong>
        <span className="muted small">
          {show.venue.name} · sale opens {formatDateTime(show.onSaleAt, show.venue.timeZone)}
        </span>
      </div>
      <ShowStatusBadge status={show.status} />
      <div className="admin-show-facts small">
        <span>{formatCount(show.pageCapacity)} at a time</span>
        <span>{formatDurationWords(show.purchaseWindowSeconds)} to buy</span>
        <span>max {show.maxTicketsPerAccount} per fan</span>
        <span>{prices.map((p) => formatMoney(p, currency)).join(' / ')}</span>
        <span>
          {formatCount(t.taken)} / {formatCount(t.seats)} sold or held
        </span>
      </div>
      <div className="row-actions">
        <button type="button" className="btn btn-secondary btn-sm" onClick={onEdit} aria-expanded={editing} data-testid="edit-show-button">
          {editing ? 'Close' : 'Edit'}
        </button>
        <Link to={`/admin/shows/${show.id}`} className="btn btn-primary btn-sm" data-testid="dashboard-link">
          Live dashboard
        </Link>
      </div>
    </div>
  );
}
