import { describe, expect, it } from 'vitest';
import { cardExpired, luhnValid } from '../../src/server/modules/payments/card.js';
import { DECLINED_CARD } from '../../src/server/modules/payments/test-payment-provider.js';

describe('card checks', () => {
  it('accepts Luhn-valid numbers, with or without spaces, and refuses the rest', () => {
    for (const n of ['4242424242424242', '4242 4242 4242 4242', '5555555555554444', DECLINED_CARD, '378282246310005']) expect(luhnValid(n)).toBe(true);
    for (const n of ['4242424242424241', '1234567890123', '42424242', '4242-4242-4242-4242']) expect(luhnValid(n)).toBe(false);
  });

  it('treats a card as good through the end of its expiry month', () => {
    const now = Date.parse('2030-06-15T00:00:00Z');
    expect(cardExpired({ expMonth: 6, expYear: 2030 }, now)).toBe(false);
    expect(cardExpired({ expMonth: 5, expYear: 2030 }, now)).toBe(true);
    expect(cardExpired({ expMonth: 12, expYear: 2029 }, now)).toBe(true);
    expect(cardExpired({ expMonth: 1, expYear: 2031 }, now)).toBe(false);
  });
});
