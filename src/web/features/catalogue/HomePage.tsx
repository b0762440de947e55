import { Trans, useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { RetryableError } from '../../components/ErrorMessage.js';
import { api } from '../../lib/api.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { EventCard, EventCardSkeleton } from './EventCard.js';

export function HomePage() {
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const q = (params.get('q') ?? '').trim();
  useDocumentTitle(q ? t('home.searchTitle', { q }) : '');
  const events = useLoad(() => api.events(q || undefined), [q]);

  return (
    <>
      {!q && (
        <section className="hero">
          <div className="container hero-inner">
            <p className="eyebrow">{t('home.eyebrow')}</p>
            <h1 className="hero-title">{t('home.title')}</h1>
            <p className="hero-lead">{t('home.lead')}</p>
            <ol className="hero-steps" aria-label={t('home.howItWorks')}>
              <li>
                <span className="hero-step-num">1</span>
                <span>
                  <Trans i18nKey="home.step1" components={{ strong: <strong /> }} />
                </span>
              </li>
              <li>
                <span className="hero-step-num">2</span>
                <span>
                  <Trans i18nKey="home.step2" components={{ strong: <strong /> }} />
                </span>
              </li>
              <li>
                <span className="hero-step-num">3</span>
                <span>
                  <Trans i18nKey="home.step3" components={{ strong: <strong /> }} />
                </span>
              </li>
            </ol>
          </div>
        </section>
      )}
      <div className="container section">
        <div className="section-head">
          <h2 className="section-title" aria-live="polite">
            {q ? t('home.resultsFor', { q }) : t('home.upcoming')}
          </h2>
          {events.status === 'ok' && (
            <span className="muted">{t('home.eventCount', { count: events.data.events.length })}</span>
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
            <p className="empty-state-title">{q ? t('home.noMatch', { q }) : t('home.noEvents')}</p>
            <p className="muted">{q ? t('home.tryAnother') : t('home.comingSoon')}</p>
            {q && (
              <Link to="/" className="btn btn-secondary">
                {t('home.showAll')}
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
