import { AppError } from '../../platform/errors.js';
import type { CardDetails } from './payment-provider.js';

export const cardDigits = (number: string): string => number.replace(/ /g, '');

/** The Luhn checksum every card number carries. */
export function luhnValid(number: string): boolean {
  const digits = cardDigits(number);
  if (!/^[0-9]{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card is good through the last day of its expiry month (UTC). */
export function cardExpired(card: Pick<CardDetails, 'expMonth' | 'expYear'>, now: number): boolean {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  return card.expYear < year || (card.expYear === year && card.expMonth < month);
}

/** Refuses card details no processor would accept, before asking one. */
export function checkCard(card: CardDetails, now: number): void {
  if (!luhnValid(card.number)) throw new AppError('VALIDATION_FAILED', 'card.number: not a valid card number');
  if (cardExpired(card, now)) throw new AppError('VALIDATION_FAILED', 'card: the card has expired');
}
