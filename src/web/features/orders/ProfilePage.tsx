import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Order } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { OrderStatusBadge } from '../../components/Badge.js';
import { RetryableError } from '../../components/ErrorMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { formatDateTime, formatMoney } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { OrderItems, OrderShowLine, TicketList, orderTitle, orderZone } from '../../components/OrderParts.js';

export function ProfilePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('profile.title'));
  const { user } = useAuth();
  const orders = useLoad(() => api.orders(), []);
  if (!user) return null;

  return (
    <div className="container profile-page">
      <section className="profile-head card" aria-labelledby="profile-title">
        <span className="avatar avatar-lg" aria-hidden="true">
          {user.name.trim()[0]?.toUpperCase() ?? '?'}
        </span>
        <div>
          <h1 id="profile-title" className="profile-name">
            {user.name}
          </h1>
          <p className="muted">{user.email}</p>
          {user.role === 'admin' && <p className="profile-role">{t('profile.organizer')}</p>}
          <p className="muted small">
            <Link to="/forgot-password" data-testid="forgot-password-link">
              {t('auth.forgot')}
            </Link>
          </p>
        </div>
      </section>

      <section aria-labelledby="orders-title" className="section">
        <div className="section-head">
          <h2 id="orders-title" className="section-title">
            {t('profile.orders')}
          </h2>
          {orders.status === 'ok' && <span className="muted">{t('profile.orderCount', { count: orders.data.orders.length })}</span>}
        </div>
        {orders.status === 'loading' && <Spinner label={t('profile.loading')} />}
        {orders.status === 'error' && (
          <RetryableError error={orders.error} onRetry={orders.reload} />
        )}
        {orders.status === 'ok' && orders.data.orders.length === 0 && (
          <div className="empty-state card" data-testid="orders-empty">
            <p className="empty-state-title">{t('profile.noOrders')}</p>
            <p className="muted">{t('profile.noOrdersText')}</p>
            <Link to="/" className="btn btn-primary">
              {t('profile.findEvent')}
            </Link>
          </div>
        )}
        {orders.status === 'ok' && orders.data.orders.length > 0 && <OrdersByDate orders={orders.data.orders} />}
      </section>
    </div>
  );
}

/** Orders for shows still to come first (soonest first), then those whose show has been played (latest first). */
function OrdersByDate({ orders }: { orders: Order[] }) {
  const { t } = useTranslation();
  const now = Date.now();
  const startsAt = (o: Order) => (o.show ? Date.parse(o.show.startsAt) : Infinity);
  const upcoming = orders.filter((o) => startsAt(o) > now).sort((a, b) => startsAt(a) - startsAt(b));
  const past = orders.filter((o) => startsAt(o) <= now).sort((a, b) => startsAt(b) - startsAt(a));
  return (
    <>
      <section aria-labelledby="upcoming-title" className="order-group" data-testid="orders-upcoming">
        <h3 id="upcoming-title" className="order-group-title">
          {t('profile.upcoming')}
        </h3>
        {upcoming.length === 0 ? (
          <p className="muted">{t('profile.nothingUpcoming')}</p>
        ) : (
          <ul className="order-list">
            {upcoming.map((o) => (
              <OrderRow key={o.id} order={o} />
            ))}
          </ul>
        )}
      </section>
      {past.length > 0 && (
        <section aria-labelledby="past-title" className="order-group" data-testid="orders-past">
          <h3 id="past-title" className="order-group-title">
            {t('profile.past')}
          </h3>
          <ul className="order-list">
            {past.map((o) => (
              <OrderRow key={o.id} order={o} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function OrderRow({ order }: { order: Order }) {
  const { t } = useTranslation();
  const pendingLive = order.status === 'pending' && Date.parse(order.expiresAt) > Date.now();
  return (
    <li className="order-row card" data-testid="order-row" data-order-id={order.id} data-status={order.status}>
      <div className="order-row-head">
        <div>
          <h3 className="order-row-title">
            <Link to={`/orders/${order.id}`}>{orderTitle(order, t)}</Link>
          </h3>
          <OrderShowLine order={order} />
          <p className="muted small">
            {t('profile.orderedOn', { date: formatDateTime(order.createdAt, orderZone(order)), count: order.items.length })}
          </p>
        </div>
        <div className="order-row-side">
          <OrderStatusBadge status={order.status} />
          <span className="order-row-total">{formatMoney(order.total, order.currency)}</span>
        </div>
      </div>
      <OrderItems order={order} />
      {order.status === 'paid' && order.tickets.length > 0 && <TicketList order={order} size={112} />}
      <div className="order-row-actions">
        {pendingLive && (
          <Link to={`/shows/${order.showId}`} className="btn btn-primary btn-sm">
            {t('order.continue')}
          </Link>
        )}
        <Link to={`/orders/${order.id}`} className="btn btn-secondary btn-sm">
          {order.status === 'paid' ? t('profile.openTickets') : t('profile.viewOrder')}
        </Link>
      </div>
    </li>
  );
}
