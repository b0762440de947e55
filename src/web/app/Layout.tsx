import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { Spinner } from '../components/Spinner.js';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { Header } from './Header.js';
import { admissionMemory } from '../lib/journey-memory.js';

// Loaded only when a purchase may be running (it brings the socket client).
const ResumeBar = lazy(() => import('../features/waiting-room/ResumeBar.js'));

export function Layout() {
  const { pathname } = useLocation();
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
        Skip to content
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
            <strong>TicketClub</strong> · fair queues, live seats.
          </span>
          <nav className="footer-links" aria-label="About this site">
            <Link to="/help">Help</Link>
            <Link to="/terms">Terms</Link>
            <Link to="/privacy">Privacy</Link>
            <Link to="/contact">Contact</Link>
          </nav>
        </div>
      </footer>
    </div>
  );
}
