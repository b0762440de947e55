import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { LoginRequest } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { toApiError, type ApiError } from '../../lib/api.js';
import { safeNext, useDocumentTitle } from '../../lib/hooks.js';
import { validateField, validateForm, type FieldErrors } from './form-validation.js';

type Key = 'email' | 'password';

export function LoginPage() {
  useDocumentTitle('Log in');
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [values, setValues] = useState<Record<Key, string>>({ email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<Key>>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  if (user && !busy) return <Navigate to={next} replace />;

  const set = (k: Key) => (e: ChangeEvent<HTMLInputElement>) => {
    const v = { ...values, [k]: e.target.value };
    setValues(v);
    if (errors[k]) setErrors({ ...errors, [k]: validateField(LoginRequest, v, k) });
  };
  const blur = (k: Key) => () => {
    if (values[k] !== '') setErrors({ ...errors, [k]: validateField(LoginRequest, values, k) });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const found = validateForm(LoginRequest, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await login({ email: values.email.trim(), password: values.password });
      navigate(next, { replace: true });
    } catch (err) {
      setFormError(toApiError(err));
      setBusy(false);
    }
  }

  return (
    <div className="container auth-page">
      <div className="auth-card card">
        <h1 className="auth-title">Welcome back</h1>
        <p className="muted auth-sub">Log in to join the line and buy tickets.</p>
        <div className="demo-hint" data-testid="demo-hint">
          <div className="demo-hint-text">
            <strong>Try the demo account</strong>
            <span>
              <code>demo@test.com</code> / <code>demodemo</code>
            </span>
          </div>
          <button
            type="button"
            className="btn btn-link btn-sm"
            onClick={() => {
              setValues({ email: 'demo@test.com', password: 'demodemo' });
              setErrors({});
            }}
          >
            Use it
          </button>
        </div>
        <form onSubmit={submit} noValidate className="stack">
          <Field
            label="Email"
            type="email"
            name="email"
            autoComplete="email"
            value={values.email}
            onChange={set('email')}
            onBlur={blur('email')}
            error={errors.email}
            autoFocus
          />
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            value={values.password}
            onChange={set('password')}
            onBlur={blur('password')}
            error={errors.password}
          />
          {formError && <ErrorMessage error={formError} />}
          <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="login-submit">
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        <p className="auth-switch">
          New to TicketClub? <Link to={`/signup${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
