import { PreQueue } from '../../features/waiting-room/PreQueue.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { Order, ShowDetail } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LoadError } from '../../components/LoadError.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api, toApiError, type ApiError } from '../../lib/api.js';
import { formatDate, formatTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { CheckoutView } from '../../features/checkout/CheckoutView.js';
import { SellingView } from '../../features/seat-map/SellingView.js';
import { WindowBar } from '../../features/seat-map/WindowBar.js';
import { useQueue } from '../../features/waiting-room/use-queue.js';
import { WaitingRoom } from '../../features/waiting-room/WaitingRoom.js';
import { findPendingOrder } from '../../lib/pending-order.js';
import { EndedView, RefusedView } from './JourneyMessages.js';
import { WaitlistPanel } from '../../features/waitlist/WaitlistPanel.js';

/**
 * /shows/:showId — the whole buying journey on one route. What it shows (waiting room,
 * selling page, checkout, or why the turn ended) always comes from the server, so a refresh
 * anywhere lands in the same place.
 */
export function BuyPage() {
  // The server names things by the lower-case id; a link typed in capitals must match its events.
  const showId = (useParams().showId ?? '').toLowerCase();
  const location = useLocation();
  const navigate = useNavigate();
  const { sessionExpired } = useAuth();

  // "Buy tickets" asks to join even if this tab saw an earlier turn end; consume it so a refresh does not.
  const joinRequested = useRef((location.state as { join?: boolean } | null)?.join === true).current;
  useEffect(() => {
    if (joinRequested) navigate(location.pathname + location.search, { replace: true, state: null });
  }, []);

  const showLoad = useLoad(() => api.show(showId), [showId]);
  const show = showLoad.status === 'ok' ? showLoad.data.show : undefined;
  const queue = useQueue(showId, { joinRequested, onUnauthenticated: sessionExpired });
  const { phase } = queue;
  useDocumentTitle(
    phase.kind === 'waiting'
      ? `#${phase.position} in line${show ? ` · ${show.eventTitle}` : ''}`
      : show
        ? show.eventTitle
        : 'Tickets',
  );

  // While admitted: is there a pending order of this show to pay? (undefined = not known yet)
  const [order, setOrder] = useState<Order | null | undefined>(undefined);
  const admitted = phase.kind === 'admitted';
  useEffect(() => {
    if (!admitted) {
      setOrder(undefined);
      return;
    }
    let live = true;
    findPendingOrder(showId).then(
      (pending) => live && setOrder(pending),
      () => live && setOrder(null),
    );
    return () => {
      live = false;
    };
  }, [admitted, showId]);

  const orderRef = useRef(order);
  orderRef.current = order;

  // Bought (here, or in another tab): the order page is the success page.
  useEffect(() => {
    if (phase.kind === 'ended' && phase.reason === 'purchased' && orderRef.current) {
      navigate(`/orders/${orderRef.current.id}`, { replace: true });
    }
  }, [phase, navigate]);

  const { verify, endWith, join, leave } = queue;
  const onRefused = useCallback(
    (e: ApiError) => {
      if (e.code === 'UNAUTHENTICATED') return sessionExpired();
      if (e.code === 'ORDER_EXPIRED') return endWith('expired');
      void verify('not_admitted');
    },
    [sessionExpired, endWith, verify],
  );

  const [leaveError, setLeaveError] = useState<ApiError | null>(null);
  const leaveAndGoBack = useCallback(async () => {
    await leave();
    navigate(show ? `/events/${show.eventId}` : '/', { replace: true });
  }, [leave, navigate, show]);

  const eventLink = show ? `/events/${show.eventId}` : '/';

  if (showLoad.status === 'error') {
    return <LoadError error={showLoad.error} what="Show" missingText="This show does not exist." reload={showLoad.reload} />;
  }

  if (!show || phase.kind === 'loading' || (phase.kind === 'admitted' && order === undefined)) {
    return <Spinner label={phase.kind === 'loading' ? 'Getting your place in line…' : 'Loading…'} />;
  }

  // A sold-out show offers its waitlist; an offer brings the fan back here, admitted.
  const waitlist = show.status === 'sold_out' && <WaitlistPanel show={show} onOffer={() => void join()} />;
  if (phase.kind === 'refused') {
    return (
      <>
        <RefusedView show={show} error={phase.error} eventLink={eventLink} />
        {phase.error.code === 'SOLD_OUT' && waitlist}
      </>
    );
  }
  if (phase.kind === 'ended') {
    return (
      <>
        <EndedView show={show} reason={phase.reason} eventLink={eventLink} onRejoin={() => void join()} />
        {phase.reason !== 'purchased' && waitlist}
      </>
    );
  }
  if (phase.kind === 'left') return <Spinner label="Leaving…" />;
  if (phase.kind === 'error') {
    return (
      <div className="container narrow">
        <PageMessage
          icon="error"
          title="We could not reach the waiting room"
          actions={
            <>
              <button type="button" className="btn btn-primary" onClick={() => void join()}>
                Try again
              </button>
              <Link to={eventLink} className="btn btn-secondary">
                Back to the event
              </Link>
            </>
          }
        >
          <ErrorMessage error={phase.error} />
        </PageMessage>
      </div>
    );
  }

  const header = <ShowHeader show={show} />;

  if (phase.kind === 'early') {
    return (
      <div className="container buy-page narrow">
        {header}
        <PreQueue show={show} state={phase} connection={queue.connection} onLeave={leaveAndGoBack} />
      </div>
    );
  }

  if (phase.kind === 'waiting') {
    return (
      <div className="container buy-page narrow">
        {header}
        <WaitingRoom show={show} state={phase} connection={queue.connection} onLeave={leaveAndGoBack} />
      </div>
    );
  }

  // Admitted: the selling page or the checkout, under the window's countdown.
  return (
    <div className="buy-page-admitted">
      <WindowBar
        expiresAt={phase.expiresAt}
        title={show.eventTitle}
        onTimeUp={() => void verify('expired')}
        onLeave={() => {
          setLeaveError(null);
          leaveAndGoBack().catch((e: unknown) => setLeaveError(toApiError(e)));
        }}
      />
      <div className="container buy-page">
        {header}
        {leaveError && <ErrorMessage error={leaveError} />}
        {order ? (
          <CheckoutView
            show={show}
            order={order}
            onPaid={(o) => navigate(`/orders/${o.id}`, { replace: true })}
            onCancelled={() => setOrder(null)}
            onRefused={onRefused}
          />
        ) : (
          <SellingView show={show} onCheckedOut={setOrder} onRefused={onRefused} />
        )}
      </div>
    </div>
  );
}

function ShowHeader({ show }: { show: ShowDetail }) {
  return (
    <header className="show-header">
      <Link to={`/events/${show.eventId}`} className="back-link">
        ← {show.artist}
      </Link>
      <h1 className="show-header-title">{show.eventTitle}</h1>
      <p className="show-header-meta">
        <time dateTime={show.startsAt}>
          {formatDate(show.startsAt, show.venue.timeZone)} · {formatTime(show.startsAt, show.venue.timeZone)}
        </time>{' '}
        · {show.venue.name}, {show.venue.city}
      </p>
    </header>
  );
}
