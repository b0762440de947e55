import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrderStatusBadge } from '../../components/Badge.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { adminApi, adminMessage } from '../../lib/api.js';
import { formatDateTime, formatMoney } from '../../lib/format.js';
import { useLoad } from '../../lib/hooks.js';
import { DataTable, Loaded, Panel } from './admin-ui.js';

/** The show's orders (refund a paid one) and its waitlist with each entry's state. */
export function SalesPanels({ showId, zone }: { showId: string; zone: string }) {
  return (
    <>
      <OrdersPanel showId={showId} zone={zone} />
      <WaitlistList showId={showId} zone={zone} />
    </>
  );
}

function OrdersPanel({ showId, zone }: { showId: string; zone: string }) {
  const { t } = useTranslation();
  const orders = useLoad(() => adminApi.showOrders(showId), [showId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function refund(orderId: string, who: string) {
    if (!window.confirm(t('sales.confirmRefund', { who }))) return;
    setBusy(orderId);
    setError(null);
    try {
      await adminApi.refund(orderId);
      orders.reload();
    } catch (e) {
      setError(adminMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const headers = [t('sales.buyer'), t('sales.places'), t('sales.total'), t('sales.status'), t('sales.paid'), <span className="visually-hidden">{t('sales.actions')}</span>];
  return (
    <Panel title={t('sales.orders')} id="show-orders">
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <Loaded load={orders} loading={t('sales.loadingOrders')} empty={t('sales.noOrders')} isEmpty={(d) => d.orders.length === 0}>
        {(d) => (
          <DataTable headers={headers} testId="show-orders">
            {d.orders.map((o) => (
              <tr key={o.id} data-testid="show-order" data-order-id={o.id} data-status={o.status}>
                <td>
                  {o.name} <span className="muted small">{o.email}</span>
                </td>
                <td>{o.seats}</td>
                <td>{formatMoney(o.total, o.currency)}</td>
                <td>
                  <OrderStatusBadge status={o.status} />
                </td>
                <td>{o.paidAt ? formatDateTime(o.paidAt, zone) : '—'}</td>
                <td>
                  {o.status === 'paid' && (
                    <button type="button" className="btn btn-secondary btn-sm" disabled={busy !== null} onClick={() => void refund(o.id, o.name)} data-testid="refund-button">
                      {busy === o.id ? t('sales.refunding') : t('sales.refund')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Loaded>
    </Panel>
  );
}

function WaitlistList({ showId, zone }: { showId: string; zone: string }) {
  const { t } = useTranslation();
  const list = useLoad(() => adminApi.waitlist(showId), [showId]);
  const stateLabel = { waiting: t('sales.states.waiting'), offered: t('sales.states.offered'), purchased: t('sales.states.purchased'), lapsed: t('sales.states.lapsed') };
  return (
    <Panel
      title={t('sales.waitlist')}
      id="show-waitlist"
      actions={
        <button type="button" className="btn btn-ghost btn-sm" onClick={list.reload}>
          {t('sales.refresh')}
        </button>
      }
    >
      <Loaded load={list} loading={t('sales.loadingWaitlist')} empty={t('sales.nobody')} isEmpty={(d) => d.entries.length === 0}>
        {(d) => (
          <DataTable headers={['#', t('sales.fan'), t('sales.places'), t('sales.state'), t('sales.joined')]} testId="show-waitlist">
            {d.entries.map((e) => (
              <tr key={e.userId} data-testid="waitlist-entry" data-state={e.state}>
                <td>{e.position ?? '—'}</td>
                <td>
                  {e.name} <span className="muted small">{e.email}</span>
                </td>
                <td>{e.quantity}</td>
                <td>
                  {stateLabel[e.state]}
                  {e.state === 'offered' && e.offerExpiresAt && <span className="muted small">{t('sales.until', { date: formatDateTime(e.offerExpiresAt, zone) })}</span>}
                </td>
                <td>{formatDateTime(e.joinedAt, zone)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Loaded>
    </Panel>
  );
}
