import type { ReactNode } from 'react';
import { LiveIndicator } from '../../components/LiveIndicator.js';
import type { ConnectionState } from '../../lib/socket.js';

/** The card of the waiting pages (the pre-queue and the line): eyebrow, whether it is live, title, then the page's own content. */
export function WaitingCard({
  titleId,
  eyebrow,
  title,
  connection,
  children,
}: {
  titleId: string;
  eyebrow: ReactNode;
  title: ReactNode;
  connection: ConnectionState;
  children: ReactNode;
}) {
  return (
    <section className="waiting-room card" aria-labelledby={titleId}>
      <div className="waiting-top">
        <p className="eyebrow">{eyebrow}</p>
        <LiveIndicator connection={connection} />
      </div>
      <h1 id={titleId} className="waiting-title">
        {title}
      </h1>
      {children}
    </section>
  );
}

/** One figure of a waiting page (a place, a countdown, a count) under its label; `main` is the large one. */
export function WaitingStat({ label, labelId, main = false, children }: { label: ReactNode; labelId?: string; main?: boolean; children: ReactNode }) {
  return (
    <div className={main ? 'waiting-stat waiting-stat-main' : 'waiting-stat'}>
      <span className="waiting-stat-label" id={labelId}>
        {label}
      </span>
      {children}
    </div>
  );
}
