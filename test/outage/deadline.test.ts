// Issue 22 item 2 without a server: any adapter (a third-party one too) is bounded by storeTimeout, and what an outage looks like to each kind of request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import { createAuth } from '../../src/index.js';
import type { Adapter } from '../../src/adapters/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

const quiet = { warn: () => {}, error: () => {}, debug: () => {} };

/** A third-party adapter whose session reads never answer, and whose token writes fail like a refused connection. */
function hangingAdapter(): Adapter {
  const inner = memoryAdapter();
  return {
    ...inner,
    getSessionAndUser: () => new Promise(() => undefined),
    createVerificationToken: async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    },
  } as Adapter;
}

test('storeTimeout must be a positive integer of milliseconds', () => {
  for (const bad of [0, -1, 1.5, '300', Number.POSITIVE_INFINITY]) {
    assert.throws(() => createAuth({ secret: SECRET, providers: [], storeTimeout: bad as never }), /storeTimeout/);
  }
  assert.doesNotThrow(() => createAuth({ secret: SECRET, providers: [], storeTimeout: 250 }));
});

test('a store call that never answers ends the request with 503 and Retry-After, not a hang or a 500', { timeout: 30_000 }, async () => {
  const server = await startServer({ secret: SECRET, logger: quiet, adapter: hangingAdapter(), storeTimeout: 200, providers: [] });
  try {
    const browser = new Browser();
    browser.jar.set('next-auth.session-token', 'some-token');
    const response = await browser.fetch(`${server.base}/session`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.ok(((await response.json()) as { message?: string }).message);
  } finally {
    await server.close();
  }
});

test('an email sign-in meeting a refused connection: 503 with the ServiceUnavailable code ({ url } for the client, the error page for a browser)', { timeout: 30_000 }, async () => {
  const { default: Email } = await import('../../src/providers/email.js');
  let sent = 0;
  const server = await startServer({
    secret: SECRET,
    logger: quiet,
    adapter: hangingAdapter(),
    session: { strategy: 'jwt' },
    storeTimeout: 200,
    rateLimit: { email: { perAddress: { limit: 1, window: 900 }, perIp: false } },
    providers: [Email({ sendVerificationRequest: () => void sent++ })],
  });
  try {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    for (let i = 0; i < 3; i++) {
      const json = await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'a@example.com', json: 'true' } });
      // Each answer is 503, never 429: an attempt the store never took is not counted against the address (limit 1).
      assert.equal(json.status, 503, `attempt ${i + 1}`);
      const { url } = (await json.json()) as { url: string };
      assert.equal(new URL(url).searchParams.get('error'), 'ServiceUnavailable');
    }
    const page = await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'a@example.com' } });
    assert.equal(page.status, 302);
    const location = new URL(page.headers.get('location')!);
    assert.equal(location.pathname, '/api/auth/error');
    const errorPage = await browser.fetch(location.href);
    assert.equal(errorPage.status, 503);
    assert.match(await errorPage.text(), /Service unavailable/);
    assert.equal(sent, 0);
  } finally {
    await server.close();
  }
});
