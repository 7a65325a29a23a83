// Every built-in page, served by a real gatehouse instance: what the accessibility run (test/pages/a11y.test.ts) and the screenshot script (scripts/screenshots.mjs) visit.
import memoryAdapter from '../../src/adapters/memory.js';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { SHIPPED_LOCALES } from '../../src/locales/index.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import Passkey from '../../src/providers/passkey.js';
import Password from '../../src/providers/password.js';
import type { OAuthConfig, Theme } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

export interface CataloguePage {
  /** A short name: `signin`, `error-verification`, … (the screenshot's file name). */
  name: string;
  url: string;
}

export interface Catalogue {
  server: TestServer;
  pages: CataloguePage[];
  close(): Promise<void>;
}

/** Every shipped locale, English first. */
export const LOCALES: readonly string[] = Object.keys(SHIPPED_LOCALES).sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));

/** One error-page code per distinct message the error page shows (Configuration, AccessDenied, Verification, …, Default). */
export function errorPageCodes(): ErrorCode[] {
  const byMessage = new Map<string, ErrorCode>();
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    const rule = ERRORS[code];
    if (rule.page === 'error' && !byMessage.has(rule.message)) byMessage.set(rule.message, code);
  }
  return [...byMessage.values()];
}

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

/** A plain OAuth provider with configured endpoints: its button renders and nothing is fetched. */
const EXAMPLE_OAUTH = {
  id: 'acme',
  name: 'Acme ID',
  type: 'oauth',
  clientId: 'gatehouse',
  clientSecret: 'unused',
  authorization: 'https://id.acme.example/authorize',
  token: 'https://id.acme.example/token',
  userinfo: 'https://id.acme.example/me',
} satisfies OAuthConfig;

/**
 * A server with every kind of provider (OAuth, credentials, email with the confirm step, password
 * with sign-up) and the pages each adds, under `theme`. `onSignIn` sees the credentials sign-ins.
 */
export async function startCatalogue(theme: Theme = {}): Promise<Catalogue> {
  const links: string[] = [];
  const server = await startServer({
    secret: SECRET,
    logger: quiet,
    adapter: memoryAdapter(),
    session: { strategy: 'jwt' },
    theme,
    providers: [
      EXAMPLE_OAUTH,
      Credentials({
        name: 'Username',
        credentials: { username: { label: 'Username', type: 'text', autocomplete: 'username' }, password: { label: 'Password', type: 'password', autocomplete: 'current-password' } },
        authorize: ({ username, password }) => (username === 'ada' && password === 'lovelace' ? { id: 'ada', name: 'Ada', email: 'ada@example.com' } : null),
      }),
      Email({ confirm: true, sendVerificationRequest: ({ url }) => void links.push(url) }),
      Password({ from: 'auth@example.com', scrypt: { N: 2 ** 10, r: 8, p: 1 }, sendVerificationRequest: ({ url }) => void links.push(url) }),
      Passkey(),
    ],
  });
  const base = server.base;
  // The magic link's confirm page (GET spends nothing: `confirm: true`).
  const browser = new Browser();
  const csrfToken = await browser.csrfToken(base);
  await browser.fetch(`${base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'ada@example.com', json: 'true' } });
  const link = links.at(-1);
  if (!link) throw new Error('the email provider sent no link');
  // The passkey sign-up link's page (GET spends nothing).
  await browser.fetch(`${base}/signup/passkey`, { method: 'POST', form: { csrfToken, email: 'new@example.com' } });
  const passkeyLink = links.at(-1);
  if (!passkeyLink?.includes('/signup/passkey?')) throw new Error('the passkey sign-up sent no link');

  const pages: CataloguePage[] = [
    { name: 'signin', url: `${base}/signin` },
    { name: 'signin-error', url: `${base}/signin?error=CredentialsSignin` },
    { name: 'signin-notice', url: `${base}/signin?notice=verified` },
    { name: 'signout', url: `${base}/signout` },
    ...errorPageCodes().map((code) => ({ name: `error-${code.toLowerCase()}`, url: `${base}/error?error=${code}` })),
    { name: 'verify-request', url: `${base}/verify-request?provider=email&type=email` },
    { name: 'verify-request-signup', url: `${base}/verify-request?provider=password&type=signup` },
    { name: 'verify-request-reset', url: `${base}/verify-request?provider=password&type=reset` },
    { name: 'email-confirm', url: link.replace(new URL(link).origin, server.origin) },
    { name: 'signup', url: `${base}/signup` },
    { name: 'signup-error', url: `${base}/signup?error=WeakPassword` },
    { name: 'signup-passkey', url: passkeyLink.replace(new URL(passkeyLink).origin, server.origin) },
    { name: 'signup-passkey-error', url: `${passkeyLink.replace(new URL(passkeyLink).origin, server.origin)}&error=PasskeySignin` },
    { name: 'verify-email', url: `${base}/verify-email?token=unused-token` },
    { name: 'password-forgot', url: `${base}/password/forgot` },
    { name: 'password-reset', url: `${base}/password/reset?token=unused-token` },
    { name: 'password-change', url: `${base}/password/change` },
    { name: 'two-factor', url: `${base}/two-factor` },
    { name: 'two-factor-error', url: `${base}/two-factor?error=InvalidTwoFactorCode` },
  ];
  return { server, pages, close: () => server.close() };
}
