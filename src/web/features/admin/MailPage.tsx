import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/LoadError.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel } from './admin-ui.js';

/** /admin/mail — the outbox: every email the site sent or will send, and without SMTP the file each was written to. */
export function MailPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.pageTitle', { title: t('mail.title') }));
  const loaded = useLoad(() => adminApi.mail(), []);
  if (loaded.status === 'loading') return <Spinner label={t('mail.loading')} />;
  if (loaded.status === 'error') return <LoadError error={loaded.error} what={t('mail.what')} missingText={t('mail.missing')} reload={loaded.reload} />;
  const { transport, messages } = loaded.data;
  return (
    <div className="console-page">
      <ConsoleHeader
        title={t('mail.title')}
        actions={
          <button type="button" className="btn btn-secondary btn-sm" onClick={loaded.reload}>
            {t('mail.refresh')}
          </button>
        }
      >
        {transport === 'file' ? t('mail.file') : transport === 'smtp' ? t('mail.smtp') : t('mail.none')}
      </ConsoleHeader>
      <Panel>
        {messages.length === 0 ? (
          <p className="muted">{t('mail.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="mail-list">
              <thead>
                <tr>
                  <th scope="col">{t('mail.queued')}</th>
                  <th scope="col">{t('mail.to')}</th>
                  <th scope="col">{t('mail.subject')}</th>
                  <th scope="col">{t('mail.status')}</th>
                  <th scope="col">{transport === 'file' ? t('mail.fileColumn') : t('mail.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <td>{formatDateTime(m.createdAt, 'UTC')}</td>
                    <td>{m.to}</td>
                    <td>{m.subject ?? m.kind}</td>
                    <td>{m.status === 'sent' ? t('mail.sent') : t('mail.pending', { count: m.attempts })}</td>
                    <td className="small">{transport === 'file' ? (m.file ?? '—') : (m.lastError ?? '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
