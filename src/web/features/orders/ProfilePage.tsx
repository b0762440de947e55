import { Link } from 'react-router-dom';
import type { Order } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { OrderStatusBadge } from '../../components/Badge.js';
import { RetryableError } from '../../components/ErrorMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { formatDateTime, formatMoney, plural } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { OrderItems, OrderShowLine, TicketList, orderTitle } from '../../components/OrderParts.js';

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
        {orders.status === 'ok' && orders.data.orders.length > 0 && (
          <ul className="order-list">
            {orders.data.orders.map((o) => (
              <OrderRow key={o.id} order={o} />
            ))}
          </ul>
        )}
      </section>
    </div>
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
            Ordered {formatDateTime(order.createdAt)} · {plural(order.items.length, 'seat')}
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
