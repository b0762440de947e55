import type { ConnectionState } from '../lib/socket.js';

/** Whether the live updates on screen are live: the waiting room and the sale dashboard show it. */
export function LiveIndicator({ connection }: { connection: ConnectionState }) {
  const label = connection === 'connected' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`live-indicator live-${connection}`} data-testid="connection-state">
      <span className="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
