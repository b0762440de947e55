import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';

/**
 * Asks for N places at once: the standing area's picker (with its live count) and "best available"
 * beside a seat map. The server holds all of them or none.
 */
export function QuantityHold({
  kind,
  free,
  max,
  disabled,
  onHold,
}: {
  kind: 'standing' | 'best';
  /** Places free in the area now (live). */
  free: number;
  /** How many more this account may hold. */
  max: number;
  disabled: boolean;
  onHold: (quantity: number) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const most = Math.max(0, Math.min(max, free));
  const q = Math.min(Math.max(1, quantity), Math.max(1, most));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await onHold(q);
    } finally {
      setBusy(false);
    }
  }

  const id = `quantity-${kind}`;
  return (
    <form className={`quantity-hold quantity-hold-${kind}`} onSubmit={(e) => void submit(e)} data-testid={`quantity-hold-${kind}`}>
      {kind === 'standing' && (
        <p className="standing-count" aria-live="polite" data-testid="standing-count" data-free={free}>
          <Trans i18nKey="selling.standingLeft" count={free} components={{ strong: <strong /> }} />
        </p>
      )}
      <label htmlFor={id}>{kind === 'standing' ? t('selling.places') : t('selling.bestTogether')}</label>
      <select id={id} className="input" value={q} onChange={(e) => setQuantity(Number(e.target.value))} disabled={disabled || busy || most === 0}>
        {Array.from({ length: Math.max(1, most) }, (_, i) => i + 1).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <button type="submit" className="btn btn-secondary" disabled={disabled || busy || most === 0}>
        {kind === 'standing' ? t('selling.holdPlaces', { count: q }) : t('selling.findBest', { count: q })}
      </button>
    </form>
  );
}
