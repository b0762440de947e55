import { Link } from 'react-router-dom';
import type { ShowDetail } from '../../../shared/api.js';
import { ERROR_MESSAGES } from '../../../shared/errors.js';
import { PageMessage } from '../../components/PageMessage.js';
import type { ApiError } from '../../lib/api.js';
import { formatDateTime, formatDurationWords } from '../../lib/format.js';
import type { EndedReason } from '../../lib/journey-memory.js';

const ENDED_TITLES: Record<EndedReason, string> = {
  expired: 'Your time ran out',
  removed: 'You lost your place',
  left: 'You left the line',
  not_admitted: 'Your turn is over',
  sold_out: 'Sold out',
  purchased: 'Purchase complete',
};
/** The page's heading (and the tab's title) once a turn ended. */
export const endedTitle = (reason: EndedReason): string => ENDED_TITLES[reason];

/** Why the turn is over, and the way back in: never a blank page. */
export function EndedView({
  show,
  reason,
  eventLink,
  onRejoin,
}: {
  show: ShowDetail;
  reason: EndedReason;
  eventLink: string;
  onRejoin: () => void;
}) {
  const windowWords = formatDurationWords(show.purchaseWindowSeconds);
  const copy: Record<EndedReason, { title: string; body: string; icon: 'clock' | 'info' | 'ticket' }> = {
    expired: {
      icon: 'clock',
      title: ENDED_TITLES.expired,
      body: `Your ${windowWords} ran out and your seats were released.`,
    },
    removed: {
      icon: 'info',
      title: ENDED_TITLES.removed,
      body: 'This page was closed or offline for too long, so your place went to the next person in line and any seats you held were released.',
    },
    left: {
      icon: 'info',
      title: ENDED_TITLES.left,
      body: 'You left the line for this show (perhaps in another tab). Any seats you held were released.',
    },
    not_admitted: {
      icon: 'clock',
      title: ENDED_TITLES.not_admitted,
      body: `${ERROR_MESSAGES.NOT_ADMITTED} Any seats you held were released.`,
    },
    sold_out: {
      icon: 'info',
      title: ENDED_TITLES.sold_out,
      body: 'Every seat of this show has been sold, so the line has closed. Seats may come back if a purchase is cancelled.',
    },
    purchased: {
      icon: 'ticket',
      title: ENDED_TITLES.purchased,
      body: 'You bought your tickets — they are waiting in your profile.',
    },
  };
  const c = copy[reason];
  return (
    <div className="container narrow">
      <PageMessage
        icon={c.icon}
        title={c.title}
        actions={
          reason === 'purchased' ? (
            <>
              <Link to="/profile" className="btn btn-primary">
                See your tickets
              </Link>
              <Link to={eventLink} className="btn btn-secondary">
                Back to the event
              </Link>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-primary" onClick={onRejoin} data-testid="rejoin-button">
                Join the line again
              </button>
              <Link to={eventLink} className="btn btn-secondary">
                Back to the event
              </Link>
            </>
          )
        }
      >
        <p data-testid="ended-reason" data-reason={reason}>
          {c.body}
        </p>
        {reason !== 'purchased' && reason !== 'sold_out' && <p className="muted">If you join again, you will get a new place at the end of the line.</p>}
      </PageMessage>
    </div>
  );
}

const REFUSED_TITLES: Partial<Record<ApiError['code'], string>> = {
  NOT_ON_SALE: 'Not on sale yet',
  SALE_ENDED: 'The sale has ended',
  SOLD_OUT: 'Sold out',
  TICKET_LIMIT_REACHED: 'Ticket limit reached',
  NOT_FOUND: 'Show not found',
};
/** The page's heading (and the tab's title) for a refused join. */
export const refusedTitle = (code: ApiError['code']): string => REFUSED_TITLES[code] ?? "You can't join the line";

/** The join was refused (ended, sold out, limit reached...; "not on sale yet" is the page before the sale). */
export function RefusedView({ show, error, eventLink }: { show: ShowDetail; error: ApiError; eventLink: string }) {
  const title = refusedTitle(error.code);
  return (
    <div className="container narrow">
      <PageMessage
        icon={error.code === 'TICKET_LIMIT_REACHED' ? 'ticket' : 'info'}
        title={title}
        actions={
          <>
            <Link to={eventLink} className="btn btn-primary">
              Back to the event
            </Link>
            {error.code === 'TICKET_LIMIT_REACHED' && (
              <Link to="/profile" className="btn btn-secondary">
                See your tickets
              </Link>
            )}
          </>
        }
      >
        <p className="refusal" data-testid="error-message" data-code={error.code} role="alert">
          {error.message}
        </p>
        {error.code === 'NOT_ON_SALE' && <p className="muted">Tickets go on sale {formatDateTime(show.onSaleAt, show.venue.timeZone)}.</p>}
        {error.code === 'TICKET_LIMIT_REACHED' && (
          <p className="muted">Each account can buy up to {show.maxTicketsPerAccount} tickets for this show.</p>
        )}
      </PageMessage>
    </div>
  );
}
