// A custom `normalizeIdentifier` on the email provider is trusted as next-auth v4 trusts it (phone numbers sent by SMS), except line breaks and NUL; what it throws reaches the logger as v4 passes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import Email from '../../src/providers/email.js';
import type { SendVerificationRequestParams } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';

describe('email provider with a custom normalizeIdentifier', () => {
  let server: TestServer;
  const sent: SendVerificationRequestParams[] = [];
  const errors: Array<[string, unknown]> = [];

  before(async () => {
    server = await startServer({
      secret: SECRET,
      adapter: memoryAdapter(),
      session: { strategy: 'jwt' },
      rateLimit: false,
      logger: { error: (code, metadata) => errors.push([code, metadata]), warn: () => {}, debug: () => {} },
      providers: [
        Email({
          id: 'sms',
          name: 'SMS',
          // An app that signs in by phone: the identifier is a number, the "mail" an SMS.
          normalizeIdentifier: (identifier) => {
            if (identifier.startsWith('inject')) return '+15550100\r\nBcc: x@evil.io';
            if (identifier === 'nul') return '+1555\u0000';
            if (identifier === 'empty') return '';
            const digits = identifier.replace(/[^\d+]/g, '');
            if (!/^\+\d{8,15}$/.test(digits)) throw new Error(`not a phone number: ${identifier}`);
            return digits;
          },
          sendVerificationRequest: (params) => void sent.push(params),
        }),
      ],
    });
  });
  after(() => server.close());

  async function ask(browser: Browser, email: string) {
    const csrfToken = await browser.csrfToken(server.base);
    return browser.fetch(`${server.base}/signin/sms`, { method: 'POST', form: { csrfToken, email, callbackUrl: '/inbox', json: 'true' } });
  }

  test('what it returns is the identifier: the link goes to it and signs it in', async () => {
    const browser = new Browser();
    const response = await ask(browser, '+1 (555) 010-9999');
    assert.deepEqual(await response.json(), { url: `${server.base}/verify-request?provider=sms&type=email` });
    const request = sent.at(-1)!;
    assert.equal(request.identifier, '+15550109999');
    const link = new URL(request.url);
    assert.equal(link.searchParams.get('email'), '+15550109999');
    const landed = await browser.fetch(link.href);
    assert.equal(landed.headers.get('location'), `${server.origin}/inbox`);
    const session = (await (await browser.fetch(`${server.base}/session`)).json()) as { user?: { email?: string } };
    assert.equal(session.user?.email, '+15550109999');
  });

  test('its thrown error reaches the logger as SIGNIN_EMAIL_ERROR { error, providerId }, and the user EmailSignin', async () => {
    const before = sent.length;
    const response = await ask(new Browser(), 'not-a-number');
    assert.deepEqual(await response.json(), { url: `${server.base}/error?error=EmailSignin` });
    assert.equal(sent.length, before, 'nothing sent');
    const [code, metadata] = errors.at(-1)!;
    assert.equal(code, 'SIGNIN_EMAIL_ERROR');
    const { error, providerId } = metadata as { error: Error; providerId: string };
    assert.equal(providerId, 'sms');
    assert.ok(error instanceof Error);
    assert.equal(error.message, 'not a phone number: not-a-number');
  });

  test('an output with a line break or NUL, or an empty one, is refused: no header injection', async () => {
    const before = sent.length;
    for (const input of ['inject', 'nul', 'empty']) {
      const response = await ask(new Browser(), input);
      assert.deepEqual(await response.json(), { url: `${server.base}/error?error=EmailSignin` }, input);
    }
    assert.equal(sent.length, before, 'nothing sent');
  });

  test('a link whose identifier holds a line break is no sign-in', async () => {
    const link = `${server.base}/callback/sms?token=x&email=${encodeURIComponent('+15550109999\r\nX: y')}`;
    assert.equal((await new Browser().fetch(link)).headers.get('location'), `${server.base}/error?error=Verification`);
  });

  test('without a custom normalizer the strict single-address check stays (GHSA-xv97-c62v-4587)', async () => {
    const strict = await startServer({ secret: SECRET, adapter: memoryAdapter(), logger: { error: () => {} }, providers: [Email({ sendVerificationRequest: () => {} })] });
    try {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(strict.base);
      const response = await browser.fetch(`${strict.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'a@b.com,c.com', json: 'true' } });
      assert.deepEqual(await response.json(), { url: `${strict.base}/error?error=EmailSignin` });
    } finally {
      await strict.close();
    }
  });
});
