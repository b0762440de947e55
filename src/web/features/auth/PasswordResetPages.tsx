import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { PasswordResetConfirmRequest, PasswordResetRequest } from '../../../shared/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { api, isApiError } from '../../lib/api.js';
import { useDocumentTitle } from '../../lib/hooks.js';

const firstIssue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, key: string) =>
  r.success ? undefined : r.error?.issues.find((i) => i.path[0] === key)?.message;

/** /forgot-password: asks for a reset link by email. The answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot your password?');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const issue = firstIssue(PasswordResetRequest.safeParse({ email }), 'email');
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
        <h1 className="auth-title">Forgot your password?</h1>
        {sentTo ? (
          <p data-testid="forgot-password-text">
            If an account has the email <strong>{sentTo}</strong>, a link to choose a new password is on its way. It works once, for 60
            minutes. Nothing arrived? Check your spam folder, or ask again in a few minutes.
          </p>
        ) : (
          <>
            <p className="muted auth-sub" data-testid="forgot-password-text">
              Enter the email of your account and we will send you a link to choose a new password.
            </p>
            <form onSubmit={submit} noValidate className="stack">
              <Field label="Email" type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={error} autoFocus />
              {failure !== undefined && <ErrorMessage error={failure} />}
              <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="forgot-password-submit">
                {busy ? 'Sending…' : 'Send me a link'}
              </button>
            </form>
          </>
        )}
        <p className="auth-switch">
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    </div>
  );
}

/** /reset-password?token=…: the page the emailed link opens; sets the new password (every session of the account ends). */
export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const token = useSearchParams()[0].get('token') ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const checked = PasswordResetConfirmRequest.shape.password.safeParse(password);
    const issue = checked.success ? undefined : checked.error.issues[0]?.message;
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
        <h1 className="auth-title">Choose a new password</h1>
        {done ? (
          <p data-testid="reset-password-done">
            Your password is changed, and every session of your account has ended. <Link to="/login">Log in</Link> with the new one.
          </p>
        ) : invalid ? (
          <p data-testid="reset-password-invalid">
            This link is invalid, used or expired. <Link to="/forgot-password">Ask for a new one</Link>.
          </p>
        ) : (
          <form onSubmit={submit} noValidate className="stack">
            <Field
              label="New password"
              type="password"
              name="password"
              autoComplete="new-password"
              hint="At least 8 characters"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={error}
              autoFocus
            />
            {failure !== undefined && <ErrorMessage error={failure} />}
            <button type="submit" className="btn btn-primary btn-block btn-lg" disabled={busy} data-testid="reset-password-submit">
              {busy ? 'Saving…' : 'Set the new password'}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
