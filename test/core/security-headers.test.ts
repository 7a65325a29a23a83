// Issue 13 item 8: every built-in HTML page cannot be framed or sniffed, sends no referrer, and is not stored when it embeds a CSRF token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

function assertPageHeaders(response: Response, label: string): void {
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/, `${label}: an HTML page`);
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /(^|;\s*)frame-ancestors 'none'(;|$)/, `${label}: CSP frame-ancestors, got ${JSON.stringify(csp)}`);
  // The pages' inline <style> must keep working until the CSP is made strict.
  assert.match(csp, /(^|;\s*)style-src [^;]*'unsafe-inline'/, `${label}: inline styles allowed`);
  assert.match(csp, /(^|;\s*)default-src 'none'/, `${label}: nothing else loads by default`);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', `${label}: X-Frame-Options`);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${label}: X-Content-Type-Options`);
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer', `${label}: Referrer-Policy`);
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
      assertPageHeaders(response, label);
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
    for (const [label, response] of pages) {
      await response.arrayBuffer();
      assertPageHeaders(response, label);
    }
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
