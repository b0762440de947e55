import { Link, useSearchParams } from 'react-router-dom';
import { RetryableError } from '../../components/ErrorMessage.js';
import { api } from '../../lib/api.js';
import { plural } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { EventCard, EventCardSkeleton } from './EventCard.js';

export function HomePage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  useDocumentTitle(q ? `Search: ${q}` : '');
  const events = useLoad(() => api.events(q || undefined), [q]);

  return (
    <>
      {!q && (
        <section className="hero">
          <div className="container hero-inner">
            <p className="eyebrow">Live music, fairly sold</p>
            <h1 className="hero-title">Your next night out starts here.</h1>
            <p className="hero-lead">
              Everyone gets a fair place in line. When it is your turn, you have time to pick your seats on a live
              map — no refresh wars.
            </p>
            <ol className="hero-steps" aria-label="How buying works">
              <li>
                <span className="hero-step-num">1</span>
                <span>
                  <strong>Join the line</strong> — your place is kept, with a live wait estimate.
                </span>
              </li>
              <li>
                <span className="hero-step-num">2</span>
                <span>
                  <strong>Pick your seats</strong> on a map that updates as others choose.
                </span>
              </li>
              <li>
                <span className="hero-step-num">3</span>
                <span>
                  <strong>Pay and go</strong> — your QR tickets are ready at once.
                </span>
              </li>
            </ol>
          </div>
        </section>
      )}
      <div className="container section">
        <div className="section-head">
          <h2 className="section-title" aria-live="polite">
            {q ? <>Results for “{q}”</> : 'Upcoming events'}
          </h2>
          {events.status === 'ok' && (
            <span className="muted">{plural(events.data.events.length, 'event')}</span>
          )}
        </div>
        {events.status === 'error' && (
          <RetryableError error={events.error} onRetry={events.reload} />
        )}
        {events.status === 'loading' && (
          <div className="event-grid" aria-busy="true">
            {Array.from({ length: 6 }, (_, i) => (
              <EventCardSkeleton key={i} />
            ))}
          </div>
        )}
        {events.status === 'ok' && events.data.events.length === 0 && (
          <div className="empty-state card">
            <p className="empty-state-title">{q ? `No events match “${q}”.` : 'No events yet.'}</p>
            <p className="muted">
              {q ? 'Try another artist or title.' : 'New shows will appear here as soon as they are announced.'}
            </p>
            {q && (
              <Link to="/" className="btn btn-secondary">
                Show all events
              </Link>
            )}
          </div>
        )}
        {events.status === 'ok' && events.data.events.length > 0 && (
          <div className="event-grid">
            {events.data.events.map((e) => (
              <EventCard key={e.id} event={e} />
            ))}
          </div>
        )}
      </div>
    </>
  );
}
