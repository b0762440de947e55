import type { TFunction } from 'i18next';
import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Seat } from '../../../shared/api.js';
import { formatMoney } from '../../lib/format.js';
import { viewOf, type SeatView } from './use-seats.js';

/** How a screen reader says each state of a seat. */
const spokenStatus = (t: TFunction): Record<SeatView, string> => ({
  available: t('seatMap.status.available'),
  mine: t('seatMap.status.mine'),
  selected: t('seatMap.status.selected'),
  locked: t('seatMap.status.locked'),
  sold: t('seatMap.status.sold'),
});

export function SeatLegend() {
  const { t } = useTranslation();
  const LEGEND: { view: SeatView; label: string }[] = [
    { view: 'available', label: t('seatMap.legend.available') },
    { view: 'mine', label: t('seatMap.legend.mine') },
    { view: 'selected', label: t('seatMap.legend.selected') },
    { view: 'locked', label: t('seatMap.legend.locked') },
    { view: 'sold', label: t('seatMap.legend.sold') },
  ];
  return (
    <ul className="seat-legend" aria-label={t('seatMap.colours')}>
      {LEGEND.map((l) => (
        <li key={l.view}>
          <span className={`seat-swatch seat-${l.view}`} aria-hidden="true" />
          {l.label}
        </li>
      ))}
      <li>
        <span className="seat-swatch seat-available seat-isa" aria-hidden="true">
          ♿
        </span>
        {t('seatMap.wheelchair')}
      </li>
    </ul>
  );
}

/** A seat of a seated area: row and number are set (only standing places have none). */
type GridSeat = Seat & { row: number; number: number };
const isGridSeat = (s: Seat): s is GridSeat => s.row !== null && s.number !== null;

interface Row {
  row: number;
  seats: GridSeat[];
}

/**
 * The seats of one area as a grid by row and number. One seat is in the tab order at a time
 * (roving tabindex); arrow keys move between seats, Home/End to the ends of a row, and
 * Enter/Space toggle (native button behaviour).
 */
export function SeatMap({
  areaName,
  seats,
  price,
  currency,
  busy,
  onToggle,
}: {
  areaName: string;
  seats: Seat[];
  price: number;
  currency: string;
  busy: ReadonlySet<string>;
  onToggle: (seatId: string) => void;
}) {
  const { t } = useTranslation();
  const rows = useMemo<Row[]>(() => {
    const byRow = new Map<number, GridSeat[]>();
    for (const s of seats.filter(isGridSeat)) {
      const list = byRow.get(s.row);
      if (list) list.push(s);
      else byRow.set(s.row, [s]);
    }
    return [...byRow.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([row, list]) => ({ row, seats: list.sort((a, b) => a.number - b.number) }));
  }, [seats]);

  const index = useMemo(() => {
    const at = new Map<string, [number, number]>();
    rows.forEach((r, ri) => r.seats.forEach((s, ci) => at.set(s.id, [ri, ci])));
    return at;
  }, [rows]);

  const maxNumber = useMemo(() => rows.reduce((m, r) => Math.max(m, r.seats.at(-1)?.number ?? 0), 0), [rows]);
  const minNumber = useMemo(
    () => rows.reduce((m, r) => Math.min(m, r.seats[0]?.number ?? Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY),
    [rows],
  );

  const [focusId, setFocusId] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const register = useCallback((id: string, el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(id, el);
    else buttons.current.delete(id);
  }, []);

  // The tabbable seat: the last focused one, else the first available, else the first.
  const tabbableId = useMemo(() => {
    if (focusId && index.has(focusId)) return focusId;
    for (const r of rows) for (const s of r.seats) if (viewOf(s) === 'available') return s.id;
    return rows[0]?.seats[0]?.id ?? null;
  }, [focusId, index, rows]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const target = e.target as HTMLElement;
      const id = target.dataset.seatId;
      if (!id) return;
      const pos = index.get(id);
      if (!pos) return;
      const [ri, ci] = pos;
      const row = rows[ri];
      if (!row) return;
      let next: GridSeat | undefined;
      const nearestIn = (r: Row | undefined, number: number) =>
        r?.seats.reduce<GridSeat | undefined>(
          (best, s) => (!best || Math.abs(s.number - number) < Math.abs(best.number - number) ? s : best),
          undefined,
        );
      const current = row.seats[ci];
      switch (e.key) {
        case 'ArrowRight':
          next = row.seats[ci + 1];
          break;
        case 'ArrowLeft':
          next = ci > 0 ? row.seats[ci - 1] : undefined;
          break;
        case 'ArrowDown':
          next = current && nearestIn(rows[ri + 1], current.number);
          break;
        case 'ArrowUp':
          next = current && ri > 0 ? nearestIn(rows[ri - 1], current.number) : undefined;
          break;
        case 'Home':
          next = e.ctrlKey ? rows[0]?.seats[0] : row.seats[0];
          break;
        case 'End':
          next = e.ctrlKey ? rows.at(-1)?.seats.at(-1) : row.seats.at(-1);
          break;
        default:
          return;
      }
      e.preventDefault();
      if (!next) return;
      setFocusId(next.id);
      buttons.current.get(next.id)?.focus();
    },
    [index, rows],
  );

  const priceText = formatMoney(price, currency);
  const spoken = spokenStatus(t);
  const labelOf = (s: Seat) => {
    const v = { row: s.row, seat: s.number, price: priceText, status: spoken[viewOf(s)] };
    return s.accessible ? t('seatMap.seatAccessible', v) : t('seatMap.seat', v);
  };
  const columns = Number.isFinite(minNumber) ? maxNumber - minNumber + 1 : 0;

  return (
    <div className="seat-map-scroll">
      <div className="seat-map" style={{ ['--cols' as string]: columns }}>
        <div className="stage" aria-hidden="true">
          {t('seatMap.stage')}
        </div>
        <div role="grid" aria-label={t('seatMap.seatsIn', { area: areaName })} className="seat-grid" onKeyDown={onKeyDown}>
          {rows.map((r) => (
            <div role="row" className="seat-row" key={r.row}>
              <span role="rowheader" className="row-label">
                <span className="visually-hidden">{t('seatMap.row')}</span>
                {r.row}
              </span>
              {r.seats.map((s) => (
                <span
                  role="gridcell"
                  className="seat-cell"
                  key={s.id}
                  style={{ gridColumn: s.number - minNumber + 2 }}
                >
                  <SeatButton
                    seat={s}
                    label={labelOf(s)}
                    tabbable={s.id === tabbableId}
                    busy={busy.has(s.id)}
                    onToggle={onToggle}
                    onFocus={setFocusId}
                    register={register}
                  />
                </span>
              ))}
              <span className="row-label row-label-end" aria-hidden="true">
                {r.row}
              </span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

const SeatButton = memo(function SeatButton({
  seat,
  label,
  tabbable,
  busy,
  onToggle,
  onFocus,
  register,
}: {
  seat: Seat;
  /** What a screen reader says: row, seat, price and state, in the reader's language. */
  label: string;
  tabbable: boolean;
  busy: boolean;
  onToggle: (seatId: string) => void;
  onFocus: (seatId: string) => void;
  register: (id: string, el: HTMLButtonElement | null) => void;
}) {
  const view = viewOf(seat);
  const actionable = view === 'available' || view === 'mine';
  return (
    <button
      type="button"
      ref={(el) => {
        register(seat.id, el);
        return () => register(seat.id, null);
      }}
      className={`seat seat-${view}${busy ? ' seat-busy' : ''}${seat.accessible ? ' seat-accessible' : ''}`}
      data-testid="seat"
      data-status={view}
      data-seat-id={seat.id}
      aria-label={label}
      data-accessible={seat.accessible || undefined}
      aria-pressed={actionable ? view === 'mine' : undefined}
      aria-disabled={!actionable || busy ? true : undefined}
      aria-busy={busy || undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => {
        if (actionable && !busy) onToggle(seat.id);
      }}
      onFocus={() => onFocus(seat.id)}
    >
      <span aria-hidden="true">{seat.accessible ? '♿' : seat.number}</span>
    </button>
  );
});
