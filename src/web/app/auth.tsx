/** Who is logged in, for the whole app. The session itself is an HttpOnly cookie the server manages. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginRequest, SignupRequest, User } from '../../shared/api.js';
import { api, isApiError } from '../lib/api.js';
import { sessionChanged } from '../lib/session-events.js';

interface AuthState {
  /** undefined while the first /api/me is in flight. */
  user: User | null | undefined;
  login(body: LoginRequest): Promise<User>;
  signup(body: SignupRequest): Promise<User>;
  logout(): Promise<void>;
  /** Call when the API answers 401: the session is gone. */
  sessionExpired(): void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    api.me().then(
      (r) => live && setUser(r.user),
      (e: unknown) => {
        if (!live) return;
        // A network failure is not "logged out", but we cannot do better than treat it so for now.
        setUser(null);
        if (!isApiError(e, 'UNAUTHENTICATED')) console.warn('Could not load the session', e);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const login = useCallback(async (body: LoginRequest) => {
    const r = await api.login(body);
    sessionChanged();
    setUser(r.user);
    return r.user;
  }, []);

  const signup = useCallback(async (body: SignupRequest) => {
    const r = await api.signup(body);
    sessionChanged();
    setUser(r.user);
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch (e) {
      if (!isApiError(e, 'UNAUTHENTICATED')) throw e;
    }
    sessionChanged();
    setUser(null);
  }, []);

  const sessionExpired = useCallback(() => setUser(null), []);

  const value = useMemo(() => ({ user, login, signup, logout, sessionExpired }), [user, login, signup, logout, sessionExpired]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
