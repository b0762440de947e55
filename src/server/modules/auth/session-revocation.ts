import { rooms, type IoServer } from '../../platform/realtime.js';
import type { AuthService } from './auth-service.js';

/**
 * How long a logout waits for the other instances to acknowledge; after that the session cache's
 * own TTL still ends their cached copies.
 */
const REVOCATION_ACK_MS = 2_000;

/**
 * When sessions end, their cached copies and their open sockets go on every instance before the
 * request that ended them answers: a logged-out or demoted session's socket must not keep watching.
 * Each instance closes its own sockets of the session (their room is per token hash), so waiting for
 * the acknowledgements covers both (or REVOCATION_ACK_MS passed).
 */
export function shareSessionRevocations(io: IoServer, auth: AuthService, shared: boolean, onError: (err: unknown) => void): void {
  const endHere = (tokenHashes: string[]) => {
    if (!Array.isArray(tokenHashes)) return; // not from this version of the app: nothing to end
    for (const h of tokenHashes) auth.forgetSession(h);
    io.local.in(tokenHashes.map(rooms.session)).disconnectSockets(true);
  };
  if (shared) {
    io.on('session:revoked', (tokenHashes, ack) => {
      endHere(tokenHashes);
      if (typeof ack === 'function') ack(true);
    });
  }
  auth.onSessionsEnded(async (tokenHashes) => {
    endHere(tokenHashes);
    if (!shared) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        io.serverSideEmitWithAck('session:revoked', tokenHashes),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), REVOCATION_ACK_MS))),
      ]);
    } catch (err) {
      onError(err);
    } finally {
      clearTimeout(timer);
    }
  });
}
