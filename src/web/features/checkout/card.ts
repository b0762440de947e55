/** Card form helpers: formatting as people type, and checks before the card is sent. */

export const digitsOnly = (s: string): string => s.replace(/\D/g, '');

/** "4242424242424242" → "4242 4242 4242 4242" (groups of four, at most 19 digits). */
export const formatCardNumber = (s: string): string =>
  digitsOnly(s)
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');

/** The Luhn checksum every real card number passes. */
export function luhnValid(number: string): boolean {
  const d = digitsOnly(number);
  if (d.length < 12 || d.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

export interface CardFields {
  number: string;
  month: string;
  year: string;
  cvc: string;
}

export type CardErrors = Partial<Record<keyof CardFields, string>>;

/** Two-digit years mean 20YY. */
export const fullYear = (yy: string): number => {
  const n = Number(digitsOnly(yy));
  return n < 100 ? 2000 + n : n;
};

/** What can be wrong with a field of the card form, in words the form shows (the reader's language). */
export type CardIssue = 'numberMissing' | 'numberInvalid' | 'monthMissing' | 'monthRange' | 'yearMissing' | 'yearDigits' | 'expired' | 'yearFar' | 'cvc';

export function validateCard(f: CardFields, text: Record<CardIssue, string>, now = new Date()): CardErrors {
  const errors: CardErrors = {};
  if (!digitsOnly(f.number)) errors.number = text.numberMissing;
  else if (!luhnValid(f.number)) errors.number = text.numberInvalid;
  const month = Number(digitsOnly(f.month));
  if (!f.month.trim()) errors.month = text.monthMissing;
  else if (!Number.isInteger(month) || month < 1 || month > 12) errors.month = text.monthRange;
  const yDigits = digitsOnly(f.year);
  if (!yDigits) errors.year = text.yearMissing;
  else if (yDigits.length !== 2 && yDigits.length !== 4) errors.year = text.yearDigits;
  else if (!errors.month) {
    const year = fullYear(yDigits);
    const thisYear = now.getFullYear();
    if (year < thisYear || (year === thisYear && month < now.getMonth() + 1)) errors.year = text.expired;
    else if (year > thisYear + 25) errors.year = text.yearFar;
  }
  if (!/^\d{3,4}$/.test(f.cvc.trim())) errors.cvc = text.cvc;
  return errors;
}
