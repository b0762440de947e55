import { Link, Navigate } from 'react-router-dom';
import { SignupRequest } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { useAuthForm } from './use-auth-form.js';

type Key = 'name' | 'email' | 'password';

export function SignupPage() {
  useDocumentTitle('Sign up');
  const { user, signup } = useAuth();
  const { values, errors, formError, busy, set, blur, submit, next, switchTo } = useAuthForm<Key>(
    SignupRequest,
    { name: '', email: '', password: '' },
    (v) => signup({ name: v.name.trim(), email: v.email.trim(), password: v.password }),
    // An email that is taken is the email field's problem.
    (e) => (e.code === 'EMAIL_TAKEN' ? { email: e.message } : undefined),
  );

  if (user && !busy) return <Navigate to={next} replace />;

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
          Already have an account? <Link to={switchTo('/login')}>Log in</Link>
        </p>
      </div>
    </div>
  );
}
