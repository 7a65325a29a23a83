// createAuth validates once: clear TypeErrors, secrets from config or env, no mutation of the caller's object.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveConfig } from '../../src/config.js';
import { createAuth } from '../../src/index.js';
import { configOf } from '../../src/instance.js';
import Credentials from '../../src/providers/credentials.js';
import { credentialsConfig } from '../helpers/config.js';

const quiet = { warn: () => {}, error: () => {}, debug: () => {} };

describe('configuration', () => {
  test('no secret in production refuses to start with a clear message', () => {
    assert.throws(
      () => resolveConfig({ providers: [], logger: quiet }, { NODE_ENV: 'production' }),
      (error: Error) => error instanceof TypeError && /`secret`/.test(error.message) && /AUTH_SECRET/.test(error.message),
    );
  });

  test('no secret in development: a random per-process secret and a loud warning', () => {
    const warnings: string[] = [];
    const a = resolveConfig({ providers: [], logger: { ...quiet, warn: (code) => warnings.push(code) } }, {});
    const b = resolveConfig({ providers: [], logger: quiet }, {});
    assert.ok(warnings.includes('NO_SECRET'));
    assert.notEqual(a.secrets[0], b.secrets[0]);
  });

  test('secret from AUTH_SECRET, then NEXTAUTH_SECRET; config wins', () => {
    assert.deepEqual(resolveConfig({ providers: [] }, { AUTH_SECRET: 'a', NEXTAUTH_SECRET: 'n' }).secrets, ['a']);
    assert.deepEqual(resolveConfig({ providers: [] }, { NEXTAUTH_SECRET: 'n' }).secrets, ['n']);
    assert.deepEqual(resolveConfig({ providers: [], secret: ['s1', 's2'] }, { AUTH_SECRET: 'a' }).secrets, ['s1', 's2']);
  });

  test('wrong options throw a TypeError naming the option and the fix', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['providers', { providers: 'nope' }],
      ['providers[0].type', { providers: [{ id: 'x', type: 'saml' }] }],
      ['providers[0].id', { providers: [{ id: 'a b', type: 'credentials', authorize: () => null }] }],
      ['providers[1].id', { providers: [Credentials({ authorize: () => null }), Credentials({ authorize: () => null })] }],
      ['providers[0].authorize', { providers: [{ id: 'c', type: 'credentials' }] }],
      ['session.strategy', { providers: [], session: { strategy: 'database' } }],
      ['session.maxAge', { providers: [], session: { maxAge: -1 } }],
      ['pages.signIn', { providers: [], pages: { signIn: 'javascript:alert(1)' } }],
      ['pages.error', { providers: [], pages: { error: '//evil.io' } }],
      ['url', { providers: [], url: 'http://[' }],
      ['callbacks.jwt', { providers: [], callbacks: { jwt: 'x' } }],
      ['cookies.sessionToken.name', { providers: [], cookies: { sessionToken: { name: 'a b;', options: {} } } }],
      // Issue 13: a store written before `refund` existed would fail only at the first refused burst.
      ['rateLimit.store.refund', { providers: [], rateLimit: { store: { hit: async () => ({ count: 1, resetAt: 0 }), peek: async () => ({ count: 0, resetAt: 0 }), reset: async () => {} } } }],
    ];
    for (const [option, config] of cases) {
      assert.throws(
        () => createAuth({ secret: 's', logger: quiet, ...config } as never),
        (error: Error) => error instanceof TypeError && error.message.includes(`\`${option}\``),
        option,
      );
    }
  });

  test('a v4 provider object’s `options` deep-merge over its defaults, as v4 merges them', () => {
    const v4Style = {
      id: 'acme',
      name: 'Acme',
      type: 'oauth',
      authorization: { url: 'https://acme.example/authorize', params: { scope: 'openid email' } },
      token: 'https://acme.example/token',
      clientId: 'default',
      // resolveConfig now normalizes OAuth providers (as createAuth did after it): a valid confidential OAuth 2.0 client.
      clientSecret: 'default-secret',
      idToken: false,
      options: { clientId: 'mine', authorization: { params: { prompt: 'login' } }, token: undefined },
    };
    const [provider] = resolveConfig({ providers: [v4Style] as never, secret: 's', logger: quiet }, {}).providers;
    const config = provider!.config as unknown as Record<string, unknown>;
    assert.equal(config.clientId, 'mine');
    assert.deepEqual(config.authorization, { url: 'https://acme.example/authorize', params: { scope: 'openid email', prompt: 'login' } });
    // An option left undefined does not erase the default.
    assert.deepEqual(config.token, { url: 'https://acme.example/token', params: {} });
  });

  test('the caller’s config object is not mutated and the result is frozen', () => {
    const config = credentialsConfig();
    const snapshot = JSON.stringify(config);
    const auth = createAuth(config);
    assert.equal(JSON.stringify(config), snapshot);
    assert.ok(Object.isFrozen(configOf(auth)));
    assert.throws(() => {
      (configOf(auth) as unknown as { secrets: string[] }).secrets = [];
    });
  });

  test('getSession on the instance reads without writing and returns null for no session', async () => {
    const auth = createAuth(credentialsConfig({ url: 'http://127.0.0.1:1/api/auth' }));
    assert.equal(await auth.getSession(new Headers()), null);
    assert.equal(await auth.getSession(new Request('http://127.0.0.1:1/', { headers: { cookie: 'next-auth.session-token=garbage' } })), null);
  });
});
