import { Trans, useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { LoginRequest } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { useAuthForm } from './use-auth-form.js';

type Key = 'email' | 'password';

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.loginTitle'));
  const { user, login } = useAuth();
  const { setValues, setErrors, formError, busy, field, submit, next, switchTo } = useAuthForm<Key>(
    LoginRequest,
    { email: '', password: '' },
    (v) => login({ email: v.email.trim(), password: v.password }),
  );

  if (user && !busy) return <Navigate to={next} replace />;

  return (
    <div className="container auth-page">
      <div className="auth-card card">
        <h1 className="auth-title">{t('auth.welcome')}</h1>
        <p className="muted auth-sub">{t('auth.loginSub')}</p>
        <div className="demo-hint" data-testid="demo-hint">
          <div className="demo-hint-text">
            <strong>{t('auth.demo')}</strong>
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
            {t('auth.useDemo')}
          </button>
        </div>
        <form onSubmit={submit} noValidate className="stack">
          <Field label={t('auth.email')} type="email" autoComplete="email" {...field('email')} autoFocus />
          <Field label={t('auth.password')} type="password" autoComplete="current-password" {...field('password')} />
          {formError && <ErrorMessage error={formError} />}
          <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="login-submit">
            {busy ? t('auth.loggingIn') : t('header.logIn')}
          </button>
        </form>
        <p className="auth-switch">
          <Link to="/forgot-password">{t('auth.forgot')}</Link>
        </p>
        <p className="auth-switch">
          <Trans i18nKey="auth.newHere" components={{ link: <Link to={switchTo('/signup')} /> }} />
        </p>
      </div>
    </div>
  );
}
