// Shared setup of the OAuth tests: a real IdP, a gatehouse app registered with it, and the steps of one sign-in.
import assert from 'node:assert/strict';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import OIDC from '../../src/providers/oidc.js';
import type { AuthConfig, OAuthConfig } from '../../src/types.js';
import { IdpBrowser, startIdp, type Idp, type IdpClient } from './idp.js';

export const CLIENT_SECRET = 'SENTINEL-client-secret-7f3a9c1e';

/**
 * The app's configured URL. Requests go to the real loopback server; this origin only appears in
 * the URLs gatehouse generates (redirect_uri, callback URLs), which the tests map back with `local()`.
 * It shows that those URLs come from configuration, not from the request.
 */
export const APP_ORIGIN = 'http://app.test';
export const APP_BASE = `${APP_ORIGIN}/api/auth`;

export interface Rig {
  idp: Idp;
  app: TestServer;
  /** The loopback URL of the auth API (requests go here; generated URLs say APP_BASE). */
  base: string;
  /** Maps a URL on APP_ORIGIN to the loopback server that serves it. */
  local(url: string): string;
  /** Captured log lines (every level), for the secret-leak checks. */
  logs: string[];
  close(): Promise<void>;
}

/** Provider ids the default test client accepts callbacks for. */
export const CALLBACK_IDS = ['idp', 'other', 'plain', 'formpost', 'public', 'rp', 'refresh', 'token500', 'tokenhtml', 'tokenhang', 'userinfo500', 'userinfohang', 'linking', 'viauserinfo'];

export function defaultClients(origin = APP_ORIGIN): IdpClient[] {
  return [
    {
      client_id: 'gatehouse',
      client_secret: CLIENT_SECRET,
      redirect_uris: CALLBACK_IDS.map((id) => `${origin}/api/auth/callback/${id}`),
      post_logout_redirect_uris: [`${origin}/bye`, origin],
    },
    {
      client_id: 'gatehouse-b',
      client_secret: `${CLIENT_SECRET}-b`,
      redirect_uris: [`${origin}/api/auth/callback/other`],
    },
    {
      client_id: 'gatehouse-public',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${origin}/api/auth/callback/public`],
    },
  ];
}

/** The generic OIDC provider pointed at the test IdP with every check on. */
export function idpProvider(issuer: string, overrides: Record<string, unknown> = {}): OAuthConfig {
  return OIDC({ id: 'idp', name: 'Test IdP', issuer, clientId: 'gatehouse', clientSecret: CLIENT_SECRET, ...overrides });
}

export async function rig(providers: (issuer: string) => OAuthConfig[], options: { config?: Partial<AuthConfig>; clients?: IdpClient[]; origin?: string; idp?: { tokenDelayMs?: number } } = {}): Promise<Rig> {
  const origin = options.origin ?? APP_ORIGIN;
  const idp = await startIdp(options.clients ?? defaultClients(origin), options.idp ?? {});
  const logs: string[] = [];
  const record = (level: string) => (code: string, metadata?: unknown) => logs.push(`${level} ${code} ${JSON.stringify(metadata ?? null)}`);
  const app = await startServer({
    secret: SECRET,
    providers: providers(idp.issuer),
    url: `${origin}/api/auth`,
    debug: true,
    logger: { error: record('error'), warn: record('warn'), debug: record('debug') },
    ...options.config,
  });
  return {
    idp,
    app,
    base: `${app.origin}/api/auth`,
    logs,
    local: (url: string) => (url.startsWith(origin) ? app.origin + url.slice(origin.length) : url),
    close: async () => {
      await app.close();
      await idp.stop();
    },
  };
}

/** CSRF, then POST `signin/:id` (JSON mode, as the client does): the authorization URL and the response. */
export async function startSignIn(rg: Rig, browser: Browser, id: string, options: { callbackUrl?: string; query?: string; headers?: Record<string, string> } = {}) {
  const csrfToken = await browser.csrfToken(rg.base);
  const response = await browser.fetch(`${rg.base}/signin/${id}${options.query ?? ''}`, {
    method: 'POST',
    form: { csrfToken, callbackUrl: options.callbackUrl ?? `${APP_ORIGIN}/dashboard`, json: 'true' },
    ...(options.headers ? { headers: options.headers } : {}),
  });
  assert.equal(response.status, 200);
  const { url } = (await response.json()) as { url: string };
  return { url, response };
}

/** A full sign-in up to (not including) the callback: the callback URL the IdP sent the user to. */
export async function authorizeAt(rg: Rig, browser: Browser, id: string, login = 'alice', options: { callbackUrl?: string; query?: string } = {}) {
  const { url } = await startSignIn(rg, browser, id, options);
  const idpBrowser = new IdpBrowser();
  const result = await idpBrowser.authorize(url, login, `${APP_BASE}/callback/`);
  return { authorizationUrl: url, callback: result.location!, formPost: result.formPost, idpBrowser };
}

export async function sessionOf(rg: Rig, browser: Browser): Promise<Record<string, unknown>> {
  const response = await browser.fetch(`${rg.base}/session`);
  return (await response.json()) as Record<string, unknown>;
}

/** The error code of a gatehouse error redirect (`…/error?error=X`), or null. */
export function errorCode(location: string | null): string | null {
  if (!location) return null;
  const url = new URL(location);
  return url.pathname.endsWith('/error') ? url.searchParams.get('error') : null;
}

export { Browser, IdpBrowser, OIDC, SECRET, startIdp, startServer };
