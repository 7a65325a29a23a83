// Issue 13 item 4: whatever a redirect callback returns is parsed and sent percent-encoded (Node refuses a raw non-Latin-1 Location: a 500), and anything unusable is the base URL.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { AuthConfig } from '../../src/types.js';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer, type TestServer } from '../helpers/server.js';

const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };

/** The redirect callback next-auth's documentation shows (callbacks → redirect), verbatim. */
const docsRedirect: NonNullable<NonNullable<AuthConfig['callbacks']>['redirect']> = ({ url, baseUrl }) => (url.startsWith('/') ? `${baseUrl}${url}` : new URL(url).origin === baseUrl ? url : baseUrl);

/**
 * The raw bytes of the Location header, read with node:http (fetch would decode them as Latin-1 and
 * hide a raw UTF-8 byte sequence); `status` is the real status line.
 */
function rawLocation(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; location: Buffer | null }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const index = res.rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'location');
      // rawHeaders are strings decoded as Latin-1: back to the bytes that were on the wire.
      const location = index < 0 ? null : Buffer.from(res.rawHeaders[index + 1]!, 'latin1');
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const CASES: Array<[label: string, callbackUrl: string]> = [
  ['Cyrillic path', '/профиль'],
  ['CJK path', '/日本語'],
  ['U+2028 in the path', '/a\u2028b'],
  ['Latin-1 path and query', '/café?x=ü'],
  ['a fragment with non-ASCII', '/page#ünï'],
];

describe('issue 13 item 4: no 5xx and no raw bytes from a redirect callback', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(credentialsConfig({ logger: quiet, callbacks: { redirect: docsRedirect } }));
  });
  after(() => server.close());

  /** A credentials sign-in as a plain form post (no json=true): the answer is a 302 whose Location the test reads raw. */
  async function signInRedirect(callbackUrl: string) {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    const body = new URLSearchParams({ csrfToken, username: 'ann', password: 'pw', callbackUrl }).toString();
    return rawLocation(`${server.base}/callback/credentials`, { cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body);
  }

  async function signOutRedirect(callbackUrl: string) {
    const browser = new Browser();
    await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw' });
    const csrfToken = await browser.csrfToken(server.base);
    const body = new URLSearchParams({ csrfToken, callbackUrl }).toString();
    return rawLocation(`${server.base}/signout`, { cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body);
  }

  for (const [label, value] of CASES) {
    test(`${label} (${JSON.stringify(value)}): credentials sign-in and sign-out answer 302 with the percent-encoded URL, ASCII only`, async () => {
      const expected = new URL(value, server.origin).href;
      assert.match(expected, /^[\x21-\x7e]+$/);
      for (const run of [signInRedirect, signOutRedirect]) {
        const { status, location } = await run(value);
        assert.equal(status, 302, `${run.name}: status`);
        assert.equal(location?.toString('latin1'), expected, `${run.name}: Location`);
      }
    });

    test(`${label}: JSON mode answers the same encoded {url}`, async () => {
      const browser = new Browser();
      const response = await browser.signInWithCredentials(server.base, { username: 'ann', password: 'pw', callbackUrl: value });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { url: new URL(value, server.origin).href });
    });
  }

  test('an absolute same-origin URL with non-ASCII, returned as is by the callback, goes out encoded', async () => {
    const value = `${server.origin}/ünï?q=日本`;
    const { status, location } = await signInRedirect(value);
    assert.equal(status, 302);
    assert.equal(location?.toString('latin1'), new URL(value).href);
  });

  test('whatever the callback returns that is unusable is the base URL, never a 5xx', async () => {
    const returns: unknown[] = ['http://[', 'not a url', 'javascript:alert(1)', '', 42, null, `/x\u0000y`, 'https://exa mple.com/'];
    for (const value of returns) {
      const custom = await startServer(credentialsConfig({ logger: quiet, callbacks: { redirect: () => value as string } }));
      try {
        const browser = new Browser();
        const csrfToken = await browser.csrfToken(custom.base);
        const body = new URLSearchParams({ csrfToken, username: 'ann', password: 'pw', callbackUrl: '/x' }).toString();
        const { status, location } = await rawLocation(`${custom.base}/callback/credentials`, { cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body);
        assert.equal(status, 302, `${JSON.stringify(value)}: status`);
        assert.equal(location?.toString('latin1'), custom.origin, `${JSON.stringify(value)}: Location`);
      } finally {
        await custom.close();
      }
    }
  });
});
