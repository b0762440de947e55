import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PayRequest, type Order, type ShowDetail } from '../../../shared/api.js';
import { useSiteConfig } from '../../app/site-config.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { api, toApiError, type ApiError } from '../../lib/api.js';
import { formatMoney, formatTime } from '../../lib/format.js';
import { OrderItems } from '../../components/OrderParts.js';
import { answerLost } from '../../lib/pending-order.js';
import { digitsOnly, formatCardNumber, fullYear, validateCard as checkCard, type CardErrors, type CardFields } from './card.js';

const TEST_CARDS = [
  { number: '4242 4242 4242 4242', accepted: true },
  { number: '4000 0000 0000 0002', accepted: false },
];

/**
 * Pay for the pending order (or cancel it). A declined card keeps the order payable;
 * `onRefused` gets the errors that end the turn (NOT_ADMITTED, ORDER_EXPIRED, UNAUTHENTICATED).
 */
export function CheckoutView({
  show,
  order,
  onPaid,
  onCancelled,
  onRefused,
}: {
  show: ShowDetail;
  order: Order;
  onPaid: (order: Order) => void;
  onCancelled: () => void;
  onRefused: (e: ApiError) => void;
}) {
  const { t } = useTranslation();
  const { demo } = useSiteConfig();
  const validateCard = (f: CardFields) =>
    checkCard(f, {
      numberMissing: t('checkout.card.numberMissing'),
      numberInvalid: t('checkout.card.numberInvalid'),
      monthMissing: t('checkout.card.monthMissing'),
      monthRange: t('checkout.card.monthRange'),
      yearMissing: t('checkout.card.yearMissing'),
      yearDigits: t('checkout.card.yearDigits'),
      expired: t('checkout.card.expired'),
      yearFar: t('checkout.card.yearFar'),
      cvc: t('checkout.card.cvc'),
    });
  const [card, setCard] = useState<CardFields>({ number: '', month: '', year: '', cvc: '' });
  const [errors, setErrors] = useState<CardErrors>({});
  const [payError, setPayError] = useState<ApiError | null>(null);
  const [paying, setPaying] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  const set = (k: keyof CardFields, fmt: (v: string) => string) => (e: ChangeEvent<HTMLInputElement>) => {
    const next = { ...card, [k]: fmt(e.target.value) };
    setCard(next);
    if (errors[k]) setErrors({ ...errors, [k]: validateCard(next)[k] });
  };

  function fillTestCard(number: string) {
    const y = String((new Date().getFullYear() + 3) % 100).padStart(2, '0');
    setCard({ number, month: '12', year: y, cvc: '123' });
    setErrors({});
    setPayError(null);
  }

  async function pay(e: FormEvent) {
    e.preventDefault();
    setPayError(null);
    const found = validateCard(card);
    setErrors(found);
    if (Object.keys(found).length) return;
    const body = PayRequest.safeParse({
      method: 'card',
      card: {
        number: digitsOnly(card.number),
        expMonth: Number(digitsOnly(card.month)),
        expYear: fullYear(card.year),
        cvc: card.cvc.trim(),
      },
    });
    if (!body.success) {
      setErrors({ number: t('checkout.checkCard') });
      return;
    }
    setPaying(true);
    try {
      const r = await api.pay(order.id, body.data);
      onPaid(r.order);
    } catch (err) {
      const e2 = toApiError(err);
      setPaying(false);
      if (e2.code === 'NOT_ADMITTED' || e2.code === 'ORDER_EXPIRED' || e2.code === 'UNAUTHENTICATED') return onRefused(e2);
      if (e2.code === 'ORDER_NOT_PENDING' || answerLost(e2.status)) {
        // Maybe paid from another tab, or paid and the answer lost: look before saying anything.
        try {
          const fresh = await api.order(order.id);
          if (fresh.order.status === 'paid') return onPaid(fresh.order);
          if (fresh.order.status === 'cancelled') return onCancelled();
        } catch {
          // fall through to the message
        }
      }
      setPayError(e2);
    }
  }

  async function cancel() {
    setCancelling(true);
    setPayError(null);
    try {
      await api.cancelOrder(order.id);
      onCancelled();
    } catch (err) {
      const e2 = toApiError(err);
      setCancelling(false);
      setConfirmCancel(false);
      if (e2.code === 'NOT_ADMITTED' || e2.code === 'ORDER_EXPIRED' || e2.code === 'UNAUTHENTICATED') return onRefused(e2);
      setPayError(e2);
    }
  }

  const busy = paying || cancelling;
  return (
    <div className="checkout">
      <section className="card checkout-summary" aria-labelledby="summary-title">
        <h2 id="summary-title" className="section-title">
          {t('order.summary')}
        </h2>
        <p className="muted small">
          {show.eventTitle} · {show.venue.name}
        </p>
        <OrderItems order={order} />
        <p className="muted small">{t('checkout.lockedUntil', { time: formatTime(order.expiresAt, show.venue.timeZone) })}</p>
      </section>

      <section className="card checkout-pay" aria-labelledby="pay-title">
        <h2 id="pay-title" className="section-title">
          {t('checkout.payment')}
        </h2>
        {demo && (
          <div className="test-cards" data-testid="test-cards">
            <p className="test-cards-title">{t('checkout.demo')}</p>
            <ul>
              {TEST_CARDS.map((c) => (
                <li key={c.number}>
                  <button type="button" className="test-card" onClick={() => fillTestCard(c.number)} disabled={busy}>
                    <code>{c.number}</code>
                    <span className={`badge badge-${c.accepted ? 'green' : 'red'}`}>{c.accepted ? t('checkout.accepted') : t('checkout.declined')}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <form className="card-form" onSubmit={pay} noValidate>
          <Field
            label={t('checkout.cardNumber')}
            name="cardnumber"
            inputMode="numeric"
            autoComplete="cc-number"
            placeholder="1234 5678 9012 3456"
            value={card.number}
            onChange={set('number', formatCardNumber)}
            onBlur={() => card.number && setErrors({ ...errors, number: validateCard(card).number })}
            error={errors.number}
            className="card-form-number"
            data-testid="card-number"
          />
          <div className="card-form-row">
            <Field
              label={t('checkout.month')}
              name="exp-month"
              inputMode="numeric"
              autoComplete="cc-exp-month"
              placeholder="MM"
              maxLength={2}
              value={card.month}
              onChange={set('month', (v) => digitsOnly(v).slice(0, 2))}
              error={errors.month}
              data-testid="card-month"
            />
            <Field
              label={t('checkout.year')}
              name="exp-year"
              inputMode="numeric"
              autoComplete="cc-exp-year"
              placeholder="YY"
              maxLength={2}
              value={card.year}
              onChange={set('year', (v) => digitsOnly(v).slice(0, 2))}
              error={errors.year}
              data-testid="card-year"
            />
            <Field
              label={t('checkout.cvc')}
              name="cvc"
              inputMode="numeric"
              autoComplete="cc-csc"
              placeholder="123"
              maxLength={4}
              value={card.cvc}
              onChange={set('cvc', (v) => digitsOnly(v).slice(0, 4))}
              error={errors.cvc}
              data-testid="card-cvc"
            />
          </div>
          {payError && <ErrorMessage error={payError} />}
          <button type="submit" className="btn btn-primary btn-lg btn-block" disabled={busy} data-testid="pay-button">
            {paying ? t('checkout.paying') : t('checkout.pay', { amount: formatMoney(order.total, order.currency) })}
          </button>
        </form>
        <div className="checkout-cancel">
          {confirmCancel ? (
            <div className="confirm-row" role="group" aria-label={t('checkout.cancelGroup')}>
              <span>{t('checkout.cancelConfirm')}</span>
              <button type="button" className="btn btn-danger btn-sm" onClick={() => void cancel()} disabled={busy} data-testid="confirm-cancel-order">
                {cancelling ? t('checkout.cancelling') : t('checkout.cancelYes')}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirmCancel(false)} disabled={busy}>
                {t('checkout.keep')}
              </button>
            </div>
          ) : (
            <button type="button" className="btn btn-link" onClick={() => setConfirmCancel(true)} disabled={busy} data-testid="cancel-order-button">
              {t('checkout.cancel')}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
