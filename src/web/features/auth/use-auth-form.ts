import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { toApiError, type ApiError } from '../../lib/api.js';
import { safeNext } from '../../lib/hooks.js';
import { authIssueText, validateField, validateForm, type FieldErrors } from './form-validation.js';

/**
 * The state of the login and signup forms: values validated with the shared request schema
 * (on blur, then as you type once a field showed an error), the server's refusal, and where to go next.
 * `fieldErrorOf` turns a refusal that belongs to one field (EMAIL_TAKEN) into that field's error.
 */
export function useAuthForm<K extends string>(
  schema: z.ZodType,
  initial: Record<K, string>,
  send: (values: Record<K, string>) => Promise<unknown>,
  fieldErrorOf?: (e: ApiError) => FieldErrors<K> | undefined,
) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const text = authIssueText(t);
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [values, setValues] = useState<Record<K, string>>(initial);
  const [errors, setErrors] = useState<FieldErrors<K>>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (k: K) => (e: ChangeEvent<HTMLInputElement>) => {
    const v = { ...values, [k]: e.target.value };
    setValues(v);
    if (errors[k]) setErrors({ ...errors, [k]: validateField(schema, v, k, text) });
  };
  const blur = (k: K) => () => {
    if (values[k] !== '') setErrors({ ...errors, [k]: validateField(schema, values, k, text) });
  };
  /** What the input of field `k` takes: its name, value, error and handlers. */
  const field = (k: K) => ({ name: k, value: values[k], onChange: set(k), onBlur: blur(k), error: errors[k] });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const found = validateForm(schema, values, text);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await send(values);
      navigate(next, { replace: true });
    } catch (err) {
      const refusal = toApiError(err);
      const onField = fieldErrorOf?.(refusal);
      if (onField) setErrors(onField);
      else setFormError(refusal);
      setBusy(false);
    }
  }

  /** The other form's link, keeping where to go next. */
  const switchTo = (path: string) => `${path}${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`;

  return { setValues, setErrors, formError, busy, field, submit, next, switchTo };
}
