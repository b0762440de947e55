import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Order, OrderItem, Ticket } from '../../shared/api.js';
import { QrCode } from './QrCode.js';
import { formatDateTime, formatMoney } from '../lib/format.js';

/** The zone the order's times are shown in: its venue's (undefined while the order has no show). */
export const orderZone = (order: Order): string | undefined => order.show?.venueTimeZone;

/** What the order is for, as one line of text. */
export function orderTitle(order: Order, t: TFunction): string {
  return order.show?.eventTitle ?? t('order.fallbackTitle');
}

export function OrderShowLine({ order }: { order: Order }) {
  if (!order.show) return null;
  return (
    <p className="order-show-line">
      {order.show.artist && <span>{order.show.artist}</span>}
      <span>
        <time dateTime={order.show.startsAt}>{formatDateTime(order.show.startsAt, order.show.venueTimeZone)}</time>
      </span>
      {order.show.venueName && <span>{order.show.venueName}</span>}
    </p>
  );
}

/** "Floor · Row 3 · Seat 7"; a standing place (row and number null) is its area and "Standing". */
export const seatLabel = (i: { areaName?: string | undefined; row?: number | null | undefined; number?: number | null | undefined }, t: TFunction): string =>
  [i.areaName, i.row === null ? t('order.standing') : i.row !== undefined ? t('order.rowN', { n: i.row }) : '', i.number != null ? t('order.seatN', { n: i.number }) : '']
    .filter(Boolean)
    .join(' · ');

export function OrderItems({ order }: { order: Order }) {
  const { t } = useTranslation();
  const items = [...order.items].sort(byPlace);
  return (
    <table className="order-items">
      <thead>
        <tr>
          <th scope="col">{t('order.area')}</th>
          <th scope="col">{t('order.row')}</th>
          <th scope="col">{t('order.seat')}</th>
          <th scope="col" className="num">
            {t('order.price')}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.seatId} data-testid="order-item">
            <td>{i.areaName}</td>
            <td>{i.row ?? t('order.standing')}</td>
            <td>{i.number ?? ''}</td>
            <td className="num">{formatMoney(i.price, order.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t('order.total')}
          </th>
          <td className="num total">{formatMoney(order.total, order.currency)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function byPlace(a: OrderItem, b: OrderItem): number {
  return a.areaName.localeCompare(b.areaName) || (a.row ?? 0) - (b.row ?? 0) || (a.number ?? 0) - (b.number ?? 0);
}

/** The paid order's tickets, each with its QR code; the seat comes from the ticket or the matching item. */
export function TicketList({ order, size = 132, variant = 'compact' }: { order: Order; size?: number; variant?: 'compact' | 'large' }) {
  const { t: tr } = useTranslation();
  const itemsBySeat = new Map(order.items.map((i) => [i.seatId, i]));
  const tickets = order.tickets.map((t) => ({ t, where: placeOf(t, itemsBySeat.get(t.seatId), tr) }));
  return (
    <ul className={`ticket-list ticket-list-${variant}`}>
      {tickets.map(({ t, where }) => (
        <li key={t.id} className="ticket" data-testid="ticket" data-ticket-id={t.id}>
          <div className="ticket-qr">
            <QrCode value={t.code} size={size} label={tr('order.qrFor', { what: where || t.id })} />
          </div>
          <div className="ticket-info">
            <p className="ticket-event">{orderTitle(order, tr)}</p>
            <p className="ticket-seat">{where}</p>
            {order.show && <p className="ticket-when">{formatDateTime(order.show.startsAt, order.show.venueTimeZone)}</p>}
            <p className="ticket-code">
              <span className="visually-hidden">{tr('order.ticketCode')}</span>
              <code>{t.code}</code>
            </p>
            {t.checkedInAt && <p className="ticket-used">{tr('order.checkedIn', { date: formatDateTime(t.checkedInAt, orderZone(order)) })}</p>}
          </div>
        </li>
      ))}
    </ul>
  );
}

function placeOf(t: Ticket, item: OrderItem | undefined, tr: TFunction): string {
  return seatLabel(
    {
      areaName: t.areaName ?? item?.areaName,
      row: t.row ?? item?.row,
      number: t.number ?? item?.number,
    },
    tr,
  );
}
