import { Link, Navigate } from 'react-router-dom';
import { LoginRequest } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { useAuthForm } from './use-auth-form.js';

type Key = 'email' | 'password';

export function LoginPage() {
  useDocumentTitle('Log in');
  const { user, login } = useAuth();
  const { values, setValues, errors, setErrors, formError, busy, set, blur, submit, next, switchTo } = useAuthForm<Key>(
    LoginRequest,
    { email: '', password: '' },
    (v) => login({ email: v.email.trim(), password: v.password }),
  );

  if (user && !busy) return <Navigate to={next} replace />;

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
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <p className="auth-switch">
          New to TicketClub? <Link to={switchTo('/signup')}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
