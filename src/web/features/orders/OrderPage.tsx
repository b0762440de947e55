import { Link, useParams } from 'react-router-dom';
import { OrderStatusBadge } from '../../components/Badge.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { formatDateTime, formatMoney, plural } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { OrderItems, OrderShowLine, TicketList, orderTitle, orderZone } from '../../components/OrderParts.js';

export function OrderPage() {
  const orderId = (useParams().orderId ?? '').toLowerCase();
  const loaded = useLoad(() => api.order(orderId), [orderId]);
  const order = loaded.status === 'ok' ? loaded.data.order : undefined;
  useDocumentTitle(order ? (order.status === 'paid' ? "You're going!" : 'Your order') : undefined);

  if (loaded.status === 'loading') return <Spinner label="Loading your order…" />;
  if (loaded.status === 'error' || !order) {
    const missing = loaded.error?.code === 'NOT_FOUND' || loaded.error?.code === 'VALIDATION_FAILED';
    return (
      <div className="container narrow">
        <PageMessage
          icon="error"
          title={missing ? 'Order not found' : 'Could not load this order'}
          actions={
            <Link to="/profile" className="btn btn-primary">
              Your orders
            </Link>
          }
        >
          {missing ? <p>This order does not exist or belongs to another account.</p> : <ErrorMessage error={loaded.error} />}
        </PageMessage>
      </div>
    );
  }

  const paid = order.status === 'paid';
  return (
    <div className="container order-page">
      {paid ? (
        <section className="success-hero" aria-labelledby="order-title">
          <div className="success-burst" aria-hidden="true">
            <svg viewBox="0 0 48 48">
              <circle cx="24" cy="24" r="22" fill="currentColor" opacity=".15" />
              <path d="m14 25 7 7 13-15" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </div>
          <h1 id="order-title">You're going!</h1>
          <p className="success-lead">
            {plural(order.tickets.length, 'ticket')} for <strong>{orderTitle(order)}</strong>. Show the QR codes at the
            door — they are also in your profile.
          </p>
          <OrderShowLine order={order} />
        </section>
      ) : (
        <section className="order-head" aria-labelledby="order-title">
          <h1 id="order-title">{orderTitle(order)}</h1>
          <OrderShowLine order={order} />
          <OrderStatusBadge status={order.status} />
          {order.status === 'pending' && Date.parse(order.expiresAt) > Date.now() && (
            <p>
              This order is waiting for payment until {formatDateTime(order.expiresAt, orderZone(order))}.{' '}
              <Link to={`/shows/${order.showId}`}>Continue to payment</Link>
            </p>
          )}
          {order.status === 'expired' && <p className="muted">The time to pay ran out and the seats were released.</p>}
          {order.status === 'cancelled' && <p className="muted">This order was cancelled and the seats were released.</p>}
          {order.status === 'refunded' && (
            <p className="muted" data-testid="order-refunded">
              This order was refunded{order.refundedAt ? ` on ${formatDateTime(order.refundedAt, orderZone(order))}` : ''}: the money goes back to
              your card and its tickets are no longer valid.
            </p>
          )}
        </section>
      )}

      {paid && order.tickets.length > 0 && (
        <section aria-labelledby="tickets-title" className="section">
          <h2 id="tickets-title" className="section-title">
            Your tickets
          </h2>
          <TicketList order={order} size={220} variant="large" />
        </section>
      )}

      <section aria-labelledby="summary-title" className="section card order-summary-card">
        <div className="section-head">
          <h2 id="summary-title" className="section-title">
            Order summary
          </h2>
          <span className="muted small">Order {order.id.slice(0, 8).toUpperCase()}</span>
        </div>
        <OrderItems order={order} />
        <dl className="order-meta">
          <div>
            <dt>Status</dt>
            <dd>
              <OrderStatusBadge status={order.status} />
            </dd>
          </div>
          <div>
            <dt>Ordered</dt>
            <dd>{formatDateTime(order.createdAt, orderZone(order))}</dd>
          </div>
          {order.paidAt && (
            <div>
              <dt>Paid</dt>
              <dd>{formatDateTime(order.paidAt, orderZone(order))}</dd>
            </div>
          )}
          <div>
            <dt>Total</dt>
            <dd>{formatMoney(order.total, order.currency)}</dd>
          </div>
        </dl>
      </section>

      <div className="page-actions">
        <Link to="/profile" className="btn btn-secondary">
          All your orders
        </Link>
        <Link to="/" className="btn btn-ghost">
          Browse more events
        </Link>
      </div>
    </div>
  );
}
