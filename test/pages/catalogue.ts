// Every built-in page, served by a real gatehouse instance: what the accessibility run (test/pages/a11y.test.ts) and the screenshot script (scripts/screenshots.mjs) visit.
import memoryAdapter from '../../src/adapters/memory.js';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { SHIPPED_LOCALES } from '../../src/locales/index.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import Passkey from '../../src/providers/passkey.js';
import Password from '../../src/providers/password.js';
import type { OAuthConfig, Theme } from '../../src/types.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { codeOf } from '../helpers/two-factor.js';

export interface CataloguePage {
  /** A short name: `signin`, `error-verification`, … (the screenshot's file name). */
  name: string;
  url: string;
  /** Cookies the visit needs (a signed-in page): set before it, cleared after it. */
  cookies?: ReadonlyArray<{ name: string; value: string; url: string }>;
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
 * A server with every kind of provider (OAuth, credentials, email with the confirm step and codes, password
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
      Email({ confirm: true, code: true, sendVerificationRequest: ({ url }) => void links.push(url) }),
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
    { name: 'verify-request', url: `${base}/verify-request?provider=email&type=email&email=ada%40example.com` },
    { name: 'verify-request-code-refused', url: `${base}/verify-request?provider=email&type=email&email=ada%40example.com&error=Verification` },
    { name: 'verify-request-code-no-email', url: `${base}/verify-request?provider=email&type=email` },
    { name: 'verify-request-link', url: `${base}/verify-request?type=email` },
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
  const security = await startSecurityPages(theme);
  const emailFactor = await startEmailFactorPages(theme);
  return {
    server,
    pages: [...pages, ...security.pages, ...emailFactor.pages],
    close: async () => void (await Promise.all([server.close(), security.server.close(), emailFactor.server.close()])),
  };
}

/**
 * The code page of a user whose only second factor is email codes (no app field): its own server,
 * with `twoFactor.emailCode` (an Email transport to a closed port: the sign-in's automatic mail fails,
 * so the page offers the button) and Kate's enrolment written to the store. The pending sign-in
 * lives five minutes, longer than an axe run over the catalogue.
 */
async function startEmailFactorPages(theme: Theme): Promise<{ server: TestServer; pages: CataloguePage[] }> {
  const adapter = memoryAdapter();
  const server = await startServer({
    secret: SECRET,
    logger: quiet,
    adapter,
    session: { strategy: 'jwt' },
    theme,
    rateLimit: false,
    twoFactor: { issuer: 'Gatehouse', emailCode: true },
    providers: [
      Credentials({
        credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        authorize: ({ username, password }) => (username === 'kate' && password === 'lovelace' ? { id: 'kate', name: 'Kate', email: 'kate@example.com' } : null),
      }),
      Email({ server: 'smtp://127.0.0.1:1', from: 'auth@example.com' }),
    ],
  });
  await adapter.twoFactorStore().saveTwoFactor({ userId: 'kate', secret: 'email', enabled: true, lastStep: 0, createdAt: new Date() });
  const browser = new Browser();
  const response = await browser.signInWithCredentials(server.base, { username: 'kate', password: 'lovelace' });
  const url = new URL(((await response.json()) as { url: string }).url);
  if (url.searchParams.get('error') !== 'TwoFactorRequired') throw new Error(`the catalogue's email-factor sign-in answered ${url.href}`);
  const cookies = [...browser.jar].map(([name, value]) => ({ name, value, url: server.origin }));
  return {
    server,
    pages: [
      { name: 'two-factor-email', url: `${server.base}/two-factor`, cookies },
      { name: 'two-factor-email-sent', url: `${server.base}/two-factor?sent=email&error=InvalidTwoFactorCode`, cookies },
    ],
  };
}

/**
 * The account-security page needs a session, a second factor and a Passkey provider (which would
 * add a passkey button to the sign-in page above): a server of its own. Ada has the factor off and
 * one passkey, signed in just now; Grace has it on, a passkey too and a session from twelve minutes
 * ago, so her page asks her to re-authenticate, with the password, a code or the passkey (the clock
 * moved back for that sign-in only).
 */
async function startSecurityPages(theme: Theme): Promise<{ server: TestServer; pages: CataloguePage[] }> {
  const adapter = memoryAdapter();
  const people: Record<string, { id: string; name: string; email: string }> = { ada: { id: 'ada', name: 'Ada', email: 'ada@example.com' }, grace: { id: 'grace', name: 'Grace', email: 'grace@example.com' } };
  const server = await startServer({
    secret: SECRET,
    logger: quiet,
    adapter,
    session: { strategy: 'jwt' },
    theme,
    rateLimit: false,
    twoFactor: { issuer: 'Gatehouse' },
    providers: [
      Credentials({
        credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        authorize: ({ username, password }) => (password === 'lovelace' ? (people[String(username)] ?? null) : null),
      }),
      Passkey({ rpName: 'Gatehouse' }),
    ],
  });
  const base = server.base;
  const sessionOf = async (username: string, minutesAgo = 0) => {
    const browser = new Browser();
    const response = await later(-minutesAgo * 60_000, () => browser.signInWithCredentials(base, { username, password: 'lovelace' }));
    if (response.status !== 200) throw new Error(`the catalogue's sign-in of ${username} answered ${response.status}`);
    return browser;
  };
  // Before her factor is on: with it, a sign-in would stop at the code page.
  const staleGrace = await sessionOf('grace', 12);
  const grace = await sessionOf('grace');
  const post = async (path: string, fields: Record<string, string> = {}) => grace.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken: await grace.csrfToken(base) } });
  const { secret } = (await (await post('two-factor/enable')).json()) as { secret: string };
  const verified = await post('two-factor/verify', { code: codeOf(secret) });
  if (verified.status !== 200) throw new Error(`the catalogue's enrolment answered ${verified.status}`);
  await adapter.authenticatorStore().createAuthenticator({
    credentialID: 'catalogue-passkey',
    userId: 'ada',
    publicKey: 'AQID',
    counter: 0,
    transports: ['internal'],
    backedUp: true,
    deviceType: 'multiDevice',
    name: 'Laptop',
    createdAt: new Date('2026-01-15T10:00:00Z'),
    lastUsedAt: new Date('2026-02-01T09:30:00Z'),
  });
  await adapter.authenticatorStore().createAuthenticator({
    credentialID: 'catalogue-passkey-grace',
    userId: 'grace',
    publicKey: 'AQID',
    counter: 0,
    transports: ['internal'],
    backedUp: true,
    deviceType: 'multiDevice',
    name: 'Phone',
    createdAt: new Date('2026-01-20T10:00:00Z'),
    lastUsedAt: null,
  });
  const cookiesOf = (browser: Browser) => [...browser.jar].map(([name, value]) => ({ name, value, url: server.origin }));
  const ada = cookiesOf(await sessionOf('ada'));
  return {
    server,
    pages: [
      { name: 'security', url: `${base}/security`, cookies: ada },
      { name: 'security-error', url: `${base}/security?error=InvalidTwoFactorCode`, cookies: ada },
      { name: 'security-reauthenticate', url: `${base}/security?error=RecentSignInRequired`, cookies: cookiesOf(staleGrace) },
    ],
  };
}
