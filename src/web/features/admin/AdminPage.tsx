import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../app/auth.js';
import { PageMessage } from '../../components/PageMessage.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { CheckinPage } from './CheckinPage.js';
import { EventEditPage, NewEventPage } from './EventEditPage.js';
import { EventsOverview } from './EventsOverview.js';
import { MailPage } from './MailPage.js';
import { PagesPage } from './PagesPage.js';
import { ShowDashboard } from './ShowDashboard.js';
import { VenuesPage } from './VenuesPage.js';
import '../../styles/admin.css';

/** The organizer console, /admin/*: events and shows, venues, the live sale dashboard, check-in and the site's pages. */
export function AdminPage() {
  const { user } = useAuth();
  const { t } = useTranslation();
  if (user?.role !== 'admin') return <Forbidden />;
  return (
    <div className="console">
      <aside className="console-nav" aria-label={t('admin.consoleTitle')}>
        <p className="console-nav-title">{t('admin.consoleTitle')}</p>
        <nav className="console-nav-links">
          <NavItem to="/admin" end icon={ICONS.events}>
            {t('admin.nav.events')}
          </NavItem>
          <NavItem to="/admin/venues" icon={ICONS.venues}>
            {t('admin.nav.venues')}
          </NavItem>
          <NavItem to="/admin/checkin" icon={ICONS.checkin}>
            {t('admin.nav.checkin')}
          </NavItem>
          <NavItem to="/admin/pages" icon={ICONS.pages}>
            {t('admin.nav.pages')}
          </NavItem>
          <NavItem to="/admin/mail" icon={ICONS.pages}>
            {t('mail.title')}
          </NavItem>
        </nav>
        <Link to="/" className="console-nav-site">
          {t('admin.nav.site')}
        </Link>
      </aside>
      <div className="console-main">
        <Routes>
          <Route index element={<EventsOverview />} />
          <Route path="venues" element={<VenuesPage />} />
          <Route path="events/new" element={<NewEventPage />} />
          <Route path="events/:eventId" element={<EventEditPage />} />
          <Route path="shows/:showId" element={<ShowDashboard />} />
          <Route path="checkin" element={<CheckinPage />} />
          <Route path="pages" element={<PagesPage />} />
          <Route path="mail" element={<MailPage />} />
          <Route path="*" element={<ConsoleNotFound />} />
        </Routes>
      </div>
    </div>
  );
}

function NavItem({ to, end, icon, children }: { to: string; end?: boolean; icon: ReactNode; children: ReactNode }) {
  return (
    <NavLink to={to} end={end} className={({ isActive }) => `console-nav-link${isActive ? ' is-active' : ''}`}>
      <span className="console-nav-icon" aria-hidden="true">
        {icon}
      </span>
      <span>{children}</span>
    </NavLink>
  );
}

const ICONS = {
  events: (
    <svg viewBox="0 0 20 20">
      <rect x="3" y="4" width="14" height="13" rx="2.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <path d="M3 8h14M7 2.5v3M13 2.5v3" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  ),
  venues: (
    <svg viewBox="0 0 20 20">
      <path d="M3 16.5V8l7-4.5L17 8v8.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
      <path d="M7 16.5v-4h6v4M2 16.5h16" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  ),
  pages: (
    <svg viewBox="0 0 20 20">
      <path d="M5 2.5h7l3.5 3.5v11.5H5z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
      <path d="M8 10h5M8 13.5h5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  ),
  checkin: (
    <svg viewBox="0 0 20 20">
      <path d="M3 7V4.5A1.5 1.5 0 0 1 4.5 3H7M13 3h2.5A1.5 1.5 0 0 1 17 4.5V7M17 13v2.5a1.5 1.5 0 0 1-1.5 1.5H13M7 17H4.5A1.5 1.5 0 0 1 3 15.5V13" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      <path d="m6.5 10 2.5 2.5 4.5-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  ),
};

function Forbidden() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.consoleTitle'));
  return (
    <div className="container narrow">
      <PageMessage
        icon="lock"
        title={t('admin.forbiddenTitle')}
        actions={
          <Link to="/" className="btn btn-primary">
            {t('admin.backToEvents')}
          </Link>
        }
      >
        <p data-testid="error-message">{t('admin.forbidden')}</p>
      </PageMessage>
    </div>
  );
}

function ConsoleNotFound() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.notFound'));
  return (
    <PageMessage
      icon="error"
      title={t('admin.nothingHere')}
      actions={
        <Link to="/admin" className="btn btn-primary">
          {t('admin.nav.events')}
        </Link>
      }
    >
      <p>{t('admin.noSuchPage')}</p>
    </PageMessage>
  );
}
