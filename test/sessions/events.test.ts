// The security events: signInFailure with a hashed identifier, rateLimited with the wait, sessionRevoked on sign-out; a throwing handler breaks nothing.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import Credentials from '../../src/providers/credentials.js';
import type { RateLimitedEvent, SessionRevokedEvent, SignInFailureEvent } from '../../src/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

test('a wrong password fires signInFailure, the limit fires rateLimited, sign-out fires sessionRevoked', async () => {
  const failures: SignInFailureEvent[] = [];
  const limited: RateLimitedEvent[] = [];
  const revoked: SessionRevokedEvent[] = [];
  const server = await startServer({
    secret: SECRET,
    rateLimit: { credentials: { perIdentifier: { limit: 2, window: 60 }, perIp: false } },
    events: {
      signInFailure: (event) => void failures.push(event),
      rateLimited: (event) => void limited.push(event),
      sessionRevoked: (event) => void revoked.push(event),
    },
    providers: [
      Credentials({
        credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
        authorize: ({ email, password }) => (password === 'pw' ? { id: 'u-1', email: email ?? null } : null),
      }),
    ],
  });
  try {
    const browser = new Browser();
    const wrong = () => browser.signInWithCredentials(server.base, { email: 'Ann@Example.com', password: 'nope' });
    assert.equal((await wrong()).status, 401);
    assert.equal((await wrong()).status, 401);
    assert.equal((await wrong()).status, 429);

    assert.equal(failures.length, 2, 'the refused third attempt is a rateLimited event, not a failure');
    const [first] = failures;
    assert.equal(first!.reason, 'CredentialsSignin');
    assert.equal(first!.provider, 'credentials');
    assert.equal(first!.ip, '127.0.0.1');
    assert.equal(first!.userAgent, 'node');
    const expected = createHmac('sha256', SECRET).update('identifier:credentials:ann@example.com').digest('hex');
    assert.equal(first!.identifierHash, expected, 'an HMAC of the normalised identifier');
    assert.ok(!JSON.stringify(failures).includes('Ann@Example.com') && !JSON.stringify(failures).includes('nope'), 'nothing typed is in the event');

    assert.equal(limited.length, 1);
    assert.equal(limited[0]!.kind, 'credentials');
    assert.equal(limited[0]!.identifierHash, expected);
    assert.ok(limited[0]!.retryAfter > 0 && limited[0]!.retryAfter <= 60);

    const other = new Browser();
    assert.equal((await other.signInWithCredentials(server.base, { email: 'bob@example.com', password: 'pw' })).status, 200);
    const csrfToken = await other.csrfToken(server.base);
    await other.fetch(`${server.base}/signout`, { method: 'POST', form: { csrfToken, json: 'true' } });
    assert.equal(revoked.length, 1);
    assert.deepEqual({ ...revoked[0], sessionId: typeof revoked[0]!.sessionId }, { userId: 'u-1', sessionId: 'string', reason: 'signOut', strategy: 'jwt' });
  } finally {
    await server.close();
  }
});

test('a throwing event handler is logged and the sign-in answer is unchanged', async () => {
  const logged: string[] = [];
  const server = await startServer({
    secret: SECRET,
    logger: { error: (code) => void logged.push(code), warn: () => {}, debug: () => {} },
    events: {
      signInFailure: () => {
        throw new Error('audit table is down');
      },
    },
    providers: [Credentials({ credentials: { email: {} }, authorize: () => null })],
  });
  try {
    const response = await new Browser().signInWithCredentials(server.base, { email: 'x@example.com' });
    assert.equal(response.status, 401);
    assert.ok(logged.includes('EVENT_ERROR'));
  } finally {
    await server.close();
  }
});
