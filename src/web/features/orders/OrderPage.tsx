import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { OrderStatusBadge } from '../../components/Badge.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { PageMessage } from '../../components/PageMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { formatDateTime, formatMoney } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { OrderItems, OrderShowLine, TicketList, orderTitle, orderZone } from '../../components/OrderParts.js';

export function OrderPage() {
  const { t } = useTranslation();
  const orderId = (useParams().orderId ?? '').toLowerCase();
  const loaded = useLoad(() => api.order(orderId), [orderId]);
  const order = loaded.status === 'ok' ? loaded.data.order : undefined;
  useDocumentTitle(order ? (order.status === 'paid' ? t('order.goingTitle') : t('order.yourOrder')) : undefined);

  if (loaded.status === 'loading') return <Spinner label={t('order.loading')} />;
  if (loaded.status === 'error' || !order) {
    const missing = loaded.error?.code === 'NOT_FOUND' || loaded.error?.code === 'VALIDATION_FAILED';
    return (
      <div className="container narrow">
        <PageMessage
          icon="error"
          title={missing ? t('order.missingTitle') : t('order.failedTitle')}
          actions={
            <Link to="/profile" className="btn btn-primary">
              {t('order.yourOrders')}
            </Link>
          }
        >
          {missing ? <p>{t('order.missing')}</p> : <ErrorMessage error={loaded.error} />}
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
          <h1 id="order-title">{t('order.goingTitle')}</h1>
          <p className="success-lead">
            <Trans
              i18nKey="order.goingLead"
              count={order.tickets.length}
              values={{ title: orderTitle(order, t) }}
              components={{ strong: <strong /> }}
            />
          </p>
          <OrderShowLine order={order} />
        </section>
      ) : (
        <section className="order-head" aria-labelledby="order-title">
          <h1 id="order-title">{orderTitle(order, t)}</h1>
          <OrderShowLine order={order} />
          <OrderStatusBadge status={order.status} />
          {order.status === 'pending' && Date.parse(order.expiresAt) > Date.now() && (
            <p>
              {t('order.waitingUntil', { date: formatDateTime(order.expiresAt, orderZone(order)) })}{' '}
              <Link to={`/shows/${order.showId}`}>{t('order.continue')}</Link>
            </p>
          )}
          {order.status === 'expired' && <p className="muted">{t('order.expired')}</p>}
          {order.status === 'cancelled' && <p className="muted">{t('order.cancelled')}</p>}
          {order.status === 'refunded' && (
            <p className="muted" data-testid="order-refunded">
              {order.refundedAt ? t('order.refundedOn', { date: formatDateTime(order.refundedAt, orderZone(order)) }) : t('order.refunded')}
            </p>
          )}
        </section>
      )}

      {paid && order.tickets.length > 0 && (
        <section aria-labelledby="tickets-title" className="section">
          <h2 id="tickets-title" className="section-title">
            {t('order.tickets')}
          </h2>
          <TicketList order={order} size={220} variant="large" />
          <p>
            <a href={`/api/orders/${order.id}/tickets.pdf`} download className="btn btn-secondary" data-testid="download-tickets-pdf">
              {t('orderPdf.download')}
            </a>
          </p>
        </section>
      )}

      <section aria-labelledby="summary-title" className="section card order-summary-card">
        <div className="section-head">
          <h2 id="summary-title" className="section-title">
            {t('order.summary')}
          </h2>
          <span className="muted small">{t('order.number', { id: order.id.slice(0, 8).toUpperCase() })}</span>
        </div>
        <OrderItems order={order} />
        <dl className="order-meta">
          <div>
            <dt>{t('order.status')}</dt>
            <dd>
              <OrderStatusBadge status={order.status} />
            </dd>
          </div>
          <div>
            <dt>{t('order.ordered')}</dt>
            <dd>{formatDateTime(order.createdAt, orderZone(order))}</dd>
          </div>
          {order.paidAt && (
            <div>
              <dt>{t('order.paid')}</dt>
              <dd>{formatDateTime(order.paidAt, orderZone(order))}</dd>
            </div>
          )}
          <div>
            <dt>{t('order.total')}</dt>
            <dd>{formatMoney(order.total, order.currency)}</dd>
          </div>
        </dl>
      </section>

      <div className="page-actions">
        <Link to="/profile" className="btn btn-secondary">
          {t('order.allOrders')}
        </Link>
        <Link to="/" className="btn btn-ghost">
          {t('order.browseMore')}
        </Link>
      </div>
    </div>
  );
}
