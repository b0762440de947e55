import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner.js';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.js';
import { Header } from './Header.js';
import { admissionMemory } from '../lib/journey-memory.js';

// Loaded only when a purchase may be running (it brings the socket client).
const ResumeBar = lazy(() => import('../features/waiting-room/ResumeBar.js'));

export function Layout() {
  const { pathname } = useLocation();
  const { t } = useTranslation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  // A running purchase, offered on every page but its own (read again on each page).
  const [admission, setAdmission] = useState(admissionMemory.get);
  useEffect(() => setAdmission(admissionMemory.get()), [pathname]);
  const forget = useCallback(() => setAdmission(null), []);
  const resume = admission && pathname.toLowerCase() !== `/shows/${admission.showId}` ? admission : null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('footer.skipToContent')}
      </a>
      <Header />
      {resume && (
        <Suspense fallback={null}>
          <ResumeBar key={resume.showId} admission={resume} onGone={forget} />
        </Suspense>
      )}
      <main id="main" className="site-main" tabIndex={-1}>
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="container footer-inner">
          <span>
            <Trans i18nKey="footer.tagline" components={{ strong: <strong /> }} />
          </span>
          <nav className="footer-links" aria-label={t('footer.about')}>
            <Link to="/help">{t('footer.help')}</Link>
            <Link to="/terms">{t('footer.terms')}</Link>
            <Link to="/privacy">{t('footer.privacy')}</Link>
            <Link to="/contact">{t('footer.contact')}</Link>
          </nav>
          <LanguageSwitcher />
        </div>
      </footer>
    </div>
  );
}
