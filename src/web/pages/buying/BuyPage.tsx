import { PreQueue } from '../../features/waiting-room/PreQueue.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { Order, ShowDetail } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LoadError } from '../../components/LoadError.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api, toApiError, type ApiError } from '../../lib/api.js';
import { durationWords } from '../../i18n/durations.js';
import { formatDate, formatTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { CheckoutView } from '../../features/checkout/CheckoutView.js';
import { SellingView } from '../../features/seat-map/SellingView.js';
import { WindowBar } from '../../features/seat-map/WindowBar.js';
import { useQueue } from '../../features/waiting-room/use-queue.js';
import { WaitingRoom } from '../../features/waiting-room/WaitingRoom.js';
import { findPendingOrder } from '../../lib/pending-order.js';
import { EndedView, RefusedView, endedTitle, refusedTitle } from './JourneyMessages.js';
import { useReloadAtMoments } from '../../lib/sale-moments.js';
import { msUntil } from '../../lib/server-clock.js';
import { CalendarLinks, SaleCountdown, ShowFacts } from '../../features/catalogue/SaleInfo.js';
import { useTurnAlert } from '../../features/waiting-room/turn-alert.js';
import { admissionMemory } from '../../lib/journey-memory.js';
import { WaitlistPanel } from '../../features/waitlist/WaitlistPanel.js';

/**
 * /shows/:showId — the whole buying journey on one route. What it shows (waiting room,
 * selling page, checkout, or why the turn ended) always comes from the server, so a refresh
 * anywhere lands in the same place.
 */
export function BuyPage() {
  const { t } = useTranslation();
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
  useReloadAtMoments(show, showLoad.reload);
  const queue = useQueue(showId, { joinRequested, onUnauthenticated: sessionExpired });
  const { phase } = queue;
  // The tab's title always says the current phase (never one a previous phase left behind).
  const named = (title: string) => (show ? t('buy.titleOf', { title, event: show.eventTitle }) : title);
  const title =
    phase.kind === 'waiting'
      ? named(t('buy.titleWaiting', { position: phase.position }))
      : phase.kind === 'early'
        ? named(t('buy.titleDraw'))
        : phase.kind === 'admitted'
          ? named(t('buy.titleTurn'))
          : phase.kind === 'ended'
            ? endedTitle(t, phase.reason)
            : phase.kind === 'refused'
              ? refusedTitle(t, phase.error.code)
              : show
                ? show.eventTitle
                : t('buy.titleFallback');
  useDocumentTitle(title);
  useTurnAlert(
    phase.kind,
    `${title} · TicketClub`,
    show ? t('buy.alertBody', { event: show.eventTitle, duration: durationWords(t, show.purchaseWindowSeconds) }) : t('buy.alertFallback'),
  );

  // A running admission is remembered, so every page of the site can offer to resume it.
  const admittedUntil = phase.kind === 'admitted' ? phase.expiresAt : undefined;
  useEffect(() => {
    if (admittedUntil && show) admissionMemory.set({ showId, title: show.eventTitle, expiresAt: admittedUntil });
    else if (phase.kind === 'ended' || phase.kind === 'left') admissionMemory.clear(showId);
  }, [admittedUntil, show, showId, phase.kind]);

  // Not on sale yet: join by itself at the moment it opens (the pre-queue's, else the sale's).
  const notYet = phase.kind === 'refused' && phase.error.code === 'NOT_ON_SALE' ? phase : undefined;
  const opensAt = show ? (show.queueOpensAt < show.onSaleAt ? show.queueOpensAt : show.onSaleAt) : undefined;
  const { join: joinNow } = queue;
  useEffect(() => {
    if (!notYet || !opensAt) return;
    const left = msUntil(opensAt);
    // Already past on this clock, yet refused: this clock runs early; ask again in a moment.
    const t = setTimeout(() => void joinNow(), left <= 0 ? 1000 : left + 150);
    return () => clearTimeout(t);
  }, [notYet, opensAt, joinNow]);

  // The checkout is a step in the history: Back from it returns to the selling page with the seats.
  const atCheckout = (location.state as { checkout?: boolean } | null)?.checkout === true;
  const toCheckout = useCallback(
    (replace: boolean) => navigate(location.pathname + location.search, { replace, state: { checkout: true } }),
    [navigate, location.pathname, location.search],
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
      (pending) => {
        if (!live) return;
        setOrder(pending);
        // Opening the page with an order to pay goes to its payment.
        if (pending) toCheckoutRef.current(true);
      },
      () => live && setOrder(null),
    );
    return () => {
      live = false;
    };
  }, [admitted, showId]);

  const toCheckoutRef = useRef(toCheckout);
  toCheckoutRef.current = toCheckout;
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
    return <LoadError error={showLoad.error} what={t('buy.what')} missingText={t('buy.missing')} reload={showLoad.reload} />;
  }

  if (!show || phase.kind === 'loading' || (phase.kind === 'admitted' && order === undefined)) {
    return <Spinner label={phase.kind === 'loading' ? t('buy.gettingPlace') : t('common.loading')} />;
  }

  if (notYet) {
    return (
      <div className="container buy-page narrow">
        <ShowHeader show={show} />
        <section className="card not-yet" aria-labelledby="not-yet-title" data-testid="not-yet">
          <h2 id="not-yet-title" className="section-title">
            {t('buy.notYet')}
          </h2>
          <SaleCountdown show={show} />
          <ShowFacts show={show} />
          <p className="muted small">{show.queueOpensAt < show.onSaleAt ? t('buy.joinsPreQueue') : t('buy.joinsLine')}</p>
          <CalendarLinks show={show} />
        </section>
      </div>
    );
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
  if (phase.kind === 'left') return <Spinner label={t('buy.leaving')} />;
  if (phase.kind === 'error') {
    return (
      <div className="container narrow">
        <PageMessage
          icon="error"
          title={t('buy.unreachable')}
          actions={
            <>
              <button type="button" className="btn btn-primary" onClick={() => void join()}>
                {t('common.tryAgain')}
              </button>
              <Link to={eventLink} className="btn btn-secondary">
                {t('journey.backToEvent')}
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
        {order && atCheckout ? (
          <CheckoutView
            show={show}
            order={order}
            onPaid={(o) => navigate(`/orders/${o.id}`, { replace: true })}
            onCancelled={() => {
              setOrder(null);
              navigate(location.pathname + location.search, { replace: true, state: null });
            }}
            onRefused={onRefused}
          />
        ) : (
          <SellingView
            show={show}
            pendingOrder={order ?? undefined}
            onContinue={() => toCheckout(false)}
            onCheckedOut={(o) => {
              setOrder(o);
              toCheckout(false);
            }}
            onRefused={onRefused}
          />
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
