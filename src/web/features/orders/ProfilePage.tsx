import { Link } from 'react-router-dom';
import type { Order } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { OrderStatusBadge } from '../../components/Badge.js';
import { RetryableError } from '../../components/ErrorMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { formatDateTime, formatMoney, plural } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { OrderItems, OrderShowLine, TicketList, orderTitle, orderZone } from '../../components/OrderParts.js';

export function ProfilePage() {
  useDocumentTitle('Your profile');
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
          {user.role === 'admin' && <p className="profile-role">Organizer account</p>}
          <p className="muted small">
            <Link to="/forgot-password" data-testid="forgot-password-link">
              Forgot your password?
            </Link>
          </p>
        </div>
      </section>

      <section aria-labelledby="orders-title" className="section">
        <div className="section-head">
          <h2 id="orders-title" className="section-title">
            Your orders
          </h2>
          {orders.status === 'ok' && <span className="muted">{plural(orders.data.orders.length, 'order')}</span>}
        </div>
        {orders.status === 'loading' && <Spinner label="Loading your orders…" />}
        {orders.status === 'error' && (
          <RetryableError error={orders.error} onRetry={orders.reload} />
        )}
        {orders.status === 'ok' && orders.data.orders.length === 0 && (
          <div className="empty-state card" data-testid="orders-empty">
            <p className="empty-state-title">No orders yet</p>
            <p className="muted">When you buy tickets, they show up here with their QR codes.</p>
            <Link to="/" className="btn btn-primary">
              Find an event
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
  const now = Date.now();
  const startsAt = (o: Order) => (o.show ? Date.parse(o.show.startsAt) : Infinity);
  const upcoming = orders.filter((o) => startsAt(o) > now).sort((a, b) => startsAt(a) - startsAt(b));
  const past = orders.filter((o) => startsAt(o) <= now).sort((a, b) => startsAt(b) - startsAt(a));
  return (
    <>
      <section aria-labelledby="upcoming-title" className="order-group" data-testid="orders-upcoming">
        <h3 id="upcoming-title" className="order-group-title">
          Upcoming
        </h3>
        {upcoming.length === 0 ? (
          <p className="muted">Nothing coming up.</p>
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
            Past
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
  const pendingLive = order.status === 'pending' && Date.parse(order.expiresAt) > Date.now();
  return (
    <li className="order-row card" data-testid="order-row" data-order-id={order.id} data-status={order.status}>
      <div className="order-row-head">
        <div>
          <h3 className="order-row-title">
            <Link to={`/orders/${order.id}`}>{orderTitle(order)}</Link>
          </h3>
          <OrderShowLine order={order} />
          <p className="muted small">
            Ordered {formatDateTime(order.createdAt, orderZone(order))} · {plural(order.items.length, 'seat')}
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
            Continue to payment
          </Link>
        )}
        <Link to={`/orders/${order.id}`} className="btn btn-secondary btn-sm">
          {order.status === 'paid' ? 'Open tickets' : 'View order'}
        </Link>
      </div>
    </li>
  );
}
