import type { ReactNode } from 'react';

/** A whole-page message (not found, refused, ended...) with actions below it. */
export function PageMessage({
  icon = 'info',
  title,
  children,
  actions,
}: {
  icon?: 'info' | 'error' | 'clock' | 'lock' | 'ticket';
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="page-message card" aria-labelledby="page-message-title">
      <div className={`page-message-icon page-message-icon-${icon}`} aria-hidden="true">
        {ICONS[icon]}
      </div>
      <h1 id="page-message-title">{title}</h1>
      {children && <div className="page-message-body">{children}</div>}
      {actions && <div className="page-message-actions">{actions}</div>}
    </section>
  );
}

const ICONS: Record<string, ReactNode> = {
  info: (
    <svg viewBox="0 0 24 24">
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M12 11v6M12 7.5v.5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  ),
  error: (
    <svg viewBox="0 0 24 24">
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M12 7v6M12 16.5v.5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  ),
  clock: (
    <svg viewBox="0 0 24 24">
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M12 6.5V12l3.5 2.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  ),
  lock: (
    <svg viewBox="0 0 24 24">
      <rect x="4.5" y="10.5" width="15" height="10" rx="2.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  ),
  ticket: (
    <svg viewBox="0 0 24 24">
      <path
        d="M3 8a2 2 0 0 0 2-2h14a2 2 0 0 0 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 0-2 2H5a2 2 0 0 0-2-2v-2a2 2 0 0 0 0-4Z"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      <path d="M14 6v12" stroke="currentColor" strokeWidth="2" strokeDasharray="2 2" />
    </svg>
  ),
};
