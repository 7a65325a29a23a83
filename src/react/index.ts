// gatehouse-auth/react: SessionProvider and useSession (next-auth/react's API and behaviour), plus the client functions.
'use client';
import { createContext, createElement, useContext, useEffect, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { post } from '../client/broadcast.js';
import { fetchJson } from '../client/fetch.js';
import { getCsrfToken } from '../client/index.js';
import type { Session } from '../client/types.js';
import { apiBase, configure } from '../client/url.js';
import { publish, refresh, subscribe } from './store.js';

// Named, not `export *`: Next.js refuses `export *` in a 'use client' module.
export {
  changePassword,
  configure,
  confirmEmailTwoFactor,
  confirmTwoFactor,
  disableTwoFactor,
  enableEmailTwoFactor,
  enableTwoFactor,
  getCsrfToken,
  getProviders,
  getSession,
  getTwoFactorStatus,
  listSessions,
  reauthenticate,
  regenerateBackupCodes,
  requestPasswordReset,
  resetPassword,
  revokeOtherSessions,
  revokeSession,
  sendReauthenticationCode,
  sendTwoFactorEmailCode,
  signIn,
  signOut,
  signUp,
  verifyTwoFactor,
} from '../client/index.js';
export type {
  ClientConfig,
  ClientSafeProvider,
  ClientSession,
  GetSessionParams,
  PasswordActionOptions,
  PasswordActionResponse,
  Reauthentication,
  RequestContext,
  SecondFactor,
  Session,
  SignInAuthorizationParams,
  SignInOptions,
  SignInResponse,
  SignOutParams,
  SignOutResponse,
  TwoFactorResult,
} from '../client/index.js';

/** `update(data)`: POSTs `session` with `data` (your `jwt`/`session` callback sees it) and resolves the new session. */
export type UpdateSession<S = Session> = (data?: unknown) => Promise<S | null | undefined>;

/** What `useSession()` returns. While loading, `data` is undefined at first and the previous session during `update()`. */
export type SessionContextValue<R extends boolean = false, S = Session> =
  | { data: S; status: 'authenticated'; update: UpdateSession<S> }
  | { data: S | null | undefined; status: 'loading'; update: UpdateSession<S> }
  | (R extends true ? never : { data: null; status: 'unauthenticated'; update: UpdateSession<S> });

export interface UseSessionOptions<R extends boolean> {
  /** Signed-out users are sent to the sign-in page (under `basePath`), and the status stays `loading` meanwhile. */
  required: R;
  /** Called instead of that redirect. */
  onUnauthenticated?: () => void;
}

export interface SessionProviderProps {
  children?: ReactNode;
  /** The session the server rendered with (`null` when signed out): no loading state and no first fetch. */
  session?: Session | null;
  /** Path of the auth API when it is not `/api/auth`. */
  basePath?: string;
  /** Absolute URL of the auth API, when it is on another origin than the page. */
  baseUrl?: string;
  /** Seconds between refetches while signed in; 0 or unset: no polling. */
  refetchInterval?: number;
  /** Refetch when the tab becomes visible again (default true). */
  refetchOnWindowFocus?: boolean;
  /** `false`: no polling while the browser is offline. */
  refetchWhenOffline?: false;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator != 'undefined' ? navigator.onLine : false);
  useEffect(() => {
    const on = (): void => setOnline(true);
    const off = (): void => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** Provides the session to `useSession()` below it; keeps it fresh (tabs, focus, polling). */
export function SessionProvider(props: SessionProviderProps): ReactElement {
  const { children, basePath, baseUrl, refetchInterval, refetchOnWindowFocus = true, refetchWhenOffline } = props;
  // During render, as v4 does, so that children's effects already call the right API.
  if (basePath || baseUrl) configure({ ...(basePath ? { basePath } : {}), ...(baseUrl ? { baseUrl } : {}) });
  const [session, setSession] = useState<Session | null | undefined>(props.session);
  const [loading, setLoading] = useState(props.session === undefined);

  useEffect(() => {
    const [stop, ready] = subscribe(setSession, props.session);
    void ready.then(() => setLoading(false));
    return stop;
    // Mount only: a new `session` prop after the first render is the page state's job, as in v4.
  }, []);

  useEffect(() => {
    if (!refetchOnWindowFocus) return;
    const onVisibility = (): void => {
      if (document.visibilityState == 'visible') void refresh('visibilitychange');
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [refetchOnWindowFocus]);

  const online = useOnline();
  const poll = !!refetchInterval && (refetchWhenOffline !== false || online);
  useEffect(() => {
    if (!poll) return;
    const timer = setInterval(() => void refresh('poll'), refetchInterval * 1000);
    return () => clearInterval(timer);
  }, [poll, refetchInterval]);

  const value = useMemo<SessionContextValue>(() => {
    const update: UpdateSession = async (data) => {
      // As v4: nothing to update while loading or signed out.
      if (loading || !session) return undefined;
      setLoading(true);
      const next = await fetchJson<Session>('session', undefined, { csrfToken: await getCsrfToken(), data });
      setLoading(false);
      if (next) {
        publish(next);
        post('getSession');
      }
      return next ?? null;
    };
    if (loading) return { data: session, status: 'loading', update };
    return session ? { data: session, status: 'authenticated', update } : { data: null, status: 'unauthenticated', update };
  }, [session, loading]);

  return createElement(SessionContext.Provider, { value }, children);
}

/**
 * The session and its status, `{ data, status, update }`. With `{ required: true }` a signed-out
 * user is sent to `{basePath}/signin?error=SessionRequired` (v4 always used /api/auth here).
 */
export function useSession<R extends boolean = false, S = Session>(options?: UseSessionOptions<R>): SessionContextValue<R, S> {
  const value = useContext(SessionContext) as SessionContextValue<R, S> | undefined;
  // v4's wording, which apps and their tests match on; thrown in production too (v4 then failed on `undefined.status`).
  if (!value) throw new Error('[next-auth]: `useSession` must be wrapped in a <SessionProvider />');
  const { required, onUnauthenticated } = options ?? {};
  const redirect = required && value.status == 'unauthenticated';
  useEffect(() => {
    if (!redirect) return;
    if (onUnauthenticated) onUnauthenticated();
    else location.href = `${apiBase()}/signin?${new URLSearchParams({ error: 'SessionRequired', callbackUrl: location.href })}`;
  }, [redirect, onUnauthenticated]);
  return redirect ? { data: value.data, status: 'loading', update: value.update } : value;
}
