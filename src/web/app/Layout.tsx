import { Suspense, useEffect } from 'react';
import { Spinner } from '../components/Spinner.js';
import { Outlet, useLocation } from 'react-router-dom';
import { Header } from './Header.js';

export function Layout() {
  const { pathname } = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
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
          <span className="muted">Self-hosted concert ticketing</span>
        </div>
      </footer>
    </div>
  );
}
