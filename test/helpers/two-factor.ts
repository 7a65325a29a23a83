// Shared steps of the second-factor, step-up and passkey tests: the TOTP code an authenticator app shows, the adapters the HTTP
// suites run on (each in a fresh temporary folder), a server with email+password sign-in and twoFactor on, and the JSON calls of
// TOTP enrolment, the second step and the passkey ceremonies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import memoryAdapter from '../../src/adapters/memory.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { totpStep } from '../../src/core/totp.js';
import Credentials from '../../src/providers/credentials.js';
import { SECRET, startServer, type Browser, type TestServer } from './server.js';

export const SESSION = 'next-auth.session-token';

/** The code of `secret` (base32, as enrolment answers it) `offset` steps from now: what the user's app shows. */
export function codeOf(secret: string, offset = 0): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(Date.now()) + offset), 6);
}

/** The adapters the HTTP suites run on, each given a fresh temporary folder. */
export const ADAPTERS = {
  memory: () => memoryAdapter(),
  SQLite: (dir: string) => sqliteAdapter(join(dir, 'auth.sqlite')),
} satisfies Record<string, (dir: string) => GatehouseAdapter>;

export interface TempAdapter<A> {
  adapter: A;
  dir: string;
  /** Closes the adapter (where it has close()) and removes its folder. */
  dispose(): Promise<void>;
}

/** An adapter made by `make` in a new folder under the system temp folder (`prefix` names it), migrated. */
export async function tempAdapter<A extends GatehouseAdapter>(prefix: string, make: (dir: string) => A): Promise<TempAdapter<A>> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const adapter = make(dir);
  await adapter.migrate?.();
  return {
    adapter,
    dir,
    dispose: async () => {
      await (adapter as { close?: () => Promise<void> }).close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Credentials provider these suites sign in with: email and password, the user looked up in `users`; `passwordOf` gives an email's password. */
export function emailPassword(users: ReadonlyMap<string, AdapterUser>, passwordOf: (email: string) => string = () => 'pw') {
  return Credentials({
    credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
    authorize: async ({ email, password }) => (password === passwordOf(String(email)) ? (users.get(String(email)) ?? null) : null),
  });
}

type ServerConfig = Parameters<typeof startServer>[0];

export interface TwoFactorServerOptions {
  adapter: GatehouseAdapter;
  strategy: 'jwt' | 'database';
  users: ReadonlyMap<string, AdapterUser>;
  passwordOf?: (email: string) => string;
  /** Added to, or replacing, the defaults: TOTP with issuer Acme, no rate limits, the email+password provider alone. */
  config?: Partial<ServerConfig>;
}

/** A server on `adapter` where the users sign in with a password and TOTP is on. */
export function twoFactorServer({ adapter, strategy, users, passwordOf, config = {} }: TwoFactorServerOptions, handler?: Parameters<typeof startServer>[1]): Promise<TestServer> {
  return startServer({ secret: SECRET, adapter, session: { strategy }, rateLimit: false, twoFactor: { issuer: 'Acme' }, providers: [emailPassword(users, passwordOf)], ...config }, handler);
}

/** Where a JSON-mode answer (`{ url }`) points. */
export async function answerUrl(response: Response): Promise<URL> {
  return new URL(((await response.json()) as { url: string }).url);
}

/** A JSON POST to `path` under `base` with the browser's CSRF token, as gatehouse-auth/client makes it. */
export async function postJson(browser: Browser, base: string, path: string, fields: Record<string, unknown> = {}): Promise<Response> {
  return browser.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken: await browser.csrfToken(base) } });
}

/** The second step of a pending sign-in (POST `callback/two-factor` in JSON mode): where it sends the browser. */
export async function secondStep(browser: Browser, base: string, fields: Record<string, string>): Promise<URL> {
  return answerUrl(await browser.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { ...fields, csrfToken: await browser.csrfToken(base), json: 'true' } }));
}

/** The signed-in user's email as GET `session` answers it, or null. */
export async function sessionEmail(browser: Browser, base: string): Promise<string | null> {
  return ((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email ?? null;
}

/** Enrols TOTP for the signed-in browser (enable, then verify with the current code) and returns the key and the backup codes. */
export async function enrolTotp(browser: Browser, base: string): Promise<{ secret: string; backupCodes: string[] }> {
  const { secret } = (await (await postJson(browser, base, 'two-factor/enable')).json()) as { secret: string };
  const verified = await postJson(browser, base, 'two-factor/verify', { code: codeOf(secret) });
  assert.equal(verified.status, 200);
  const { backupCodes } = (await verified.json()) as { backupCodes: string[] };
  return { secret, backupCodes };
}

/** auth.requireRecentAuth for the browser's session. */
export function recentAuth(server: TestServer, browser: Browser, options: Parameters<TestServer['auth']['requireRecentAuth']>[1]) {
  return server.auth.requireRecentAuth(new Request(`${server.base}/session`, { headers: { cookie: browser.cookieHeader() } }), options);
}

/** GET `webauthn-options/passkey?action=…`: the status and the options JSON a browser hands to WebAuthn. */
export async function passkeyOptions(browser: Browser, base: string, action: string): Promise<{ status: number; body: { action: string; options: any } }> {
  const response = await browser.fetch(`${base}/webauthn-options/passkey?action=${action}`);
  return { status: response.status, body: (await response.json()) as { action: string; options: any } };
}

/** POST `callback/passkey` in JSON mode with an authenticator's response as `data`. */
export async function passkeyAnswer(browser: Browser, base: string, action: string, data: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return browser.fetch(`${base}/callback/passkey`, { method: 'POST', form: { action, data: JSON.stringify(data), csrfToken: await browser.csrfToken(base), json: 'true', ...extra } });
}

/** A user in the adapter whom the email+password provider over `users` signs in. */
export async function addUser(adapter: GatehouseAdapter, users: Map<string, AdapterUser>, email: string, name: string): Promise<AdapterUser> {
  const user = await adapter.createUser({ email, name, emailVerified: null });
  users.set(user.email, user);
  return user;
}
