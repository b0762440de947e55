import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { Trans, useTranslation } from 'react-i18next';
import { CreateVenueRequest, UpdateVenueRequest } from '../../../shared/api.js';
import { useSiteConfig } from '../../app/site-config.js';
import { ErrorMessage, Notice, RetryableError } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, adminMessage, type AdminVenue } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel, intOf, issueText } from './admin-ui.js';
import { SeatGridPreview } from './SeatGridPreview.js';
import { AreaEditor } from './AreaEditor.js';
import { CloseIcon } from '../../components/CloseIcon.js';

export function VenuesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.pageTitle', { title: t('admin.nav.venues') }));
  const venues = useLoad(() => adminApi.venues(), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<AdminVenue | null>(null);

  return (
    <div className="console-page">
      <ConsoleHeader
        eyebrow={t('admin.console')}
        title={t('admin.nav.venues')}
        actions={
          !creating && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-venue-button">
              {t('admin.venues.newVenue')}
            </button>
          )
        }
      >
        {t('admin.venues.lead')}
      </ConsoleHeader>

      {creating && (
        <VenueForm
          onCancel={() => setCreating(false)}
          onCreated={(v) => {
            setCreating(false);
            setCreated(v);
            venues.reload();
          }}
        />
      )}
      {created && !creating && (
        <Notice tone="success">
          <Trans i18nKey="admin.venues.created" values={{ name: created.name }} count={totalSeats(created)} components={{ strong: <strong /> }} />
        </Notice>
      )}

      {venues.status === 'loading' && <Spinner label={t('admin.venues.loading')} />}
      {venues.status === 'error' && (
        <RetryableError error={venues.error} onRetry={venues.reload} />
      )}
      {venues.status === 'ok' && venues.data.venues.length === 0 && (
        <div className="empty-state card">
          <p className="empty-state-title">{t('admin.venues.noVenues')}</p>
          <p className="muted">{t('admin.venues.noVenuesText')}</p>
        </div>
      )}
      {venues.status === 'ok' && venues.data.venues.length > 0 && (
        <div className="venue-grid">
          {venues.data.venues.map((v) => (
            <article key={v.id} className="venue-card card" data-testid="venue-card" data-venue-id={v.id}>
              <div className="venue-card-head">
                <div>
                  <h2 className="venue-card-name">{v.name}</h2>
                  <p className="muted small">
                    {v.city}
                    {v.address ? ` · ${v.address}` : ''}
                  </p>
                </div>
                <span className="venue-card-total">
                  <strong>{formatCount(totalSeats(v))}</strong>
                  <span className="muted small">{t('admin.venues.seats', { count: totalSeats(v) })}</span>
                </span>
              </div>
              <VenueDetails venue={v} onSaved={venues.reload} />
              <ul className="venue-card-areas">
                {v.areas.map((a) => (
                  <li key={a.id}>
                    <span>{a.name}</span>
                    <span className="muted">
                      {a.kind === 'standing' ? t('admin.venues.standingCount', { count: a.capacity }) : `${a.rows} × ${a.seatsPerRow}`}
                      {a.accessibleSeats.length > 0 && ` · ♿ ${a.accessibleSeats.length}`}
                    </span>
                    <AreaEditor venueId={v.id} area={a} onSaved={venues.reload} />
                  </li>
                ))}
              </ul>
            </article>
          ))}
        </div>
      )}
    </div>
  );
}

const totalSeats = (v: AdminVenue) => v.areas.reduce((n, a) => n + a.capacity, 0);

// Every zone this browser knows, for the time-zone field's suggestions (the server checks the name).
const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** A text field for an IANA zone with every known zone as suggestions. */
function TimeZoneField({ value, onChange, error, testId }: { value: string; onChange: (v: string) => void; error?: string | undefined; testId: string }) {
  const { t } = useTranslation();
  const listId = `${testId}-zones`;
  return (
    <>
      <Field
        label={t('admin.venues.timeZone')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        list={listId}
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        hint={t('admin.venues.timeZoneHint')}
        data-testid={testId}
      />
      <datalist id={listId}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

/** The bounds of a venue form's number fields, for the words of a refusal. */
const NUMBER_BOUNDS: Record<string, [number, number]> = { rows: [1, 200], seatsPerRow: [1, 200], capacity: [1, 20_000] };

/** One refusal of the venue schemas in the reader's language (the shared schemas word them in English). */
function venueIssueText(t: TFunction, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  const field = path[path.length - 1] ?? '';
  if (path[0] === 'areas' && path.length === 1) {
    if (issue.code === 'too_small') return t('admin.venues.oneArea');
    if (issue.code === 'too_big') return t('admin.venues.tooManyAreas');
    if (issue.message === 'area names must differ') return t('admin.venues.namesDiffer');
    if (issue.message === 'at most 200,000 seats') return t('admin.venues.tooManyPlaces');
    return t('admin.venues.areasIssue', { message: issue.message });
  }
  if (path.includes('accessibleSeats')) return path.length > 3 || issue.code !== 'custom' ? t('admin.areaEditor.badPair') : t('admin.venues.accessibleOutside');
  const bounds = NUMBER_BOUNDS[field];
  if (bounds) return t('admin.showForm.wholeNumber', { min: bounds[0], max: bounds[1] });
  if (field === 'timeZone' && issue.code === 'custom') return t('admin.venues.badZone');
  return issueText(t, issue);
}

/** Field errors of a zod refusal, keyed by dotted path (the first message of each). */
function fieldErrors(t: TFunction, issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    found[key] ??= venueIssueText(t, issue);
  }
  return found;
}

/** A venue's zone and address, and a form to change them (the seat grid cannot change: shows point at its seats). */
function VenueDetails({ venue, onSaved }: { venue: AdminVenue; onSaved: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState({ name: venue.name, city: venue.city, address: venue.address, timeZone: venue.timeZone });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!editing) {
    return (
      <p className="venue-card-zone small">
        <span className="muted">{t('admin.venues.timeZone')}</span> <strong data-testid="venue-zone">{venue.timeZone}</strong>{' '}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => {
            setDraft({ name: venue.name, city: venue.city, address: venue.address, timeZone: venue.timeZone });
            setEditing(true);
          }}
          data-testid="venue-edit"
        >
          {t('admin.venues.edit')}
        </button>
      </p>
    );
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = UpdateVenueRequest.safeParse(draft);
    if (!parsed.success) return setErrors(fieldErrors(t, parsed.error.issues));
    setErrors({});
    setBusy(true);
    try {
      await adminApi.updateVenue(venue.id, parsed.data);
      setEditing(false);
      onSaved();
    } catch (err) {
      setFormError(adminMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof typeof draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  return (
    <form className="venue-edit-form" onSubmit={save} noValidate data-testid="venue-edit-form">
      <Field label={t('admin.venues.name')} value={draft.name} onChange={(e) => set('name')(e.target.value)} error={errors.name} maxLength={120} />
      <Field label={t('admin.venues.city')} value={draft.city} onChange={(e) => set('city')(e.target.value)} error={errors.city} maxLength={80} />
      <Field label={t('admin.venues.address')} value={draft.address} onChange={(e) => set('address')(e.target.value)} error={errors.address} maxLength={200} />
      <TimeZoneField value={draft.timeZone} onChange={set('timeZone')} error={errors.timeZone} testId={`venue-edit-zone-${venue.id}`} />
      <p className="field-hint">{t('admin.venues.zoneChangeHint')}</p>
      {formError && <ErrorMessage>{formError}</ErrorMessage>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy} data-testid="venue-edit-save">
          {busy ? t('admin.saving') : t('admin.venues.save')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing(false)} disabled={busy}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

interface AreaDraft {
  key: number;
  name: string;
  kind: 'seated' | 'standing';
  rows: string;
  seatsPerRow: string;
  capacity: string;
  /** Wheelchair places as "row-seat" pairs: "10-1, 10-2". */
  accessible: string;
}

let nextKey = 1;
const newArea = (name: string, rows = '10', seats = '20'): AreaDraft => ({ key: nextKey++, name, kind: 'seated', rows, seatsPerRow: seats, capacity: '500', accessible: '' });

/** "10-1, 10-2" -> [{row: 10, number: 1}, ...]; an unreadable pair becomes NaN (the schema refuses it). */
function accessibleOf(text: string): { row: number; number: number }[] {
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((pair) => {
      const m = /^(\d{1,3})-(\d{1,3})$/.exec(pair);
      return m ? { row: Number(m[1]), number: Number(m[2]) } : { row: Number.NaN, number: Number.NaN };
    });
}

/** What the API takes for one drafted area. */
function areaBody(a: AreaDraft) {
  if (a.kind === 'standing') return { name: a.name, kind: 'standing' as const, capacity: intOf(a.capacity) ?? Number.NaN };
  return { name: a.name, rows: intOf(a.rows) ?? Number.NaN, seatsPerRow: intOf(a.seatsPerRow) ?? Number.NaN, accessibleSeats: accessibleOf(a.accessible) };
}

function VenueForm({ onCreated, onCancel }: { onCreated: (v: AdminVenue) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [city, setCity] = useState('');
  const [address, setAddress] = useState('');
  const { defaultTimeZone } = useSiteConfig();
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const [areas, setAreas] = useState<AreaDraft[]>(() => [newArea(t('admin.venues.firstArea'), '10', '20')]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setArea = (key: number, patch: Partial<AreaDraft>) => setAreas((list) => list.map((a) => (a.key === key ? { ...a, ...patch } : a)));

  const body = {
    name,
    city,
    address,
    timeZone: timeZone ?? defaultTimeZone ?? 'UTC',
    areas: areas.map(areaBody),
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = CreateVenueRequest.safeParse(body);
    if (!parsed.success) {
      const found = fieldErrors(t, parsed.error.issues);
      setErrors(found);
      if (found.areas) setFormError(found.areas);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await adminApi.createVenue(parsed.data);
      onCreated(r.venue);
    } catch (err) {
      setFormError(adminMessage(err));
      setBusy(false);
    }
  }

  return (
    <Panel title={t('admin.venues.newVenueTitle')} id="new-venue" className="venue-form-panel">
      <form className="venue-form" onSubmit={submit} noValidate data-testid="venue-form">
        <div className="venue-form-fields">
          <div className="form-grid">
            <Field label={t('admin.venues.name')} value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={120} data-testid="venue-name" />
            <Field label={t('admin.venues.city')} value={city} onChange={(e) => setCity(e.target.value)} error={errors.city} maxLength={80} data-testid="venue-city" />
            <Field
              label={t('admin.venues.address')}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              error={errors.address}
              maxLength={200}
              className="span-2"
              data-testid="venue-address"
            />
            <TimeZoneField value={body.timeZone} onChange={setTimeZone} error={errors.timeZone} testId="venue-zone-input" />
          </div>

          <fieldset className="area-editor">
            <legend className="field-label">{t('admin.venues.areas')}</legend>
            <p className="field-hint">{t('admin.venues.areasHint')}</p>
            <div className="area-editor-rows">
              {areas.map((a, i) => (
                <div className="area-editor-row" key={a.key} data-testid="area-editor-row">
                  <Field
                    label={t('admin.venues.areaName')}
                    value={a.name}
                    onChange={(e) => setArea(a.key, { name: e.target.value })}
                    error={errors[`areas.${i}.name`]}
                    maxLength={40}
                    data-testid="area-name"
                  />
                  <label className="field">
                    <span className="field-label">{t('admin.venues.kind')}</span>
                    <select
                      className="input"
                      value={a.kind}
                      onChange={(e) => setArea(a.key, { kind: e.target.value === 'standing' ? 'standing' : 'seated' })}
                      data-testid="area-kind"
                    >
                      <option value="seated">{t('admin.venues.seated')}</option>
                      <option value="standing">{t('admin.venues.standing')}</option>
                    </select>
                  </label>
                  {a.kind === 'standing' ? (
                    <Field
                      label={t('admin.venues.capacity')}
                      inputMode="numeric"
                      value={a.capacity}
                      onChange={(e) => setArea(a.key, { capacity: e.target.value.replace(/[^\d]/g, '').slice(0, 5) })}
                      error={errors[`areas.${i}.capacity`]}
                      data-testid="area-capacity"
                    />
                  ) : (
                    <>
                      <Field
                        label={t('admin.venues.rows')}
                        inputMode="numeric"
                        value={a.rows}
                        onChange={(e) => setArea(a.key, { rows: e.target.value.replace(/[^\d]/g, '').slice(0, 3) })}
                        error={errors[`areas.${i}.rows`]}
                        data-testid="area-rows"
                      />
                      <Field
                        label={t('admin.venues.seatsPerRow')}
                        inputMode="numeric"
                        value={a.seatsPerRow}
                        onChange={(e) => setArea(a.key, { seatsPerRow: e.target.value.replace(/[^\d]/g, '').slice(0, 3) })}
                        error={errors[`areas.${i}.seatsPerRow`]}
                        data-testid="area-seats"
                      />
                      <Field
                        label={t('admin.venues.accessible')}
                        value={a.accessible}
                        onChange={(e) => setArea(a.key, { accessible: e.target.value.slice(0, 2000) })}
                        error={errors[`areas.${i}.accessibleSeats`] ?? Object.entries(errors).find(([k]) => k.startsWith(`areas.${i}.accessibleSeats.`))?.[1]}
                        placeholder="10-1, 10-2"
                        data-testid="area-accessible"
                      />
                    </>
                  )}
                  <button
                    type="button"
                    className="icon-button area-editor-remove"
                    onClick={() => setAreas((list) => list.filter((x) => x.key !== a.key))}
                    disabled={areas.length === 1}
                    aria-label={t('admin.venues.removeArea', { name: a.name || String(i + 1) })}
                  >
                    <CloseIcon />
                  </button>
                </div>
              ))}
            </div>
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => setAreas((list) => [...list, newArea(t('admin.venues.newAreaName', { n: list.length + 1 }))])}
              disabled={areas.length >= 100}
              data-testid="add-area"
            >
              {t('admin.venues.addArea')}
            </button>
            <p className="field-hint">{t('admin.venues.limitsHint')}</p>
          </fieldset>

          {formError && <ErrorMessage>{formError}</ErrorMessage>}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="venue-submit">
              {busy ? t('admin.venues.creating') : t('admin.venues.create')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
              {t('admin.cancel')}
            </button>
          </div>
        </div>
        <SeatGridPreview
          areas={areas.filter((a) => a.kind === 'seated').map((a) => ({ name: a.name, rows: intOf(a.rows) ?? 0, seatsPerRow: intOf(a.seatsPerRow) ?? 0 }))}
        />
      </form>
    </Panel>
  );
}
