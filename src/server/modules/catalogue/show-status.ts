import type { ShowStatus } from '../../../shared/api.js';

/** A show's sale status at `now`: the clock decides scheduled/queue_open/ended, the seats decide sold out. */
export function showStatus(show: { onSaleAt: Date; queueOpensAt?: Date; startsAt: Date; unsoldCount: number }, now: number): ShowStatus {
  if (now >= show.startsAt.getTime()) return 'ended';
  if (now < show.onSaleAt.getTime()) return now >= (show.queueOpensAt ?? show.onSaleAt).getTime() ? 'queue_open' : 'scheduled';
  if (show.unsoldCount <= 0) return 'sold_out';
  return 'on_sale';
}
