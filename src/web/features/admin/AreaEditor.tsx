/**
 * Edits one area of an existing venue: a standing area's capacity, or a seated area's wheelchair
 * places (the whole set, as row-seat pairs). The server decides what can go (docs/selling.md).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UpdateAreaRequest } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { adminApi, adminMessage, toApiError, type AdminArea } from '../../lib/api.js';
import { intOf } from './admin-ui.js';

const pairsOf = (seats: AdminArea['accessibleSeats']): string => seats.map((s) => `${s.row}-${s.number}`).join(', ');

/** "10-1, 10-2" -> positions; null when a pair is unreadable. */
function positionsOf(text: string): { row: number; number: number }[] | null {
  const out: { row: number; number: number }[] = [];
  for (const pair of text.split(/[,\s]+/).filter(Boolean)) {
    const m = /^(\d{1,3})-(\d{1,3})$/.exec(pair);
    if (!m) return null;
    out.push({ row: Number(m[1]), number: Number(m[2]) });
  }
  return out;
}

export function AreaEditor({ venueId, area, onSaved }: { venueId: string; area: AdminArea; onSaved: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [capacity, setCapacity] = useState(String(area.capacity));
  const [accessible, setAccessible] = useState(pairsOf(area.accessibleSeats));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const standing = area.kind === 'standing';

  if (!open) {
    return (
      <>
        {saved && (
          <span className="area-edit-saved small" role="status">
            {t('admin.areaEditor.saved', { name: area.name })}
          </span>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-label={t('admin.areaEditor.editLabel', { name: area.name })}
          onClick={() => {
            setCapacity(String(area.capacity));
            setAccessible(pairsOf(area.accessibleSeats));
            setError(null);
            setSaved(false);
            setOpen(true);
          }}
          data-testid="area-edit"
        >
          {t('admin.areaEditor.edit')}
        </button>
      </>
    );
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const positions = standing ? [] : positionsOf(accessible);
    if (positions === null) return setError(t('admin.areaEditor.badPair'));
    const parsed = UpdateAreaRequest.safeParse(standing ? { capacity: intOf(capacity) ?? Number.NaN } : { accessibleSeats: positions });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? t('admin.areaEditor.badPair'));
    setBusy(true);
    try {
      await adminApi.updateArea(venueId, area.id, parsed.data);
      setOpen(false);
      setSaved(true);
      onSaved();
    } catch (err) {
      const removable = (toApiError(err).details as { removable?: unknown } | undefined)?.removable;
      setError(typeof removable === 'number' ? t('admin.areaEditor.tooFewFree', { count: removable }) : adminMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="area-edit-form" onSubmit={save} noValidate data-testid="area-edit-form">
      {standing ? (
        <Field
          label={t('admin.areaEditor.capacity')}
          inputMode="numeric"
          value={capacity}
          onChange={(e) => setCapacity(e.target.value.replace(/[^\d]/g, '').slice(0, 5))}
          hint={t('admin.areaEditor.capacityHint')}
          data-testid="area-edit-capacity"
        />
      ) : (
        <Field
          label={t('admin.areaEditor.accessible')}
          value={accessible}
          onChange={(e) => setAccessible(e.target.value.slice(0, 8000))}
          placeholder="10-1, 10-2"
          hint={t('admin.areaEditor.accessibleHint')}
          data-testid="area-edit-accessible"
        />
      )}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy} data-testid="area-edit-save">
          {busy ? t('admin.saving') : t('admin.areaEditor.save')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOpen(false)} disabled={busy}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}
