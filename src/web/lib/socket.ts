/**
 * One Socket.IO connection for the whole tab, shared by the views that need live data.
 * Views acquire it while mounted; it closes when nobody holds it.
 * Auth is the session cookie sent with the handshake.
 */
import { io, type Socket } from 'socket.io-client';
import { useEffect, useState } from 'react';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime.js';
import { onSessionChange } from './session-events.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | undefined;
let holders = 0;
let closeTimer: ReturnType<typeof setTimeout> | undefined;

export function acquireSocket(): AppSocket {
  holders += 1;
  if (closeTimer) {
    clearTimeout(closeTimer);
    closeTimer = undefined;
  }
  if (!socket) {
    socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
  } else if (socket.disconnected && !socket.active) {
    socket.connect();
  }
  return socket;
}

export function releaseSocket(): void {
  holders = Math.max(0, holders - 1);
  if (holders === 0 && socket && !closeTimer) {
    // A short delay so that moving between two views that both watch does not drop the connection.
    closeTimer = setTimeout(() => {
      closeTimer = undefined;
      if (holders === 0) socket?.disconnect();
    }, 1500);
  }
}

// After login or logout the handshake's cookie changes: start a fresh connection next time.
onSessionChange(() => {
  if (socket) {
    socket.disconnect();
    socket = undefined;
  }
});

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** Whether the shared socket is up, for a small "live" indicator. */
export function useConnectionState(s: AppSocket | undefined): ConnectionState {
  const [state, setState] = useState<ConnectionState>(s?.connected ? 'connected' : 'connecting');
  useEffect(() => {
    if (!s) return;
    setState(s.connected ? 'connected' : 'connecting');
    const up = () => setState('connected');
    const down = () => setState('reconnecting');
    s.on('connect', up);
    s.on('disconnect', down);
    s.on('connect_error', down);
    return () => {
      s.off('connect', up);
      s.off('disconnect', down);
      s.off('connect_error', down);
    };
  }, [s]);
  return state;
}
