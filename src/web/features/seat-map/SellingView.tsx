import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AreaSummary, Order, ShowDetail } from '../../../shared/api.js';
import { ERROR_MESSAGES } from '../../../shared/errors.js';
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
      ? "Everything left is in other fans' baskets right now — seats may come back if they don't buy."
      : 'Sold out — every seat of this show has been sold.';
  }, [loaded, all]);

  const limit = show.maxTicketsPerAccount;
  const atLimit = mine.length >= limit;

  const toggle = useCallback(
    async (seatId: string) => {
      const seat = seats.get(seatId);
      if (!seat) return;
      setMessage(null);
      const isMine = seat.mine && seat.status === 'selected';
      if (!isMine && atLimit) {
        setMessage({ tone: 'error', text: `${ERROR_MESSAGES.TICKET_LIMIT_REACHED} You can have up to ${limit} seats for this show; remove one to pick another.` });
        return;
      }
      try {
        if (isMine) await release(seatId);
        else await hold(seatId);
      } catch (e) {
        const err = toApiError(e);
        if (err.code === 'NOT_ADMITTED' || err.code === 'UNAUTHENTICATED') return onRefused(err);
        if (err.code === 'TICKET_LIMIT_REACHED') {
          setMessage({ tone: 'error', text: `${err.message} You can have up to ${limit} seats for this show; remove one to pick another.` });
          void loadAll();
        } else setMessage({ tone: 'error', text: err.message });
      }
    },
    [seats, atLimit, limit, hold, release, loadAll, onRefused],
  );

  /** Standing places, or the best available block: all or none. */
  async function holdMany(quantity: number) {
    if (!area) return;
    setMessage(null);
    try {
      const got = await holdArea(area.id, quantity);
      const where = area.kind === 'standing' ? `${got.length} standing ${got.length === 1 ? 'place' : 'places'}` : seatsText(got);
      setMessage({ tone: 'info', text: `Held for you: ${where}.` });
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'NOT_ADMITTED' || err.code === 'UNAUTHENTICATED') return onRefused(err);
      const text =
        err.code === 'SEAT_UNAVAILABLE'
          ? area.kind === 'standing'
            ? `Not ${quantity} places are free right now. Try fewer.`
            : `No ${quantity} seats together are free in ${area.name}. Try fewer, another area, or pick on the map.`
          : err.code === 'TICKET_LIMIT_REACHED'
            ? `${err.message} You can have up to ${limit} for this show.`
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
      setMessage({ tone: 'error', text: err.code === 'SEAT_UNAVAILABLE' ? `${err.message} Check your seats and try again.` : err.message });
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
              1. Choose an area
            </h2>
          </div>
          <AreaPicker areas={show.areas} available={available} selectedId={areaId} mineByArea={mineByArea} onPick={pickArea} />
        </section>

        <section className="card selling-section seats-section" aria-labelledby="seats-title" ref={seatsSection} data-testid="seats-section">
          <div className="section-head">
            <h2 id="seats-title" className="section-title">
              2. {area?.kind === 'standing' ? 'How many places' : 'Pick your seats'}{area ? ` in ${area.name}` : ''}
            </h2>
            {area && <span className="muted">{formatMoney(area.price, area.currency)} each</span>}
          </div>
          {area?.kind !== 'standing' && <SeatLegend />}
          <div className="seat-messages" aria-live="polite">
            {message?.tone === 'error' && <ErrorMessage>{message.text}</ErrorMessage>}
            {message?.tone === 'info' && <Notice>{message.text}</Notice>}
          </div>
          {!area ? (
            <p className="seat-map-empty">Choose an area above to see its seats.</p>
          ) : area.kind === 'standing' ? (
            <QuantityHold kind="standing" free={available(area)} max={limit - mine.length} disabled={checkingOut} onHold={holdMany} />
          ) : !loaded && areaSeats.length === 0 ? (
            <Spinner label="Loading seats…" />
          ) : (
            <>
              <div className="seat-tools">
                <QuantityHold kind="best" free={available(area)} max={limit - mine.length} disabled={checkingOut} onHold={holdMany} />
                {hasAccessible && (
                  <label className="checkbox">
                    <input type="checkbox" checked={onlyAccessible} onChange={(e) => setOnlyAccessible(e.target.checked)} />
                    Show only wheelchair places (♿)
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
          {area && area.kind !== 'standing' && <p className="muted small seat-map-help">Use the arrow keys to move between seats and Enter or Space to select.</p>}
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
function seatsText(seats: { row: number | null; number: number | null }[]): string {
  const rows = new Set(seats.map((s) => s.row));
  const numbers = seats.map((s) => s.number ?? 0).sort((a, b) => a - b);
  if (rows.size === 1 && seats[0]?.row !== null && numbers.length > 0) {
    return numbers.length === 1 ? `row ${seats[0]!.row}, seat ${numbers[0]}` : `row ${seats[0]!.row}, seats ${numbers[0]}–${numbers.at(-1)}`;
  }
  return seats.map((s) => `row ${s.row} seat ${s.number}`).join(', ');
}
