import type { Order } from '../../shared/api.js';
import { api } from './api.js';
import { msUntil } from './server-clock.js';

/**
 * The caller's pending order of this show that can still be paid, if any: the checkout to resume
 * after a refresh, a second tab, or a checkout whose answer never arrived.
 */
export async function findPendingOrder(showId: string): Promise<Order | null> {
  const { orders } = await api.orders();
  return orders.find((o) => o.showId === showId && o.status === 'pending' && msUntil(o.expiresAt) > 0) ?? null;
}

/** A failure that says nothing about whether the server did it: the answer may just have been lost. */
export const answerLost = (status: number): boolean => status === 0 || status >= 500;
