// Rate limits: failed credentials per identifier and per IP, magic-link sends per address; 429 + Retry-After; proxy headers only when named.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryRateLimitStore } from '../../src/core/rate-limit.js';
import { credentialsConfig } from '../helpers/config.js';
import { Browser, startServer } from '../helpers/server.js';

async function attempt(base: string, password: string, username = 'ann', headers: Record<string, string> = {}) {
  const browser = new Browser();
  const csrfToken = await browser.csrfToken(base);
  return browser.fetch(`${base}/callback/credentials`, { method: 'POST', headers, form: { csrfToken, username, password, json: 'true' } });
}

describe('rate limiting', () => {
  test('failures per identifier: the limit refuses even the right password with 429 and Retry-After', async () => {
    const server = await startServer(credentialsConfig({ rateLimit: { credentials: { perIdentifier: { limit: 3, window: 600 }, perIp: false } }, logger: { warn: () => {} } }));
    try {
      for (let i = 0; i < 3; i++) assert.equal((await attempt(server.base, 'wrong')).status, 401);
      const blocked = await attempt(server.base, 'pw');
      assert.equal(blocked.status, 429);
      const retry = Number(blocked.headers.get('retry-after'));
      assert.ok(retry > 0 && retry <= 600);
      assert.deepEqual(await blocked.json(), { url: `${server.base}/error?error=RateLimited` });
      assert.equal((await attempt(server.base, 'wrong', 'bob')).status, 401, 'another identifier is not blocked');
      const form = new Browser();
      const csrfToken = await form.csrfToken(server.base);
      const page = await form.fetch(`${server.base}/callback/credentials`, { method: 'POST', form: { csrfToken, username: 'ann', password: 'pw' } });
      assert.equal(page.status, 302, 'forms get the error page');
      assert.equal(page.headers.get('location'), `${server.base}/error?error=RateLimited`);
    } finally {
      await server.close();
    }
  });

  test('a success clears the identifier’s failures', async () => {
    const server = await startServer(credentialsConfig({ rateLimit: { credentials: { perIdentifier: { limit: 3, window: 600 }, perIp: false } }, logger: { warn: () => {} } }));
    try {
      await attempt(server.base, 'wrong');
      await attempt(server.base, 'wrong');
      assert.equal((await attempt(server.base, 'pw')).status, 200);
      await attempt(server.base, 'wrong');
      await attempt(server.base, 'wrong');
      assert.equal((await attempt(server.base, 'pw')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('per IP: the socket address by default; X-Forwarded-For is ignored unless named', async () => {
    const server = await startServer(credentialsConfig({ rateLimit: { credentials: { perIp: { limit: 2, window: 600 }, perIdentifier: false } }, logger: { warn: () => {} } }));
    const proxied = await startServer(credentialsConfig({ rateLimit: { ipHeader: 'x-forwarded-for', credentials: { perIp: { limit: 2, window: 600 }, perIdentifier: false } }, logger: { warn: () => {} } }));
    try {
      await attempt(server.base, 'wrong', 'a', { 'x-forwarded-for': '1.1.1.1' });
      await attempt(server.base, 'wrong', 'b', { 'x-forwarded-for': '2.2.2.2' });
      assert.equal((await attempt(server.base, 'wrong', 'c', { 'x-forwarded-for': '3.3.3.3' })).status, 429, 'spoofed headers do not evade the limit');

      await attempt(proxied.base, 'wrong', 'a', { 'x-forwarded-for': '9.9.9.9, 1.1.1.1' });
      await attempt(proxied.base, 'wrong', 'b', { 'x-forwarded-for': '9.9.9.9, 1.1.1.1' });
      assert.equal((await attempt(proxied.base, 'wrong', 'c', { 'x-forwarded-for': '8.8.8.8, 1.1.1.1' })).status, 429, 'the proxy-appended (last) address counts');
      assert.equal((await attempt(proxied.base, 'wrong', 'd', { 'x-forwarded-for': '2.2.2.2' })).status, 401, 'another client is not blocked');
    } finally {
      await server.close();
      await proxied.close();
    }
  });

  test('magic-link sends per address: past the limit, 429 and no mail', async () => {
    const memoryAdapter = (await import('../../src/adapters/memory.js')).default;
    const Email = (await import('../../src/providers/email.js')).default;
    let sent = 0;
    const server = await startServer({
      secret: 'rate-limit-secret-0123456789-abcdef',
      adapter: memoryAdapter(),
      session: { strategy: 'jwt' },
      logger: { warn: () => {} },
      rateLimit: { email: { perAddress: { limit: 2, window: 900 }, perIp: false } },
      providers: [Email({ sendVerificationRequest: () => void sent++ })],
    });
    try {
      const send = async (email: string) => {
        const browser = new Browser();
        const csrfToken = await browser.csrfToken(server.base);
        return browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email, json: 'true' } });
      };
      assert.equal((await send('v@example.com')).status, 200);
      assert.equal((await send('V@Example.com ')).status, 200);
      const third = await send('v@example.com');
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) > 0);
      assert.equal(sent, 2);
      assert.equal((await send('w@example.com')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('the memory store opens windows on first hit and forgets them when they end', async () => {
    let now = 1_000_000;
    const store = memoryRateLimitStore(() => now);
    assert.deepEqual(await store.hit('k', 10), { count: 1, resetAt: now + 10_000 });
    assert.equal((await store.hit('k', 10)).count, 2);
    now += 10_001;
    assert.equal((await store.peek('k')).count, 0);
    assert.equal((await store.hit('k', 10)).count, 1);
    await store.reset('k');
    assert.equal((await store.peek('k')).count, 0);
  });
});
