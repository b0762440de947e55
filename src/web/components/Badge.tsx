import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Order, ShowStatus } from '../../shared/api.js';

export type BadgeTone = 'green' | 'blue' | 'grey' | 'red' | 'amber' | 'violet';

export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

// Labels are functions of t, so every key is written out where the key check can see it.
const SHOW_STATUS: Record<ShowStatus, { tone: BadgeTone; label: (t: TFunction) => string }> = {
  on_sale: { tone: 'green', label: (t) => t('status.show.onSale') },
  scheduled: { tone: 'blue', label: (t) => t('status.show.scheduled') },
  queue_open: { tone: 'violet', label: (t) => t('status.show.queueOpen') },
  sold_out: { tone: 'red', label: (t) => t('status.show.soldOut') },
  ended: { tone: 'grey', label: (t) => t('status.show.ended') },
};

export function ShowStatusBadge({ status }: { status: ShowStatus }) {
  const { t } = useTranslation();
  const s = SHOW_STATUS[status];
  return <Badge tone={s?.tone ?? 'grey'}>{s ? s.label(t) : status}</Badge>;
}

const ORDER_STATUS: Record<Order['status'], { tone: BadgeTone; label: (t: TFunction) => string }> = {
  paid: { tone: 'green', label: (t) => t('status.order.paid') },
  pending: { tone: 'amber', label: (t) => t('status.order.pending') },
  cancelled: { tone: 'grey', label: (t) => t('status.order.cancelled') },
  expired: { tone: 'grey', label: (t) => t('status.order.expired') },
  refunded: { tone: 'grey', label: (t) => t('status.order.refunded') },
};

export function OrderStatusBadge({ status }: { status: Order['status'] }) {
  const { t } = useTranslation();
  const s = ORDER_STATUS[status];
  return <Badge tone={s?.tone ?? 'grey'}>{s ? s.label(t) : status}</Badge>;
}
