import { useState } from 'react';
import { OrderStatusBadge } from '../../components/Badge.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, adminMessage } from '../../lib/api.js';
import { formatDateTime, formatMoney } from '../../lib/format.js';
import { useLoad } from '../../lib/hooks.js';
import { Panel } from './admin-ui.js';

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
  const orders = useLoad(() => adminApi.showOrders(showId), [showId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function refund(orderId: string, who: string) {
    if (!window.confirm(`Refund the order of ${who}? The money goes back to the card and its tickets stop working.`)) return;
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

  return (
    <Panel title="Orders" id="show-orders">
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {orders.status === 'loading' && <Spinner label="Loading orders…" />}
      {orders.status === 'error' && <ErrorMessage error={orders.error} />}
      {orders.status === 'ok' && orders.data.orders.length === 0 && <p className="muted">No orders yet.</p>}
      {orders.status === 'ok' && orders.data.orders.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="show-orders">
            <thead>
              <tr>
                <th scope="col">Buyer</th>
                <th scope="col">Places</th>
                <th scope="col">Total</th>
                <th scope="col">Status</th>
                <th scope="col">Paid</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.data.orders.map((o) => (
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
                        {busy === o.id ? 'Refunding…' : 'Refund'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

const STATE_LABEL = { waiting: 'Waiting', offered: 'Offered', purchased: 'Bought', lapsed: 'Offer lapsed' } as const;

function WaitlistList({ showId, zone }: { showId: string; zone: string }) {
  const list = useLoad(() => adminApi.waitlist(showId), [showId]);
  return (
    <Panel title="Waitlist" id="show-waitlist" actions={<button type="button" className="btn btn-ghost btn-sm" onClick={list.reload}>Refresh</button>}>
      {list.status === 'loading' && <Spinner label="Loading the waitlist…" />}
      {list.status === 'error' && <ErrorMessage error={list.error} />}
      {list.status === 'ok' && list.data.entries.length === 0 && <p className="muted">Nobody is on the waitlist.</p>}
      {list.status === 'ok' && list.data.entries.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="show-waitlist">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Fan</th>
                <th scope="col">Places</th>
                <th scope="col">State</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {list.data.entries.map((e) => (
                <tr key={e.userId} data-testid="waitlist-entry" data-state={e.state}>
                  <td>{e.position ?? '—'}</td>
                  <td>
                    {e.name} <span className="muted small">{e.email}</span>
                  </td>
                  <td>{e.quantity}</td>
                  <td>
                    {STATE_LABEL[e.state]}
                    {e.state === 'offered' && e.offerExpiresAt && <span className="muted small"> until {formatDateTime(e.offerExpiresAt, zone)}</span>}
                  </td>
                  <td>{formatDateTime(e.joinedAt, zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
