// Issue 19 item 2: CSP form-action on the built-in pages lists 'self' and exactly where their forms go, and an OAuth sign-in from the page still reaches the provider in Chromium.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAuth, pageCspSources } from '../../src/index.js';
import { toNodeHandler } from '../../src/integrations/node.js';
import Credentials from '../../src/providers/credentials.js';
import { launchChromium } from '../helpers/chromium.js';
import { APP_ORIGIN, authorizeAt, Browser, CLIENT_SECRET, idpProvider, OIDC, rig, SECRET, type Rig } from '../oauth/setup.js';

function formAction(response: Response): string[] {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directive = /(?:^|;\s*)form-action ([^;]*)/.exec(csp);
  assert.ok(directive, `form-action in ${JSON.stringify(csp)}`);
  return directive[1]!.trim().split(/\s+/);
}

describe('issue 19 item 2: form-action', () => {
  let rg: Rig;
  const OTHER = 'https://shop.example.net';
  before(async () => {
    rg = await rig(
      (issuer) => [
        idpProvider(issuer),
        OIDC({ id: 'formpost', name: 'Form post', issuer, clientId: 'gatehouse', clientSecret: CLIENT_SECRET, authorization: { params: { response_mode: 'form_post' } } }),
        // No discovery: the authorization endpoint is configured, on a host of its own.
        { id: 'plain', name: 'Plain', type: 'oauth', clientId: 'gatehouse', clientSecret: CLIENT_SECRET, authorization: 'https://login.plain.example/oauth/authorize', token: `${issuer}/token`, userinfo: `${issuer}/me` },
      ],
      { config: { callbacks: { redirect: ({ url, baseUrl }) => (url.startsWith(baseUrl) || url.startsWith(`${OTHER}/`) ? url : baseUrl) } } },
    );
  });
  after(() => rg.close());

  test("sign-in page: 'self', the configured base URL, each provider's authorization endpoint (discovered or configured), nothing else", async () => {
    const response = await new Browser().fetch(`${rg.base}/signin`);
    assert.equal(response.status, 200);
    assert.deepEqual(formAction(response), ["'self'", ...[APP_ORIGIN, new URL(rg.idp.issuer).origin, 'https://login.plain.example'].sort()]);
  });

  test('a callback URL on another origin the redirect callback allows is listed; one it refuses is not', async () => {
    const allowed = await new Browser().fetch(`${rg.base}/signin?callbackUrl=${encodeURIComponent(`${OTHER}/cart`)}`);
    assert.ok(formAction(allowed).includes(OTHER), 'the allowed origin is in form-action');
    const refused = await new Browser().fetch(`${rg.base}/signin?callbackUrl=${encodeURIComponent('https://evil.example/')}`);
    assert.ok(!formAction(refused).includes('https://evil.example'), 'the refused origin is not');
    const signout = await new Browser().fetch(`${rg.base}/signout?callbackUrl=${encodeURIComponent(`${OTHER}/bye`)}`);
    assert.deepEqual(formAction(signout), ["'self'", APP_ORIGIN, OTHER]);
  });

  test("pages without forms to elsewhere (error, verify-request) get 'self' and the base URL only", async () => {
    for (const path of ['error?error=AccessDenied', 'verify-request']) {
      const response = await new Browser().fetch(`${rg.base}/${path}`);
      assert.deepEqual(formAction(response), ["'self'", APP_ORIGIN], path);
    }
  });

  test("the form_post re-post page: its script by hash, no style, form-action 'self' and the base URL, nosniff, no-store", async () => {
    const { formPost } = await authorizeAt(rg, new Browser(), 'formpost', 'carol');
    assert.ok(formPost, 'the IdP answered with a self-submitting form');
    const response = await new Browser().fetch(rg.local(formPost.action), { method: 'POST', form: formPost.fields });
    assert.equal(response.status, 200);
    const page = await response.text();
    const script = /<script>([^<]*)<\/script>/.exec(page)?.[1];
    assert.ok(script, 'the re-post page has its script');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`script-src '${`sha256-${createHash('sha256').update(script).digest('base64')}`.replace(/[+/]/g, '\\$&')}'`));
    assert.doesNotMatch(csp, /style-src|unsafe/);
    assert.deepEqual(formAction(response), ["'self'", APP_ORIGIN]);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'same-origin');
  });

  test('Chromium: the OAuth button of the built-in page reaches the provider and signs in, twice (the second time the IdP answers at once), with no CSP violation', async (t) => {
    // The configured URL is http://app.test: the browser resolves it to the loopback server.
    const chromium = await launchChromium(t, { args: [`--host-resolver-rules=MAP app.test 127.0.0.1:${rg.app.port}`] });
    if (!chromium) return;
    try {
      const context = await chromium.newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      // A blocked navigation never arrives: the violation ends the wait with its message.
      let reportViolation: (error: Error) => void = () => undefined;
      const violated = new Promise<never>((_, reject) => (reportViolation = reject));
      violated.catch(() => undefined);
      page.on('console', (message) => {
        if (!/Content Security Policy|securitypolicyviolation/i.test(message.text())) return;
        violations.push(message.text());
        reportViolation(new Error(message.text()));
      });
      const arrive = (url: string | ((url: URL) => boolean)) => Promise.race([page.waitForURL(url), violated]);
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => console.error(`securitypolicyviolation: ${event.violatedDirective} ${event.blockedURI}`));
      });
      await page.goto(`${APP_ORIGIN}/api/auth/signin?callbackUrl=${encodeURIComponent(`${APP_ORIGIN}/api/auth/session`)}`);
      await page.getByRole('button', { name: 'Test IdP' }).click();
      await arrive((url) => url.origin === new URL(rg.idp.issuer).origin);
      // oidc-provider's development login and consent forms.
      await page.locator('input[name="login"]').fill('alice');
      await page.locator('input[name="password"]').fill('x');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click();
      await arrive(`${APP_ORIGIN}/api/auth/session`);
      const session = JSON.parse((await page.locator('body').textContent()) ?? '{}') as { user?: { email?: string } };
      assert.equal(session.user?.email, 'alice@example.com');

      // Signed out locally, the IdP still has a session and the consent: its answer is an immediate
      // redirect, so the whole chain (our POST -> IdP -> our callback -> callback URL) follows the form.
      await context.clearCookies({ domain: 'app.test' });
      await page.goto(`${APP_ORIGIN}/api/auth/signin?callbackUrl=${encodeURIComponent(`${APP_ORIGIN}/api/auth/session`)}`);
      await page.getByRole('button', { name: 'Test IdP' }).click();
      await arrive(`${APP_ORIGIN}/api/auth/session`);
      const again = JSON.parse((await page.locator('body').textContent()) ?? '{}') as { user?: { email?: string } };
      assert.equal(again.user?.email, 'alice@example.com');
      assert.deepEqual(violations, []);
    } finally {
      await chromium.close();
    }
  });
});

describe('issue 19 item 2: an app with its own CSP', () => {
  test("a middleware that set Content-Security-Policy before the handler (helmet's way): the auth pages answer with theirs", async () => {
    const auth = createAuth({ secret: SECRET, url: 'http://127.0.0.1/api/auth', providers: [Credentials({ credentials: {}, authorize: () => null })], theme: { brandColor: '#0a7d33' } });
    const handle = toNodeHandler(auth);
    const server = createServer((req, res) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'");
      void handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/signin`);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.doesNotMatch(csp, /default-src 'self'/);
      // The hash an app merges into its own policy is the one the page is served with.
      assert.match(csp, new RegExp(`style-src ${pageCspSources({ brandColor: '#0a7d33' }).styleSrc[0]!.replace(/[+/]/g, '\\$&')}(;|$)`));
      assert.doesNotMatch(csp, new RegExp(pageCspSources().styleSrc[0]!.replace(/[+/]/g, '\\$&')), 'the default theme has another hash');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('pageCspSources: the re-post script, images, and form-action to extend', () => {
    const sources = pageCspSources();
    assert.equal(sources.scriptSrc.length, 5, 'the re-post page’s script, the sign-in page’s passkey button, the passkey sign-up page’s, and the security page’s "Add a passkey" and "Use a passkey"');
    for (const source of sources.scriptSrc) assert.match(source, /^'sha256-[A-Za-z0-9+/]{43}='$/);
    assert.deepEqual(sources.formAction, ["'self'"]);
    assert.deepEqual(sources.imgSrc, ['*', 'data:']);
  });
});
