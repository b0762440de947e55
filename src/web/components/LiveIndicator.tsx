import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../lib/socket.js';

/** Whether the live updates on screen are live: the waiting room and the sale dashboard show it. */
export function LiveIndicator({ connection }: { connection: ConnectionState }) {
  const { t } = useTranslation();
  const label = connection === 'connected' ? t('common.live') : connection === 'connecting' ? t('common.connecting') : t('common.reconnecting');
  return (
    <span className={`live-indicator live-${connection}`} data-testid="connection-state">
      <span className="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
