import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ShowStatusBadge } from '../../components/Badge.js';
import { Notice, RetryableError } from '../../components/ErrorMessage.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, type AdminShow, type AdminVenue } from '../../lib/api.js';
import { formatDateTime, formatMoney } from '../../lib/format.js';
import { durationWords } from '../../i18n/durations.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel } from './admin-ui.js';
import { EventForm } from './EventForm.js';
import { seatTotals } from './EventsOverview.js';
import { ShowForm } from './ShowForm.js';

export function NewEventPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.pageTitle', { title: t('admin.event.newEvent') }));
  const navigate = useNavigate();
  return (
    <div className="console-page">
      <ConsoleHeader eyebrow={<Link to="/admin">{t('admin.backLink')}</Link>} title={t('admin.event.newEvent')}>
        {t('admin.event.newEventLead')}
      </ConsoleHeader>
      <Panel>
        <EventForm
          submitLabel={t('admin.event.create')}
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
  const { t } = useTranslation();
  const eventId = (useParams().eventId ?? '').toLowerCase();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const data = useLoad(async () => {
    const [events, venues] = await Promise.all([adminApi.events(), adminApi.venues().catch(() => ({ venues: [] as AdminVenue[] }))]);
    return { event: events.events.find((e) => e.id === eventId), venues: venues.venues };
  }, [eventId]);
  const event = data.status === 'ok' ? data.data.event : undefined;
  useDocumentTitle(t('admin.pageTitle', { title: event ? event.title : t('admin.event.fallbackTitle') }));
  const [editingShow, setEditingShow] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(justCreated ? t('admin.event.created') : null);

  // Links to #new-show land on the form once it is there.
  useEffect(() => {
    if (data.status === 'ok' && location.hash === '#new-show') document.getElementById('new-show')?.scrollIntoView();
  }, [data.status, location.hash]);

  if (data.status === 'loading') return <Spinner label={t('admin.event.loading')} />;
  if (data.status === 'error') {
    return (
      <RetryableError error={data.error} onRetry={data.reload} />
    );
  }
  if (!event) {
    return (
      <PageMessage
        icon="error"
        title={t('admin.event.notFound')}
        actions={
          <Link to="/admin" className="btn btn-primary">
            {t('admin.nav.events')}
          </Link>
        }
      >
        <p>{t('admin.event.noSuchEvent')}</p>
      </PageMessage>
    );
  }

  const { venues } = data.data;
  const shows = [...event.shows].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  return (
    <div className="console-page">
      <ConsoleHeader
        eyebrow={<Link to="/admin">{t('admin.backLink')}</Link>}
        title={event.title}
        actions={
          <Link to={`/events/${event.id}`} className="btn btn-secondary">
            {t('admin.publicPage')}
          </Link>
        }
      >
        {event.artist}
      </ConsoleHeader>
      {notice && <Notice tone="success">{notice}</Notice>}

      <Panel title={t('admin.event.details')} id="event-details">
        <EventForm
          key={event.id}
          initial={event}
          submitLabel={t('admin.event.saveChanges')}
          onSubmit={async (body) => {
            await adminApi.updateEvent(event.id, body);
            setNotice(null);
            data.reload();
          }}
        />
      </Panel>

      <Panel title={t('admin.event.shows', { count: shows.length })} id="event-shows">
        {shows.length === 0 ? (
          <p className="muted">{t('admin.event.noShows')}</p>
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
                        setNotice(t('admin.event.showSaved'));
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

      <Panel title={t('admin.event.addShow')} id="new-show">
        {venues.length === 0 ? (
          <p className="muted">
            <Trans i18nKey="admin.event.venueFirst" components={{ link: <Link to="/admin/venues" /> }} />
          </p>
        ) : (
          <NewShow
            eventId={event.id}
            venues={venues}
            onCreated={() => {
              setNotice(t('admin.event.showCreated'));
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
  const { t } = useTranslation();
  const totals = seatTotals(show);
  const prices = [...new Set(show.areas.map((a) => a.price))].sort((a, b) => b - a);
  const currency = show.areas[0]?.currency ?? 'TWD';
  return (
    <div className="admin-show-line">
      <div className="admin-show-when">
        <strong>
          <time dateTime={show.startsAt}>{formatDateTime(show.startsAt, show.venue.timeZone)}</time>
        </strong>
        <span className="muted small">
          {t('admin.event.saleOpens', { venue: show.venue.name, date: formatDateTime(show.onSaleAt, show.venue.timeZone) })}
        </span>
      </div>
      <ShowStatusBadge status={show.status} />
      <div className="admin-show-facts small">
        <span>{t('admin.atATime', { count: show.pageCapacity })}</span>
        <span>{t('admin.event.toBuy', { duration: durationWords(t, show.purchaseWindowSeconds) })}</span>
        <span>{t('admin.event.maxPerFan', { count: show.maxTicketsPerAccount })}</span>
        <span>{prices.map((p) => formatMoney(p, currency)).join(' / ')}</span>
        <span>{t('admin.event.soldOrHeld', { taken: totals.taken, seats: totals.seats })}</span>
      </div>
      <div className="row-actions">
        <button type="button" className="btn btn-secondary btn-sm" onClick={onEdit} aria-expanded={editing} data-testid="edit-show-button">
          {editing ? t('admin.event.close') : t('admin.event.edit')}
        </button>
        <Link to={`/admin/shows/${show.id}`} className="btn btn-primary btn-sm" data-testid="dashboard-link">
          {t('admin.dashboard.title')}
        </Link>
      </div>
    </div>
  );
}
