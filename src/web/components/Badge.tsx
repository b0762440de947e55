import type { ReactNode } from 'react';
import type { Order, ShowStatus } from '../../shared/api.js';

export type BadgeTone = 'green' | 'blue' | 'grey' | 'red' | 'amber' | 'violet';

export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const SHOW_STATUS: Record<ShowStatus, { tone: BadgeTone; label: string }> = {
  on_sale: { tone: 'green', label: 'On sale' },
  scheduled: { tone: 'blue', label: 'Coming soon' },
  queue_open: { tone: 'violet', label: 'Queue open' },
  sold_out: { tone: 'red', label: 'Sold out' },
  ended: { tone: 'grey', label: 'Ended' },
};

export function ShowStatusBadge({ status }: { status: ShowStatus }) {
  const s = SHOW_STATUS[status] ?? { tone: 'grey', label: status };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

const ORDER_STATUS: Record<Order['status'], { tone: BadgeTone; label: string }> = {
  paid: { tone: 'green', label: 'Paid' },
  pending: { tone: 'amber', label: 'Awaiting payment' },
  cancelled: { tone: 'grey', label: 'Cancelled' },
  expired: { tone: 'grey', label: 'Expired' },
  refunded: { tone: 'grey', label: 'Refunded' },
};

export function OrderStatusBadge({ status }: { status: Order['status'] }) {
  const s = ORDER_STATUS[status] ?? { tone: 'grey', label: status };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
