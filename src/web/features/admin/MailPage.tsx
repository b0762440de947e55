import { LoadError } from '../../components/LoadError.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel } from './admin-ui.js';

/** /admin/mail — the outbox: every email the site sent or will send, and without SMTP the file each was written to. */
export function MailPage() {
  useDocumentTitle('Mail');
  const loaded = useLoad(() => adminApi.mail(), []);
  if (loaded.status === 'loading') return <Spinner label="Loading the outbox…" />;
  if (loaded.status === 'error') return <LoadError error={loaded.error} what="Outbox" missingText="There is no outbox here." reload={loaded.reload} />;
  const { transport, messages } = loaded.data;
  return (
    <div className="console-page">
      <ConsoleHeader
        title="Mail"
        actions={
          <button type="button" className="btn btn-secondary btn-sm" onClick={loaded.reload}>
            Refresh
          </button>
        }
      >
        {transport === 'file'
          ? 'No SMTP_URL is set: every email is written as an .eml file under DATA_DIR/mail (open it with any mail program).'
          : transport === 'smtp'
            ? 'Email goes out through the SMTP server of SMTP_URL.'
            : 'This server sends no email; messages wait in the outbox.'}
      </ConsoleHeader>
      <Panel>
        {messages.length === 0 ? (
          <p className="muted">No email yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="mail-list">
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">{transport === 'file' ? 'File' : 'Last error'}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <td>{formatDateTime(m.createdAt, 'UTC')}</td>
                    <td>{m.to}</td>
                    <td>{m.subject ?? m.kind}</td>
                    <td>{m.status === 'sent' ? 'sent' : `pending (${m.attempts} ${m.attempts === 1 ? 'try' : 'tries'})`}</td>
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
