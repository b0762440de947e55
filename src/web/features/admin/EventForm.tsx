import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { CreateEventRequest } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { EventImage } from '../../components/EventImage.js';
import { Field } from '../../components/Field.js';
import { RichText } from '../../components/RichText.js';
import { adminMessage, type AdminEvent, type UpdateEventBody } from '../../lib/api.js';
import { TextArea, issueText } from './admin-ui.js';

export interface EventValues {
  title: string;
  artist: string;
  description: string;
  imageUrl: string;
}

/**
 * Create or edit an event. The description is Markdown (bold, lists, links...), rendered
 * safely to React elements in the preview and on the public page; HTML in it is not rendered.
 */
export function EventForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: AdminEvent;
  submitLabel: string;
  /** Gets only what changed when editing, everything when creating. */
  onSubmit: (body: UpdateEventBody & { description: string }) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<EventValues>({
    title: initial?.title ?? '',
    artist: initial?.artist ?? '',
    description: initial?.description ?? '',
    imageUrl: initial?.imageUrl ?? '',
  });
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [errors, setErrors] = useState<Partial<Record<keyof EventValues, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const set = (k: keyof EventValues) => (v: string) => {
    setValues((cur) => ({ ...cur, [k]: v }));
    setSaved(false);
    if (errors[k]) setErrors((cur) => ({ ...cur, [k]: undefined }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setSaved(false);
    const imageUrl = values.imageUrl.trim();
    const parsed = CreateEventRequest.safeParse({
      title: values.title,
      artist: values.artist,
      description: values.description,
      ...(imageUrl ? { imageUrl } : {}),
    });
    if (!parsed.success) {
      const found: Partial<Record<keyof EventValues, string>> = {};
      for (const issue of parsed.error.issues) {
        const k = issue.path[0] as keyof EventValues;
        found[k] ??= issue.path[0] === 'imageUrl' ? t('admin.eventForm.imageUrlInvalid') : issueText(t, issue);
      }
      setErrors(found);
      return;
    }
    if (initial && initial.imageUrl && !imageUrl) {
      setErrors({ imageUrl: t('admin.eventForm.imageCannotRemove') });
      return;
    }
    const data = parsed.data;
    const body: UpdateEventBody & { description: string } = { description: data.description };
    if (!initial || data.title !== initial.title) body.title = data.title;
    if (!initial || data.artist !== initial.artist) body.artist = data.artist;
    if (data.imageUrl !== undefined && (!initial || data.imageUrl !== initial.imageUrl)) body.imageUrl = data.imageUrl;
    setBusy(true);
    try {
      await onSubmit(body);
      setSaved(true);
    } catch (err) {
      setFormError(adminMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="event-form" onSubmit={submit} noValidate data-testid="event-form">
      <div className="event-form-main">
        <div className="form-grid">
          <Field label={t('admin.eventForm.title')} value={values.title} onChange={(e) => set('title')(e.target.value)} error={errors.title} maxLength={200} data-testid="event-title" />
          <Field label={t('admin.eventForm.artist')} value={values.artist} onChange={(e) => set('artist')(e.target.value)} error={errors.artist} maxLength={200} data-testid="event-artist" />
        </div>
        <div className="md-editor">
          <div className="md-tabs" role="tablist" aria-label={t('admin.eventForm.description')}>
            <button type="button" role="tab" aria-selected={tab === 'write'} className={`md-tab${tab === 'write' ? ' is-active' : ''}`} onClick={() => setTab('write')}>
              {t('admin.eventForm.write')}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'preview'}
              className={`md-tab${tab === 'preview' ? ' is-active' : ''}`}
              onClick={() => setTab('preview')}
              data-testid="description-preview-tab"
            >
              {t('admin.eventForm.preview')}
            </button>
          </div>
          {tab === 'write' ? (
            <TextArea
              label={t('admin.eventForm.description')}
              value={values.description}
              onChange={(e) => set('description')(e.target.value)}
              error={errors.description}
              rows={8}
              maxLength={10_000}
              hint={<Trans i18nKey="admin.eventForm.descriptionHint" components={{ c: <code /> }} />}
              data-testid="event-description"
            />
          ) : (
            <div className="md-preview" data-testid="description-preview">
              <span className="field-label">{t('admin.eventForm.descriptionPreview')}</span>
              {values.description.trim() ? <RichText text={values.description} /> : <p className="muted">{t('admin.eventForm.nothingToPreview')}</p>}
            </div>
          )}
        </div>
      </div>
      <div className="event-form-side">
        <Field
          label={t('admin.eventForm.poster')}
          value={values.imageUrl}
          onChange={(e) => set('imageUrl')(e.target.value)}
          error={errors.imageUrl}
          placeholder="https://… or /images/poster-1.svg"
          maxLength={2000}
          hint={t('admin.eventForm.posterHint')}
          data-testid="event-image"
        />
        <div className="event-form-poster" aria-label={t('admin.eventForm.posterPreview')}>
          <EventImage key={values.imageUrl} src={values.imageUrl.trim() || null} title={values.title || t('admin.event.newEvent')} />
        </div>
      </div>
      <div className="event-form-footer">
        {formError && <ErrorMessage>{formError}</ErrorMessage>}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="event-submit">
            {busy ? t('admin.saving') : submitLabel}
          </button>
          {onCancel && (
            <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
              {t('admin.cancel')}
            </button>
          )}
          {saved && initial && (
            <span className="saved-note" role="status" data-testid="event-saved">
              {t('admin.eventForm.saved')}
            </span>
          )}
        </div>
      </div>
    </form>
  );
}
