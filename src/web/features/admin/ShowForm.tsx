import type { TFunction } from 'i18next';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSiteConfig } from '../../app/site-config.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { adminMessage, type AdminShow, type AdminVenue, type CreateShowBody, type UpdateShowBody } from '../../lib/api.js';
import { utcToWallClock, wallClockToUtc } from '../../../shared/time-zones.js';
import { QUEUE_OPENS_BEFORE_MS } from '../../../shared/api.js';
import { formatCount, formatMoney, formatTime } from '../../lib/format.js';
import { Select, intOf } from './admin-ui.js';

interface PriceDraft {
  on: boolean;
  price: string;
}

interface Values {
  venueId: string;
  startsAt: string;
  onSaleAt: string;
  /** Empty: 30 minutes before the sale (the server's default). */
  queueOpensAt: string;
  pageCapacity: string;
  purchaseWindowSeconds: string;
  maxTicketsPerAccount: string;
  prices: Record<string, PriceDraft>;
}

type Errors = Partial<Record<Exclude<keyof Values, 'prices'> | 'prices', string>>;

/** 19:30 on the venue's clock, `days` from today there (a datetime-local value). */
function eveningIn(days: number, timeZone: string): string {
  const day = new Date(Date.parse(`${utcToWallClock(new Date().toISOString(), timeZone).slice(0, 10)}T12:00:00Z`) + days * 86_400_000);
  return `${day.toISOString().slice(0, 10)}T19:30`;
}

/** The zone a form's wall-clock times are in: the venue's; the browser's until a venue is chosen. */
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const RANGES = {
  pageCapacity: [1, 100_000],
  purchaseWindowSeconds: [5, 3600],
  maxTicketsPerAccount: [1, 20],
} as const;

/**
 * Create a show of an event (venue, dates, sale rules, a price for each area sold), or edit one
 * (everything but the venue). Editing sends only what changed. Dates are typed on the venue's
 * clock (a 19:30 show in Taipei is 19:30, wherever the organizer sits) and sent as UTC.
 */
export function ShowForm({
  eventId,
  venues,
  show,
  onCreate,
  onUpdate,
  onCancel,
}: {
  eventId: string;
  venues: AdminVenue[];
  /** Present when editing. */
  show?: AdminShow;
  onCreate?: (body: CreateShowBody) => Promise<void>;
  onUpdate?: (body: UpdateShowBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const { currency = 'TWD' } = useSiteConfig();
  const { t } = useTranslation();
  const editing = show !== undefined;
  const [values, setValues] = useState<Values>(() => initialValues(show, venues));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const venue = venues.find((v) => v.id === values.venueId);
  const zone = venue?.timeZone ?? show?.venue.timeZone ?? browserZone();
  // Areas to price: the venue's, or (when the venue list is unavailable) the show's priced ones.
  const areas = useMemo(
    () => venue?.areas.map((a) => ({ id: a.id, name: a.name, seats: a.capacity })) ?? show?.areas.map((a) => ({ id: a.id, name: a.name, seats: a.seatCount })) ?? [],
    [venue, show],
  );
  const takenByArea = useMemo(() => new Map(show?.areas.map((a) => [a.id, a.seatCount - a.availableCount]) ?? []), [show]);

  const set = <K extends keyof Values>(k: K, v: Values[K]) => {
    setValues((cur) => ({ ...cur, [k]: v }));
    if (errors[k]) setErrors((cur) => ({ ...cur, [k]: undefined }));
  };
  const setPrice = (areaId: string, patch: Partial<PriceDraft>) =>
    setValues((cur) => ({ ...cur, prices: { ...cur.prices, [areaId]: { ...(cur.prices[areaId] ?? { on: false, price: '' }), ...patch } } }));

  function validate(): { body: CreateShowBody | null; errors: Errors } {
    const found: Errors = {};
    if (!values.venueId) found.venueId = t('admin.showForm.chooseVenue');
    const startsAt = wallClockToUtc(values.startsAt, zone);
    const onSaleAt = wallClockToUtc(values.onSaleAt, zone);
    if (!startsAt) found.startsAt = t('admin.showForm.startsMissing');
    if (!onSaleAt) found.onSaleAt = t('admin.showForm.onSaleMissing');
    if (startsAt && onSaleAt && Date.parse(onSaleAt) > Date.parse(startsAt)) found.onSaleAt = t('admin.showForm.saleBeforeShow');
    const queueOpensAt = values.queueOpensAt.trim() ? wallClockToUtc(values.queueOpensAt, zone) : onSaleAt && new Date(Date.parse(onSaleAt) - QUEUE_OPENS_BEFORE_MS).toISOString();
    if (!queueOpensAt) found.queueOpensAt = t('admin.showForm.queueMissing');
    else if (onSaleAt && Date.parse(queueOpensAt) > Date.parse(onSaleAt)) found.queueOpensAt = t('admin.showForm.queueBeforeSale');
    const nums = {} as Record<keyof typeof RANGES, number>;
    for (const k of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
      const [min, max] = RANGES[k];
      const n = intOf(values[k]);
      if (n === null || n < min || n > max) found[k] = t('admin.showForm.wholeNumber', { min, max });
      else nums[k] = n;
    }
    const prices: { areaId: string; price: number }[] = [];
    for (const a of areas) {
      const p = values.prices[a.id];
      if (!p?.on) continue;
      const n = intOf(p.price);
      if (n === null || n < 0 || n > 100_000_000) found.prices = t('admin.showForm.priceFor', { area: a.name });
      else prices.push({ areaId: a.id, price: n });
    }
    if (prices.length === 0 && !found.prices) found.prices = t('admin.showForm.sellOne');
    if (Object.keys(found).length) return { body: null, errors: found };
    return {
      body: {
        eventId,
        venueId: values.venueId,
        startsAt: startsAt!,
        onSaleAt: onSaleAt!,
        queueOpensAt: queueOpensAt!,
        pageCapacity: nums.pageCapacity,
        purchaseWindowSeconds: nums.purchaseWindowSeconds,
        maxTicketsPerAccount: nums.maxTicketsPerAccount,
        prices,
      },
      errors: {},
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const { body, errors: found } = validate();
    setErrors(found);
    if (!body) return;
    setBusy(true);
    try {
      if (!show) await onCreate?.(body);
      else await onUpdate?.(changes(show, body));
    } catch (err) {
      setFormError(adminMessage(err));
      setBusy(false);
      return;
    }
    setBusy(false);
  }

  return (
    <form className="show-form" onSubmit={submit} noValidate data-testid="show-form">
      <div className="form-grid form-grid-3">
        <Select
          label={t('admin.showForm.venue')}
          value={values.venueId}
          onChange={(e) => {
            set('venueId', e.target.value);
            setValues((cur) => ({ ...cur, prices: defaultPrices(venues.find((v) => v.id === e.target.value)) }));
          }}
          error={errors.venueId}
          disabled={editing}
          data-testid="show-venue"
        >
          {!editing && <option value="">{t('admin.showForm.chooseVenueOption')}</option>}
          {editing && !venue && show && <option value={show.venue.id}>{show.venue.name}</option>}
          {venues.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name} · {v.city}
            </option>
          ))}
        </Select>
        <Field
          label={t('admin.showForm.starts')}
          type="datetime-local"
          value={values.startsAt}
          onChange={(e) => set('startsAt', e.target.value)}
          error={errors.startsAt}
          hint={zoneHint(t, values.startsAt, zone)}
          data-testid="show-starts"
        />
        <Field
          label={t('admin.showForm.onSale')}
          type="datetime-local"
          value={values.onSaleAt}
          onChange={(e) => set('onSaleAt', e.target.value)}
          error={errors.onSaleAt}
          hint={zoneHint(t, values.onSaleAt, zone)}
          data-testid="show-onsale"
        />
        <Field
          label={t('admin.showForm.queueOpens')}
          type="datetime-local"
          value={values.queueOpensAt}
          onChange={(e) => set('queueOpensAt', e.target.value)}
          error={errors.queueOpensAt}
          hint={values.queueOpensAt ? zoneHint(t, values.queueOpensAt, zone) : t('admin.showForm.queueHint')}
          data-testid="show-queue-opens"
        />
        <Field
          label={t('admin.showForm.capacity')}
          inputMode="numeric"
          value={values.pageCapacity}
          onChange={(e) => set('pageCapacity', e.target.value)}
          error={errors.pageCapacity}
          hint={t('admin.showForm.capacityHint')}
          data-testid="show-capacity"
        />
        <Field
          label={t('admin.showForm.window')}
          inputMode="numeric"
          value={values.purchaseWindowSeconds}
          onChange={(e) => set('purchaseWindowSeconds', e.target.value)}
          error={errors.purchaseWindowSeconds}
          hint={t('admin.showForm.windowHint')}
          data-testid="show-window"
        />
        <Field
          label={t('admin.showForm.max')}
          inputMode="numeric"
          value={values.maxTicketsPerAccount}
          onChange={(e) => set('maxTicketsPerAccount', e.target.value)}
          error={errors.maxTicketsPerAccount}
          hint={t('admin.showForm.maxHint')}
          data-testid="show-max"
        />
      </div>

      <fieldset className="price-editor">
        <legend className="field-label">{t('admin.showForm.prices', { currency })}</legend>
        {areas.length === 0 ? (
          <p className="muted small">{t('admin.showForm.chooseVenueToPrice')}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table price-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.showForm.sell')}</th>
                  <th scope="col">{t('admin.showForm.area')}</th>
                  <th scope="col">{t('admin.showForm.seats')}</th>
                  <th scope="col">{t('admin.showForm.price')}</th>
                </tr>
              </thead>
              <tbody>
                {areas.map((a) => {
                  const p = values.prices[a.id] ?? { on: false, price: '' };
                  const taken = takenByArea.get(a.id) ?? 0;
                  const n = intOf(p.price);
                  return (
                    <tr key={a.id} data-testid="price-row" data-area-id={a.id}>
                      <td>
                        <input
                          type="checkbox"
                          className="checkbox"
                          checked={p.on}
                          onChange={(e) => setPrice(a.id, { on: e.target.checked })}
                          aria-label={t('admin.showForm.sellArea', { area: a.name })}
                          data-testid="price-toggle"
                        />
                      </td>
                      <td>
                        {a.name}
                        {taken > 0 && (
                          <span className="muted small" data-testid="area-taken">
                            {' '}
                            · {t('admin.showForm.areaTaken', { count: taken })}
                          </span>
                        )}
                      </td>
                      <td className="muted">{formatCount(a.seats)}</td>
                      <td>
                        <div className="price-input">
                          <input
                            className="input input-sm"
                            inputMode="numeric"
                            value={p.price}
                            onChange={(e) => setPrice(a.id, { price: e.target.value.replace(/[^\d]/g, '').slice(0, 9), on: true })}
                            aria-label={t('admin.showForm.priceOf', { area: a.name })}
                            disabled={busy}
                            data-testid="price-input"
                          />
                          {p.on && n !== null && <span className="muted small">{formatMoney(n, currency)}</span>}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {errors.prices && <p className="field-error">{errors.prices}</p>}
        {editing && <p className="field-hint">{t('admin.showForm.cannotUnsell')}</p>}
      </fieldset>

      {formError && <ErrorMessage>{formError}</ErrorMessage>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="show-submit">
          {busy ? t('admin.saving') : editing ? t('admin.showForm.save') : t('admin.showForm.create')}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
            {t('admin.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Which clock the field is on, and the UTC offset the value gets there ("Asia/Taipei time, 19:30 GMT+8"). */
function zoneHint(t: TFunction, wallClock: string, zone: string): string {
  const iso = wallClockToUtc(wallClock, zone);
  const name = zone.replace(/_/g, ' ');
  return iso ? t('admin.showForm.zoneAt', { zone: name, time: formatTime(iso, zone) }) : t('admin.showForm.zone', { zone: name });
}

function defaultPrices(venue: AdminVenue | undefined): Record<string, PriceDraft> {
  const out: Record<string, PriceDraft> = {};
  for (const a of venue?.areas ?? []) out[a.id] = { on: true, price: '' };
  return out;
}

function initialValues(show: AdminShow | undefined, venues: AdminVenue[]): Values {
  if (!show) {
    const only = venues.length === 1 ? venues[0] : undefined;
    const zone = only?.timeZone ?? browserZone();
    return {
      venueId: only?.id ?? '',
      startsAt: eveningIn(30, zone),
      onSaleAt: utcToWallClock(new Date().toISOString(), zone),
      queueOpensAt: '',
      pageCapacity: '100',
      purchaseWindowSeconds: '600',
      maxTicketsPerAccount: '4',
      prices: defaultPrices(only),
    };
  }
  const prices: Record<string, PriceDraft> = {};
  for (const a of show.areas) prices[a.id] = { on: true, price: String(a.price) };
  return {
    venueId: show.venue.id,
    startsAt: utcToWallClock(show.startsAt, show.venue.timeZone),
    onSaleAt: utcToWallClock(show.onSaleAt, show.venue.timeZone),
    queueOpensAt: utcToWallClock(show.queueOpensAt, show.venue.timeZone),
    pageCapacity: String(show.pageCapacity),
    purchaseWindowSeconds: String(show.purchaseWindowSeconds),
    maxTicketsPerAccount: String(show.maxTicketsPerAccount),
    prices,
  };
}

/** What an edit changes, as PATCH wants it. Minutes are compared, as the form shows them. */
function changes(show: AdminShow, next: CreateShowBody): UpdateShowBody {
  const out: UpdateShowBody = {};
  const sameMinute = (a: string, b: string) => Math.floor(Date.parse(a) / 60_000) === Math.floor(Date.parse(b) / 60_000);
  if (!sameMinute(show.startsAt, next.startsAt)) out.startsAt = next.startsAt;
  if (!sameMinute(show.onSaleAt, next.onSaleAt)) out.onSaleAt = next.onSaleAt;
  // The sale must open before the show: send both when either moves, so the server checks the pair.
  if (out.startsAt || out.onSaleAt) {
    out.startsAt ??= show.startsAt;
    out.onSaleAt ??= show.onSaleAt;
  }
  if (next.queueOpensAt && !sameMinute(show.queueOpensAt, next.queueOpensAt)) out.queueOpensAt = next.queueOpensAt;
  if (show.pageCapacity !== next.pageCapacity) out.pageCapacity = next.pageCapacity;
  if (show.purchaseWindowSeconds !== next.purchaseWindowSeconds) out.purchaseWindowSeconds = next.purchaseWindowSeconds;
  if (show.maxTicketsPerAccount !== next.maxTicketsPerAccount) out.maxTicketsPerAccount = next.maxTicketsPerAccount;
  const before = new Map(show.areas.map((a) => [a.id, a.price]));
  const samePrices = before.size === next.prices.length && next.prices.every((p) => before.get(p.areaId) === p.price);
  if (!samePrices) out.prices = next.prices;
  return out;
}
