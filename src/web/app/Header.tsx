import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useDebounced } from '../lib/hooks.js';
import { useAuth } from './auth.js';

export function Header() {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="logo" aria-label={t('header.home')}>
          <img src="/logo.svg" alt="" width="32" height="32" />
          <span>TicketClub</span>
        </Link>
        <SearchBox />
        <nav className="header-nav" aria-label={t('header.account')}>
          <AccountArea />
        </nav>
      </div>
    </header>
  );
}

/** Searches events: live (debounced) on the home page, on Enter elsewhere. */
function SearchBox() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const onHome = location.pathname === '/';
  const { t } = useTranslation();
  const urlQ = onHome ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(urlQ);
  const debounced = useDebounced(text, 300);
  // The query the URL has (or is about to have) because of this box.
  const inUrl = useRef(urlQ);

  // The URL changed from elsewhere (back button, a link to /): show it.
  useEffect(() => {
    if (urlQ !== inUrl.current) {
      inUrl.current = urlQ;
      setText(urlQ);
    }
  }, [urlQ]);

  // Typing on the home page searches as you go.
  useEffect(() => {
    if (!onHome) return;
    const q = debounced.trim();
    if (q === inUrl.current) return;
    inUrl.current = q;
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/', { replace: true });
  }, [debounced, onHome, navigate]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const q = text.trim();
    inUrl.current = q;
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/', { replace: onHome });
  }

  return (
    <form className="search" role="search" onSubmit={submit}>
      <svg className="search-icon" viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="8.5" cy="8.5" r="5.75" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="m13 13 4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        type="search"
        name="q"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('header.search')}
        aria-label={t('header.search')}
        autoComplete="off"
        maxLength={100}
        data-testid="search-input"
      />
    </form>
  );
}

function AccountArea() {
  const { user } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (user === undefined) return <span className="header-placeholder" aria-hidden="true" />;
  if (!user) {
    const here = location.pathname + location.search;
    const next = location.pathname === '/login' || location.pathname === '/signup' ? '' : `?next=${encodeURIComponent(here)}`;
    return (
      <div className="header-auth">
        <NavLink to={`/login${next}`} className="btn btn-ghost btn-sm">
          {t('header.logIn')}
        </NavLink>
        <NavLink to={`/signup${next}`} className="btn btn-primary btn-sm">
          {t('header.signUp')}
        </NavLink>
      </div>
    );
  }
  return <UserMenu name={user.name} isAdmin={user.role === 'admin'} />;
}

function UserMenu({ name, isAdmin }: { name: string; isAdmin: boolean }) {
  const { logout } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  async function doLogout() {
    setOpen(false);
    try {
      await logout();
    } finally {
      navigate('/');
    }
  }

  const initial = name.trim()[0]?.toUpperCase() ?? '?';
  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu"
      >
        <span className="avatar" aria-hidden="true">
          {initial}
        </span>
        <span className="user-name">{name}</span>
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path d="m5 8 5 5 5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </button>
      <div className="user-menu-list" id={menuId} hidden={!open}>
        <p className="user-menu-signed">
          <Trans i18nKey="header.signedInAs" values={{ name }} components={{ strong: <strong /> }} />
        </p>
        <Link to="/profile" className="user-menu-item">
          {t('header.profile')}
        </Link>
        {isAdmin && (
          <Link to="/admin" className="user-menu-item">
            {t('header.admin')}
          </Link>
        )}
        <button type="button" className="user-menu-item" onClick={doLogout} data-testid="logout-button">
          {t('header.logOut')}
        </button>
      </div>
    </div>
  );
}
