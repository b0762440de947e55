import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/shared/api.js';
import { ORDER_PAID_MESSAGES } from '../../src/server/modules/mail/templates/order-paid.js';
import { ORDER_REFUNDED_MESSAGES } from '../../src/server/modules/mail/templates/order-refunded.js';
import { PASSWORD_RESET_MESSAGES } from '../../src/server/modules/mail/templates/password-reset.js';
import { WAITLIST_OFFER_MESSAGES } from '../../src/server/modules/mail/templates/waitlist-offer.js';
import { TICKET_PDF_MESSAGES } from '../../src/server/modules/orders/ticket-pdf.js';

const CATALOGUES = { ORDER_PAID_MESSAGES, ORDER_REFUNDED_MESSAGES, PASSWORD_RESET_MESSAGES, WAITLIST_OFFER_MESSAGES, TICKET_PDF_MESSAGES };

describe('the server\'s messages (emails, ticket PDF)', () => {
  it.each(Object.entries(CATALOGUES))('when %s is read in every language, then each has the same keys as English, every message non-empty', (_name, catalogue) => {
    const english = Object.keys(catalogue.en).sort();
    for (const lang of LOCALES) {
      const m = catalogue[lang] as Record<string, unknown>;
      expect(Object.keys(m).sort(), lang).toEqual(english);
      for (const [key, v] of Object.entries(m)) {
        const text = typeof v === 'function' ? String((v as (...a: unknown[]) => unknown)('x', 'y', 'z', 'w')) : v;
        expect(typeof text === 'string' && text.trim() !== '', `${lang}: ${key}`).toBe(true);
      }
    }
  });

  it('when a zh-TW message is read, then it is not the English one (nothing left untranslated but file names)', () => {
    for (const catalogue of Object.values(CATALOGUES)) {
      for (const [key, v] of Object.entries(catalogue['zh-TW'])) {
        if (key === 'attachment') continue;
        const en = (catalogue.en as Record<string, unknown>)[key];
        const asText = (x: unknown) => (typeof x === 'function' ? String((x as (...a: unknown[]) => unknown)(2, 3, 'a', 'b')) : x);
        expect(asText(v), key).not.toEqual(asText(en));
      }
    }
  });
});
