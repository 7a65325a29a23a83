// Issue 13 item 8: every built-in HTML page cannot be framed or sniffed, sends no referrer, and is not stored when it embeds a CSRF token.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import { cspViolations, launchChromium } from '../helpers/chromium.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

/** The CSP3 hash-source of a page's <style> text, computed here independently of the implementation. */
function styleHash(page: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page);
  assert.ok(style, 'the page has a <style>');
  return `'sha256-${createHash('sha256').update(style[1]!, 'utf8').digest('base64')}'`;
}

function assertPageHeaders(response: Response, page: string, label: string): void {
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/, `${label}: an HTML page`);
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /(^|;\s*)frame-ancestors 'none'(;|$)/, `${label}: CSP frame-ancestors, got ${JSON.stringify(csp)}`);
  assert.match(csp, /(^|;\s*)base-uri 'none'(;|$)/, `${label}: base-uri 'none'`);
  // Issue 19 item 2: strict, the page's one <style> allowed by its hash and nothing inline else.
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes/, `${label}: no unsafe-* source, got ${JSON.stringify(csp)}`);
  assert.equal(/(?:^|;\s*)style-src ([^;]*)/.exec(csp)?.[1], styleHash(page), `${label}: style-src is the hash of the page's <style>`);
  assert.doesNotMatch(page, /\sstyle="/, `${label}: no style attribute (it would need 'unsafe-hashes')`);
  assert.match(csp, /(^|;\s*)default-src 'none'/, `${label}: nothing else loads by default`);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', `${label}: X-Frame-Options`);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${label}: X-Content-Type-Options`);
  assert.equal(response.headers.get('referrer-policy'), 'same-origin', `${label}: Referrer-Policy (no referrer off-site; our own POSTs keep Origin)`);
  assert.match(csp, /(^|;\s*)form-action 'self'/, `${label}: form-action`);
}

describe('issue 13 item 8: security headers on every built-in HTML page', () => {
  let server: TestServer;
  const links: string[] = [];
  before(async () => {
    server = await startServer({
      secret: SECRET,
      logger: quiet,
      adapter: memoryAdapter(),
      session: { strategy: 'jwt' },
      providers: [
        Credentials({ credentials: { username: { label: 'Username' } }, authorize: ({ username }) => (username ? { id: String(username) } : null) }),
        Email({ confirm: true, sendVerificationRequest: ({ url }) => void links.push(url) }),
      ],
    });
  });
  after(() => server.close());

  test('pages that embed a CSRF token (sign-in, sign-out, the magic-link confirmation): the headers and Cache-Control: no-store', async () => {
    const browser = new Browser();
    const pages: Array<[string, Response]> = [
      ['GET signin', await browser.fetch(`${server.base}/signin`)],
      ['GET signin?error=CredentialsSignin', await browser.fetch(`${server.base}/signin?error=CredentialsSignin`)],
      ['GET signout', await browser.fetch(`${server.base}/signout`)],
    ];
    const csrfToken = await browser.csrfToken(server.base);
    const sent = await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'ann@example.com', json: 'true' } });
    assert.equal(sent.status, 200);
    const link = links.at(-1)!;
    pages.push(['GET callback/email (confirm page)', await browser.fetch(link.replace(new URL(link).origin, server.origin))]);
    for (const [label, response] of pages) {
      assert.equal(response.status, 200, label);
      const html = await response.text();
      assert.match(html, /name="csrfToken"/, `${label}: embeds a CSRF token`);
      assertPageHeaders(response, html, label);
      assert.match(response.headers.get('cache-control') ?? '', /(^|,\s*)no-store(,|$)/, `${label}: Cache-Control no-store`);
    }
  });

  test('pages without a token (error page by code, verify-request, a refused request, a 500): the same headers', async () => {
    const browser = new Browser();
    const pages: Array<[string, Response]> = [
      ['GET error', await browser.fetch(`${server.base}/error`)],
      ['GET error?error=Verification', await browser.fetch(`${server.base}/error?error=Verification`)],
      ['GET error?error=Configuration', await browser.fetch(`${server.base}/error?error=Configuration`)],
      ['GET verify-request', await browser.fetch(`${server.base}/verify-request?provider=email&type=email`)],
      ['GET signin with a field twice (400 page)', await browser.fetch(`${server.base}/signin?callbackUrl=%2Fa&callbackUrl=%2Fb`)],
    ];
    for (const [label, response] of pages) assertPageHeaders(response, await response.text(), label);
  });

  test('JSON answers are left alone (the session read path does no extra work)', async () => {
    const browser = new Browser();
    const session = await browser.fetch(`${server.base}/session`);
    assert.equal(session.headers.get('content-security-policy'), null);
    assert.equal(session.headers.get('x-frame-options'), null);
    const csrf = await browser.fetch(`${server.base}/csrf`);
    assert.equal(csrf.headers.get('content-security-policy'), null);
  });
});

describe('issue 19 item 2: the strict CSP follows the theme and holds in Chromium', () => {
  let themed: TestServer;
  before(async () => {
    themed = await startServer({
      secret: SECRET,
      logger: quiet,
      session: { strategy: 'jwt' },
      theme: { brandColor: '#aa3300', buttonText: '#ffffff' },
      providers: [Credentials({ credentials: { username: { label: 'Username' } }, authorize: ({ username }) => (username ? { id: String(username) } : null) })],
    });
  });
  after(() => themed.close());

  test("a theme's colours change the stylesheet, and the CSP names that stylesheet's hash", async () => {
    const response = await new Browser().fetch(`${themed.base}/signin`);
    const page = await response.text();
    assert.match(page, /--brand:#aa3300/);
    assertPageHeaders(response, page, 'themed signin');
  });

  test('Chromium applies the hashed stylesheet and reports no CSP violation', async (t) => {
    const chromium = await launchChromium(t);
    if (!chromium) return;
    try {
      const page = await chromium.newPage();
      const violations = cspViolations(page);
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => console.error(`Content Security Policy violation: ${event.violatedDirective}`));
      });
      await page.goto(`${themed.base}/signin`);
      // The theme's brand colour reaches the button only through the <style> the CSP allowed by hash.
      const background = await page
        .locator('button[type="submit"]')
        .first()
        .evaluate((button) => getComputedStyle(button).backgroundColor);
      assert.equal(background, 'rgb(170, 51, 0)');
      assert.deepEqual(violations, []);
    } finally {
      await chromium.close();
    }
  });
});
