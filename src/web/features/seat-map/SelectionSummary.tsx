import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const total = selected.reduce((n, s) => n + s.price, 0);
  const left = Math.max(0, limit - owned - selected.length);
  return (
    <aside className="selection card" aria-labelledby="selection-title">
      <div className="selection-head">
        <h2 id="selection-title" className="selection-title">
          {t('selling.yourSeats')}
        </h2>
        <span className="selection-count" aria-live="polite">
          {t('selling.count', { selected: selected.length, left })}
        </span>
      </div>
      {selected.length === 0 && nothingLeft ? (
        <p className="selection-empty" role="status" data-testid="nothing-left">
          {nothingLeft}
        </p>
      ) : selected.length === 0 ? (
        <p className="muted selection-empty">
          {owned > 0 ? t('selling.pickUpToOwned', { count: limit, owned }) : t('selling.pickUpTo', { count: limit })}
        </p>
      ) : (
        <ul className="selection-list">
          {selected.map(({ seat, areaName, price }) => (
            <li key={seat.id} className="selection-item" data-testid="selected-seat">
              <div>
                <span className="selection-seat">
                  {seat.row === null ? t('selling.standingPlace') : t('selling.rowSeat', { row: seat.row, seat: seat.number })}
                </span>
                <span className="muted small">{areaName}</span>
              </div>
              <span className="selection-price">{formatMoney(price, currency)}</span>
              <button
                type="button"
                className="icon-button"
                onClick={() => onRemove(seat.id)}
                disabled={busy.has(seat.id) || checkingOut}
                aria-label={seat.row === null ? t('selling.removeStanding', { area: areaName }) : t('selling.removeSeat', { row: seat.row, seat: seat.number })}
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
            <strong>{t('selling.waitingPayment')}</strong>{' '}
            {pendingOrder.items.map((i) => (i.row === null ? t('selling.standingPlace') : t('selling.rowSeat', { row: i.row, seat: i.number }))).join(', ')}
          </p>
          <button type="button" className="btn btn-primary btn-block" onClick={onContinue} data-testid="continue-to-payment">
            {t('selling.continue', { amount: formatMoney(pendingOrder.total, pendingOrder.currency) })}
          </button>
        </div>
      )}
      <div className="selection-footer">
        <div className="selection-total">
          <span>{t('selling.total')}</span>
          <strong data-testid="selection-total">{formatMoney(total, currency)}</strong>
        </div>
        <button
          type="button"
          className="btn btn-primary btn-lg btn-block"
          disabled={selected.length === 0 || checkingOut}
          onClick={onCheckout}
          data-testid="checkout-button"
        >
          {checkingOut ? t('selling.reserving') : selected.length ? t('selling.checkoutN', { count: selected.length }) : t('selling.checkout')}
        </button>
      </div>
    </aside>
  );
}
