import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { SignupRequest } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { toApiError, type ApiError } from '../../lib/api.js';
import { safeNext, useDocumentTitle } from '../../lib/hooks.js';
import { validateField, validateForm, type FieldErrors } from './form-validation.js';

type Key = 'name' | 'email' | 'password';

export function SignupPage() {
  useDocumentTitle('Sign up');
  const { user, signup } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [values, setValues] = useState<Record<Key, string>>({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<Key>>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  if (user && !busy) return <Navigate to={next} replace />;

  const set = (k: Key) => (e: ChangeEvent<HTMLInputElement>) => {
    const v = { ...values, [k]: e.target.value };
    setValues(v);
    if (errors[k]) setErrors({ ...errors, [k]: validateField(SignupRequest, v, k) });
  };
  const blur = (k: Key) => () => {
    if (values[k] !== '') setErrors({ ...errors, [k]: validateField(SignupRequest, values, k) });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const found = validateForm(SignupRequest, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await signup({ name: values.name.trim(), email: values.email.trim(), password: values.password });
      navigate(next, { replace: true });
    } catch (err) {
      const e2 = toApiError(err);
      if (e2.code === 'EMAIL_TAKEN') setErrors({ email: e2.message });
      else setFormError(e2);
      setBusy(false);
    }
  }

  return (
    <div className="container auth-page">
      <div className="auth-card card">
        <h1 className="auth-title">Create your account</h1>
        <p className="muted auth-sub">It takes a few seconds, and your tickets live here.</p>
        <form onSubmit={submit} noValidate className="stack">
          <Field
            label="Name"
            name="name"
            autoComplete="name"
            value={values.name}
            onChange={set('name')}
            onBlur={blur('name')}
            error={errors.name}
            maxLength={60}
            autoFocus
          />
          <Field
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            value={values.email}
            onChange={set('email')}
            onBlur={blur('email')}
            error={errors.email}
          />
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="new-password"
            value={values.password}
            onChange={set('password')}
            onBlur={blur('password')}
            error={errors.password}
            hint="At least 8 characters."
          />
          {formError && <ErrorMessage error={formError} />}
          <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="signup-submit">
            {busy ? 'Creating account…' : 'Sign up'}
          </button>
        </form>
        <p className="auth-switch">
          Already have an account? <Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Log in</Link>
        </p>
      </div>
    </div>
  );
}
