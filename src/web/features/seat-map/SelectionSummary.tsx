import type { Order, Seat } from '../../../shared/api.js';
import { formatMoney } from '../../lib/format.js';
import { CloseIcon } from '../../components/CloseIcon.js';

export interface SelectedSeat {
  seat: Seat;
  areaName: string;
  price: number;
}

/** The seats this account holds, their total, and the way to checkout. */
export function SelectionSummary({
  selected,
  currency,
  limit,
  owned,
  nothingLeft,
  busy,
  checkingOut,
  onRemove,
  onCheckout,
  pendingOrder,
  onContinue,
}: {
  selected: SelectedSeat[];
  currency: string;
  limit: number;
  /** Seats of this show already bought (or locked) by this account: they count against the limit too. */
  owned: number;
  /** Why there is nothing to pick (every seat sold or held by others); undefined while there is. */
  nothingLeft?: string;
  busy: ReadonlySet<string>;
  checkingOut: boolean;
  onRemove: (seatId: string) => void;
  onCheckout: () => void;
  /** An order waiting for payment: its seats are this account's, locked until it is paid or cancelled. */
  pendingOrder?: Order;
  onContinue?: () => void;
}) {
  const total = selected.reduce((n, s) => n + s.price, 0);
  const left = Math.max(0, limit - owned - selected.length);
  return (
    <aside className="selection card" aria-labelledby="selection-title">
      <div className="selection-head">
        <h2 id="selection-title" className="selection-title">
          Your seats
        </h2>
        <span className="selection-count" aria-live="polite">
          {selected.length} selected · {left} more allowed
        </span>
      </div>
      {selected.length === 0 && nothingLeft ? (
        <p className="selection-empty" role="status" data-testid="nothing-left">
          {nothingLeft}
        </p>
      ) : selected.length === 0 ? (
        <p className="muted selection-empty">
          Pick up to {limit} seats on the map{owned > 0 ? ` (you already have ${owned} for this show)` : ''}.
        </p>
      ) : (
        <ul className="selection-list">
          {selected.map(({ seat, areaName, price }) => (
            <li key={seat.id} className="selection-item" data-testid="selected-seat">
              <div>
                <span className="selection-seat">
                  {seat.row === null ? 'Standing place' : `Row ${seat.row} · Seat ${seat.number}`}
                </span>
                <span className="muted small">{areaName}</span>
              </div>
              <span className="selection-price">{formatMoney(price, currency)}</span>
              <button
                type="button"
                className="icon-button"
                onClick={() => onRemove(seat.id)}
                disabled={busy.has(seat.id) || checkingOut}
                aria-label={seat.row === null ? `Remove a standing place (${areaName})` : `Remove row ${seat.row}, seat ${seat.number}`}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      )}
      {pendingOrder && (
        <div className="selection-pending" data-testid="pending-order">
          <p className="small">
            <strong>Waiting for payment:</strong>{' '}
            {pendingOrder.items.map((i) => `Row ${i.row} · Seat ${i.number}`).join(', ')}
          </p>
          <button type="button" className="btn btn-primary btn-block" onClick={onContinue} data-testid="continue-to-payment">
            Continue to payment · {formatMoney(pendingOrder.total, pendingOrder.currency)}
          </button>
        </div>
      )}
      <div className="selection-footer">
        <div className="selection-total">
          <span>Total</span>
          <strong data-testid="selection-total">{formatMoney(total, currency)}</strong>
        </div>
        <button
          type="button"
          className="btn btn-primary btn-lg btn-block"
          disabled={selected.length === 0 || checkingOut}
          onClick={onCheckout}
          data-testid="checkout-button"
        >
          {checkingOut ? 'Reserving your seats…' : selected.length ? `Checkout · ${selected.length} ${selected.length === 1 ? 'seat' : 'seats'}` : 'Checkout'}
        </button>
      </div>
    </aside>
  );
}
