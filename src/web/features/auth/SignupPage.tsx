import { Trans, useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { SignupRequest } from '../../../shared/api.js';
import { useAuth } from '../../app/auth.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { currentLanguage } from '../../i18n/index.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { useAuthForm } from './use-auth-form.js';

type Key = 'name' | 'email' | 'password';

export function SignupPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('auth.signupTitle'));
  const { user, signup } = useAuth();
  const { formError, busy, field, submit, next, switchTo } = useAuthForm<Key>(
    SignupRequest,
    { name: '', email: '', password: '' },
    (v) => signup({ name: v.name.trim(), email: v.email.trim(), password: v.password, locale: currentLanguage() }),
    // An email that is taken is the email field's problem.
    (e) => (e.code === 'EMAIL_TAKEN' ? { email: e.message } : undefined),
  );

  if (user && !busy) return <Navigate to={next} replace />;

  return (
    <div className="container auth-page">
      <div className="auth-card card">
        <h1 className="auth-title">{t('auth.create')}</h1>
        <p className="muted auth-sub">{t('auth.signupSub')}</p>
        <form onSubmit={submit} noValidate className="stack">
          <Field label={t('auth.name')} autoComplete="name" maxLength={60} {...field('name')} autoFocus />
          <Field label={t('auth.email')} type="email" autoComplete="email" {...field('email')} />
          <Field label={t('auth.password')} type="password" autoComplete="new-password" hint={t('auth.passwordHint')} {...field('password')} />
          {formError && <ErrorMessage error={formError} />}
          <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="signup-submit">
            {busy ? t('auth.creating') : t('header.signUp')}
          </button>
        </form>
        <p className="auth-switch">
          <Trans i18nKey="auth.haveAccount" components={{ link: <Link to={switchTo('/login')} /> }} />
        </p>
      </div>
    </div>
  );
}
