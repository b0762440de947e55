import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { PasswordResetConfirmRequest, PasswordResetRequest } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { api, isApiError } from '../../lib/api.js';
import { useDocumentTitle } from '../../lib/hooks.js';
import { authIssueText, validateField } from './form-validation.js';

/** /forgot-password: asks for a reset link by email. The answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('forgot.title'));
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const issue = validateField(PasswordResetRequest, { email }, 'email', authIssueText(t));
    setError(issue);
    if (issue) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api.requestPasswordReset(email.trim());
      setSentTo(email.trim());
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container auth-page">
      <div className="auth-card card">
        <h1 className="auth-title">{t('forgot.title')}</h1>
        {sentTo ? (
          <p data-testid="forgot-password-text">
            <Trans i18nKey="reset.sent" values={{ email: sentTo }} components={{ strong: <strong /> }} />
          </p>
        ) : (
          <>
            <p className="muted auth-sub" data-testid="forgot-password-text">
              {t('reset.forgotLead')}
            </p>
            <form onSubmit={submit} noValidate className="stack">
              <Field label={t('auth.email')} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={error} autoFocus />
              {failure !== undefined && <ErrorMessage error={failure} />}
              <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="forgot-password-submit">
                {busy ? t('reset.sending') : t('reset.send')}
              </button>
            </form>
          </>
        )}
        <p className="auth-switch">
          <Link to="/login">{t('forgot.back')}</Link>
        </p>
      </div>
    </div>
  );
}

/** /reset-password?token=…: the page the emailed link opens; sets the new password (every session of the account ends). */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reset.title'));
  const token = useSearchParams()[0].get('token') ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const issue = validateField(PasswordResetConfirmRequest.pick({ password: true }), { password }, 'password', authIssueText(t));
    setError(issue);
    if (issue) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api.confirmPasswordReset(token, password);
      setDone(true);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  const invalid = !token || (failure !== undefined && (isApiError(failure, 'RESET_TOKEN_INVALID') || isApiError(failure, 'VALIDATION_FAILED')));
  return (
    <div className="container auth-page">
      <div className="auth-card card">
        <h1 className="auth-title">{t('reset.title')}</h1>
        {done ? (
          <p data-testid="reset-password-done">
            <Trans i18nKey="reset.done" components={{ link: <Link to="/login" /> }} />
          </p>
        ) : invalid ? (
          <p data-testid="reset-password-invalid">
            <Trans i18nKey="reset.invalid" components={{ link: <Link to="/forgot-password" /> }} />
          </p>
        ) : (
          <form onSubmit={submit} noValidate className="stack">
            <Field
              label={t('reset.newPassword')}
              type="password"
              name="password"
              autoComplete="new-password"
              hint={t('reset.hint')}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={error}
              autoFocus
            />
            {failure !== undefined && <ErrorMessage error={failure} />}
            <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="reset-password-submit">
              {busy ? t('reset.saving') : t('reset.save')}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
