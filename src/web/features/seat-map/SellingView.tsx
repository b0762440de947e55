import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaSummary, Order, ShowDetail } from '../../../shared/api.js';
import { ErrorMessage, Notice, RetryableError } from '../../components/ErrorMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api, toApiError, type ApiError } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';
import { answerLost, findPendingOrder } from '../../lib/pending-order.js';
import { AreaPicker } from './AreaPicker.js';
import { QuantityHold } from './QuantityHold.js';
import { SeatLegend, SeatMap } from './SeatMap.js';
import { SelectionSummary, type SelectedSeat } from './SelectionSummary.js';
import { countsAgainstLimit, useSeats } from './use-seats.js';

type Message = { tone: 'error' | 'info'; text: string } | null;

/**
 * The selling page: pick an area, hold seats on the live map, check out.
 * `onRefused` gets errors that end or question the admission (403 NOT_ADMITTED, 401).
 */
export function SellingView({
  show,
  pendingOrder,
  onContinue,
  onCheckedOut,
  onRefused,
}: {
  show: ShowDetail;
  /** An order of these seats waiting for payment (the fan came back from its checkout). */
  pendingOrder?: Order;
  onContinue: () => void;
  onCheckedOut: (order: Order) => void;
  onRefused: (e: ApiError) => void;
}) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<Message>(null);
  const onError = useCallback(
    (e: ApiError) => {
      if (e.code === 'NOT_ADMITTED' || e.code === 'UNAUTHENTICATED') onRefused(e);
    },
    [onRefused],
  );
  const { seats, loaded, loadError, busy, hold, release, holdArea, loadAll, loadArea, availableByArea } = useSeats(show.id, { onError });
  const [areaId, setAreaId] = useState<string | null>(null);
  const [checkingOut, setCheckingOut] = useState(false);

  const areaById = useMemo(() => new Map(show.areas.map((a) => [a.id, a])), [show.areas]);
  const all = useMemo(() => [...seats.values()], [seats]);
  const mine = useMemo(() => all.filter(countsAgainstLimit), [all]);
  const selected: SelectedSeat[] = useMemo(
    () =>
      mine
        .filter((s) => s.status === 'selected')
        .map((seat) => {
          const area = areaById.get(seat.areaId);
          return { seat, areaName: area?.name ?? '', price: area?.price ?? 0 };
        })
        .sort((a, b) => a.areaName.localeCompare(b.areaName) || (a.seat.row ?? 0) - (b.seat.row ?? 0) || (a.seat.number ?? 0) - (b.seat.number ?? 0)),
    [mine, areaById],
  );
  const owned = mine.length - selected.length;
  const mineByArea = useMemo(() => {
    const m = new Map<string, number>();
    for (const s of mine) m.set(s.areaId, (m.get(s.areaId) ?? 0) + 1);
    return m;
  }, [mine]);

  // After a refresh (or back from the checkout), open the area where this account already has seats.
  useEffect(() => {
    const first = selected[0]?.seat ?? mine.find((s) => s.status === 'locked');
    if (areaId === null && first) setAreaId(first.areaId);
  }, [areaId, selected, mine]);

  const area = areaId ? areaById.get(areaId) : undefined;
  const [onlyAccessible, setOnlyAccessible] = useState(false);
  const areaSeats = useMemo(() => (areaId ? all.filter((s) => s.areaId === areaId) : []), [all, areaId]);
  const hasAccessible = useMemo(() => areaSeats.some((s) => s.accessible), [areaSeats]);
  const shownSeats = useMemo(() => (onlyAccessible && hasAccessible ? areaSeats.filter((s) => s.accessible) : areaSeats), [onlyAccessible, hasAccessible, areaSeats]);
  const available = useCallback((a: AreaSummary) => availableByArea.get(a.id) ?? a.availableCount, [availableByArea]);

  // Tapping an area brings its seats into view (on a phone they are below the fold).
  const seatsSection = useRef<HTMLElement>(null);
  function pickArea(id: string) {
    setAreaId(id);
    setMessage(null);
    void loadArea(id);
    const el = seatsSection.current;
    if (el && el.getBoundingClientRect().top > window.innerHeight * 0.5) {
      requestAnimationFrame(() => el.scrollIntoView({ block: 'start', behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' }));
    }
  }

  // Nothing to pick: every seat is sold or in someone else's basket (those may come back).
  const nothingLeft = useMemo((): string | undefined => {
    if (!loaded || all.length === 0 || all.some((s) => s.status === 'available')) return undefined;
    return all.some((s) => !s.mine && (s.status === 'selected' || s.status === 'locked'))
      ? t('sellingView.baskets')
      : t('sellingView.soldOut');
  }, [loaded, all, t]);

  const limit = show.maxTicketsPerAccount;
  const atLimit = mine.length >= limit;

  const toggle = useCallback(
    async (seatId: string) => {
      const seat = seats.get(seatId);
      if (!seat) return;
      setMessage(null);
      const isMine = seat.mine && seat.status === 'selected';
      if (!isMine && atLimit) {
        setMessage({ tone: 'error', text: t('sellingView.limit', { count: limit }) });
        return;
      }
      try {
        if (isMine) await release(seatId);
        else await hold(seatId);
      } catch (e) {
        const err = toApiError(e);
        if (err.code === 'NOT_ADMITTED' || err.code === 'UNAUTHENTICATED') return onRefused(err);
        if (err.code === 'TICKET_LIMIT_REACHED') {
          setMessage({ tone: 'error', text: t('sellingView.limit', { count: limit }) });
          void loadAll();
        } else setMessage({ tone: 'error', text: err.message });
      }
    },
    [seats, atLimit, limit, hold, release, loadAll, onRefused, t],
  );

  /** Standing places, or the best available block: all or none. */
  async function holdMany(quantity: number) {
    if (!area) return;
    setMessage(null);
    try {
      const got = await holdArea(area.id, quantity);
      const where = area.kind === 'standing' ? t('sellingView.standingHeld', { count: got.length }) : seatsText(t, got);
      setMessage({ tone: 'info', text: t('sellingView.heldForYou', { where }) });
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'NOT_ADMITTED' || err.code === 'UNAUTHENTICATED') return onRefused(err);
      const text =
        err.code === 'SEAT_UNAVAILABLE'
          ? area.kind === 'standing'
            ? t('sellingView.notFreeStanding', { count: quantity })
            : t('sellingView.notTogether', { count: quantity, area: area.name })
          : err.code === 'TICKET_LIMIT_REACHED'
            ? t('sellingView.limitMany', { count: limit })
            : err.message;
      setMessage({ tone: 'error', text });
    }
  }

  // A stable handler for the (memoised) seat buttons, always calling the latest toggle.
  const toggleRef = useRef(toggle);
  toggleRef.current = toggle;
  const onToggle = useCallback((id: string) => void toggleRef.current(id), []);

  async function checkout() {
    if (selected.length === 0) return;
    // Seats in the order waiting for payment are in no basket: pay for those first (or cancel them there).
    if (pendingOrder) return onContinue();
    setCheckingOut(true);
    setMessage(null);
    const seatIds = selected.map((s) => s.seat.id);
    try {
      let r;
      try {
        r = await api.checkout(show.id, seatIds);
      } catch (e) {
        // The server may have made the order and lost the answer; the same checkout again returns it.
        if (!answerLost(toApiError(e).status)) throw e;
        r = await api.checkout(show.id, seatIds);
      }
      onCheckedOut(r.order);
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'NOT_ADMITTED' || err.code === 'UNAUTHENTICATED') {
        setCheckingOut(false);
        return onRefused(err);
      }
      // An order made by an earlier try (or another tab) is where this buyer goes on.
      const pending = await findPendingOrder(show.id).catch(() => null);
      setCheckingOut(false);
      if (pending) return onCheckedOut(pending);
      setMessage({ tone: 'error', text: err.code === 'SEAT_UNAVAILABLE' ? t('sellingView.checkSeats') : err.message });
      void loadAll();
    }
  }

  if (loadError && !loaded) {
    return (
      <RetryableError error={loadError} onRetry={() => void loadAll()} />
    );
  }

  return (
    <div className="selling">
      <div className="selling-main">
        <section className="card selling-section" aria-labelledby="areas-title">
          <div className="section-head">
            <h2 id="areas-title" className="section-title">
              {t('sellingView.stepArea')}
            </h2>
          </div>
          <AreaPicker areas={show.areas} available={available} selectedId={areaId} mineByArea={mineByArea} onPick={pickArea} />
        </section>

        <section className="card selling-section seats-section" aria-labelledby="seats-title" ref={seatsSection} data-testid="seats-section">
          <div className="section-head">
            <h2 id="seats-title" className="section-title">
              {area
                ? area.kind === 'standing'
                  ? t('sellingView.stepPlacesIn', { area: area.name })
                  : t('sellingView.stepSeatsIn', { area: area.name })
                : t('sellingView.stepSeats')}
            </h2>
            {area && <span className="muted">{t('sellingView.each', { price: formatMoney(area.price, area.currency) })}</span>}
          </div>
          {area?.kind !== 'standing' && <SeatLegend />}
          <div className="seat-messages" aria-live="polite">
            {message?.tone === 'error' && <ErrorMessage>{message.text}</ErrorMessage>}
            {message?.tone === 'info' && <Notice>{message.text}</Notice>}
          </div>
          {!area ? (
            <p className="seat-map-empty">{t('sellingView.chooseArea')}</p>
          ) : area.kind === 'standing' ? (
            <QuantityHold kind="standing" free={available(area)} max={limit - mine.length} disabled={checkingOut} onHold={holdMany} />
          ) : !loaded && areaSeats.length === 0 ? (
            <Spinner label={t('sellingView.loadingSeats')} />
          ) : (
            <>
              <div className="seat-tools">
                <QuantityHold kind="best" free={available(area)} max={limit - mine.length} disabled={checkingOut} onHold={holdMany} />
                {hasAccessible && (
                  <label className="checkbox">
                    <input type="checkbox" checked={onlyAccessible} onChange={(e) => setOnlyAccessible(e.target.checked)} />
                    {t('sellingView.onlyAccessible')}
                  </label>
                )}
              </div>
              <SeatMap
                areaName={area.name}
                seats={shownSeats}
                price={area.price}
                currency={area.currency}
                busy={busy}
                onToggle={onToggle}
              />
            </>
          )}
          {area && area.kind !== 'standing' && <p className="muted small seat-map-help">{t('sellingView.keys')}</p>}
        </section>
      </div>

      <SelectionSummary
        selected={selected}
        currency={show.areas[0]?.currency ?? 'TWD'}
        limit={limit}
        owned={owned}
        nothingLeft={nothingLeft}
        busy={busy}
        checkingOut={checkingOut}
        onRemove={onToggle}
        onCheckout={() => void checkout()}
        pendingOrder={pendingOrder}
        onContinue={onContinue}
      />
    </div>
  );
}

/** "Row 3, seats 4–6" for a block of one row; else each seat. */
function seatsText(t: TFunction, seats: { row: number | null; number: number | null }[]): string {
  const rows = new Set(seats.map((s) => s.row));
  const numbers = seats.map((s) => s.number ?? 0).sort((a, b) => a - b);
  if (rows.size === 1 && seats[0]?.row !== null && numbers.length > 0) {
    const row = seats[0]!.row;
    return numbers.length === 1 ? t('sellingView.rowSeat', { row, seat: numbers[0] }) : t('sellingView.rowSeats', { row, from: numbers[0], to: numbers.at(-1) });
  }
  return seats.map((s) => t('sellingView.rowSeatShort', { row: s.row, seat: s.number })).join(', ');
}
