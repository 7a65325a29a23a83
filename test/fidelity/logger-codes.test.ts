// next-auth v4's logger codes and metadata shapes, seen by a capturing custom logger (what Sentry or pino integrations key on), still redacted.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import { createAuth } from '../../src/index.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import type { Adapter, AuthConfig, LoggerInstance } from '../../src/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';
import { APP_BASE, authorizeAt, idpProvider, rig } from '../oauth/setup.js';

interface Entry {
  level: 'error' | 'warn' | 'debug';
  code: string;
  metadata: unknown;
}

function capture(): { logger: LoggerInstance; entries: Entry[]; find(code: string): Entry | undefined } {
  const entries: Entry[] = [];
  const record = (level: Entry['level']) => (code: string, metadata?: unknown) => void entries.push({ level, code, metadata });
  return {
    logger: { error: record('error'), warn: record('warn'), debug: record('debug') },
    entries,
    find: (code) => entries.find((entry) => entry.code === code),
  };
}

/** `{ error, providerId }`, v4's shape for the sign-in and OAuth callback failures. */
function assertErrorAndProvider(entry: Entry | undefined, providerId: string, message?: RegExp): void {
  assert.ok(entry, 'logged');
  assert.equal(entry.level, 'error');
  const metadata = entry.metadata as { error?: unknown; providerId?: unknown };
  assert.equal(metadata.providerId, providerId);
  assert.ok(metadata.error, 'metadata.error');
  if (message) assert.match(JSON.stringify(metadata.error), message);
}

const CLEARED = ['NEXTAUTH_URL', 'AUTH_URL', 'AUTH_SECRET', 'NEXTAUTH_SECRET', 'AUTH_TRUST_HOST', 'NODE_ENV'] as const;

/** createAuth reads process.env as v4 does: run `fn` with exactly `env` set of the variables it reads. */
function withEnv<T>(env: Partial<Record<(typeof CLEARED)[number], string>>, fn: () => T): T {
  const saved = CLEARED.map((name) => [name, process.env[name]] as const);
  for (const name of CLEARED) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('logger codes as next-auth v4', () => {
  test('SIGNIN_EMAIL_ERROR { error, providerId }: a refused address, and a failed send', async () => {
    const log = capture();
    const server = await startServer({
      secret: SECRET,
      adapter: memoryAdapter(),
      session: { strategy: 'jwt' },
      logger: log.logger,
      providers: [
        Email({
          sendVerificationRequest: ({ identifier }) => {
            if (identifier.startsWith('down')) throw new Error('SMTP 421 try later');
          },
        }),
      ],
    });
    try {
      const browser = new Browser();
      for (const email of ['a@evil.io,victim@corp.com', 'down@example.com']) {
        const csrfToken = await browser.csrfToken(server.base);
        const response = await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email, json: 'true' } });
        assert.deepEqual(await response.json(), { url: `${server.base}/error?error=EmailSignin` });
      }
      const logged = log.entries.filter((entry) => entry.code === 'SIGNIN_EMAIL_ERROR');
      assert.equal(logged.length, 2);
      assertErrorAndProvider(logged[0], 'email', /not exactly one valid email address/);
      assertErrorAndProvider(logged[1], 'email', /SMTP 421 try later/);
      assert.ok((logged[1]!.metadata as { error: unknown }).error instanceof Error, 'the Error itself, as v4 passes it');
    } finally {
      await server.close();
    }
  });

  test('JWT_SESSION_ERROR (an Error) on an unreadable session cookie, which is cleared', async () => {
    const log = capture();
    const server = await startServer({ secret: SECRET, logger: log.logger, providers: [Credentials({ authorize: () => null })] });
    try {
      const response = await fetch(`${server.base}/session`, { headers: { cookie: 'next-auth.session-token=not-a-jwe' } });
      assert.deepEqual(await response.json(), {});
      assert.ok(response.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=;')));
      const entry = log.find('JWT_SESSION_ERROR');
      assert.equal(entry?.level, 'error');
      assert.ok(entry.metadata instanceof Error);
    } finally {
      await server.close();
    }
  });

  test('SESSION_ERROR (the adapter’s Error) when the database fails while reading a session', async () => {
    const log = capture();
    const base = memoryAdapter() as Adapter;
    const adapter: Adapter = { ...base, getSessionAndUser: () => Promise.reject(new Error('database down')) };
    const server = await startServer({ secret: SECRET, adapter, logger: log.logger, providers: [Credentials({ authorize: () => null })] });
    try {
      const response = await fetch(`${server.base}/session`, { headers: { cookie: 'next-auth.session-token=some-token' } });
      assert.equal(response.status, 500, 'an outage is an error, not a sign-out (a deliberate difference)');
      const entry = log.find('SESSION_ERROR');
      assert.ok(entry?.metadata instanceof Error);
      assert.equal(entry.metadata.message, 'database down');
    } finally {
      await server.close();
    }
  });

  test('CALLBACK_EMAIL_ERROR (an Error) when the email callback fails after the token checked out', async () => {
    const log = capture();
    const links: string[] = [];
    const base = memoryAdapter() as Adapter;
    await base.createUser!({ email: 'known@example.com', emailVerified: null });
    const adapter: Adapter = { ...base, updateUser: () => Promise.reject(new Error('write failed')) };
    const server = await startServer({
      secret: SECRET,
      adapter,
      session: { strategy: 'jwt' },
      logger: log.logger,
      providers: [Email({ sendVerificationRequest: ({ url }) => void links.push(url) })],
    });
    try {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'known@example.com' } });
      const landed = await browser.fetch(links[0]!);
      assert.equal(new URL(landed.headers.get('location')!).searchParams.get('error'), 'Callback');
      const entry = log.find('CALLBACK_EMAIL_ERROR');
      assert.equal(entry?.level, 'error');
      assert.match(JSON.stringify(entry.metadata), /write failed/);
    } finally {
      await server.close();
    }
  });

  describe('OAuth (in-process oidc-provider)', () => {
    const log = capture();
    const rigged = rig((issuer) => [idpProvider(issuer)], { config: { logger: log.logger } });
    after(async () => (await rigged).close());

    test('OAUTH_CALLBACK_ERROR { error, providerId } when a check fails', async () => {
      const rg = await rigged;
      const browser = new Browser();
      const { callback } = await authorizeAt(rg, browser, 'idp');
      browser.jar.delete('next-auth.state');
      const response = await browser.fetch(rg.local(callback));
      assert.equal(response.headers.get('location'), `${APP_BASE}/error?error=OAuthCallback`);
      assertErrorAndProvider(log.find('OAUTH_CALLBACK_ERROR'), 'idp', /state/);
    });

    test('OAUTH_CALLBACK_HANDLER_ERROR { error, providerId } when the IdP answers with an error', async () => {
      const rg = await rigged;
      const response = await new Browser().fetch(`${rg.base}/callback/idp?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}`);
      assert.equal(response.headers.get('location'), `${APP_BASE}/error?error=Callback`);
      assertErrorAndProvider(log.find('OAUTH_CALLBACK_HANDLER_ERROR'), 'idp', /access_denied/);
    });

    test('SIGNIN_OAUTH_ERROR { error, providerId } when the authorization request cannot be built', async () => {
      // A fresh instance, so discovery has not run yet, against an IdP that is down.
      const down = capture();
      const rg = await rig((issuer) => [idpProvider(issuer)], { config: { logger: down.logger } });
      try {
        await rg.idp.stop();
        const browser = new Browser();
        const csrfToken = await browser.csrfToken(rg.base);
        const response = await browser.fetch(`${rg.base}/signin/idp`, { method: 'POST', form: { csrfToken, json: 'true' } });
        assert.deepEqual(await response.json(), { url: `${APP_BASE}/error?error=OAuthSignin` });
        assertErrorAndProvider(down.find('SIGNIN_OAUTH_ERROR'), 'idp');
      } finally {
        await rg.app.close();
      }
    });
  });

  test('configuration errors: createAuth throws a TypeError naming the fix, with v4’s code, and logs that code', () => {
    const cases: Array<[code: string, config: AuthConfig, env: Record<string, string>, fix: RegExp]> = [
      ['NO_SECRET', { providers: [] }, { NODE_ENV: 'production' }, /AUTH_SECRET/],
      ['EMAIL_REQUIRES_ADAPTER_ERROR', { secret: SECRET, providers: [Email({ sendVerificationRequest: () => {} })] }, {}, /adapters\/sqlite/],
      [
        'MISSING_ADAPTER_METHODS_ERROR',
        { secret: SECRET, adapter: { getUserByEmail: () => null } as Adapter, session: { strategy: 'jwt' }, providers: [Email({ sendVerificationRequest: () => {} })] },
        {},
        /createVerificationToken, useVerificationToken/,
      ],
      ['MISSING_ADAPTER_METHODS_ERROR', { secret: SECRET, adapter: {} as Adapter, session: { strategy: 'database' }, providers: [] }, {}, /createSession, getSessionAndUser, updateSession, deleteSession/],
      ['CALLBACK_CREDENTIALS_HANDLER_ERROR', { secret: SECRET, providers: [{ id: 'c', type: 'credentials' } as never] }, {}, /authorize\(credentials, request\)/],
    ];
    for (const [code, config, env, fix] of cases) {
      const log = capture();
      withEnv(env, () => {
        assert.throws(
          () => createAuth({ ...config, logger: log.logger }),
          (error: Error & { code?: string }) => error instanceof TypeError && error.code === code && fix.test(error.message),
          code,
        );
      });
      const entry = log.find(code);
      assert.equal(entry?.level, 'error', code);
      assert.ok(entry.metadata instanceof Error && fix.test(entry.metadata.message), code);
    }
  });

  test('warnings: NEXTAUTH_URL, NO_SECRET, DEBUG_ENABLED', () => {
    const log = capture();
    withEnv({}, () => createAuth({ debug: true, logger: log.logger, providers: [] }));
    assert.deepEqual(
      log.entries
        .filter((entry) => entry.level === 'warn')
        .map((entry) => entry.code)
        .sort(),
      ['DEBUG_ENABLED', 'NEXTAUTH_URL', 'NO_SECRET'],
    );
    const quiet = capture();
    withEnv({ NEXTAUTH_URL: 'https://app.example.com', NEXTAUTH_SECRET: SECRET }, () => createAuth({ logger: quiet.logger, providers: [] }));
    assert.deepEqual(quiet.entries, [], 'a configured app warns about nothing');
  });

  test('an Error reaches the logger as an Error, its message still redacted', async () => {
    const log = capture();
    const jwe = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..abc.def.ghi';
    const server = await startServer({
      secret: SECRET,
      adapter: memoryAdapter(),
      session: { strategy: 'jwt' },
      logger: log.logger,
      providers: [
        Email({
          sendVerificationRequest: () => {
            throw Object.assign(new Error(`relay refused ${jwe}`), { code: 'EENVELOPE' });
          },
        }),
      ],
    });
    try {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email: 'ann@example.com' } });
      const { error } = log.find('SIGNIN_EMAIL_ERROR')!.metadata as { error: Error & { code?: string } };
      assert.ok(error instanceof Error);
      assert.equal(error.code, 'EENVELOPE');
      assert.equal(error.message, 'relay refused [redacted]');
      assert.ok(!String(error.stack).includes(jwe));
      assert.ok(!JSON.stringify(error).includes(jwe));
    } finally {
      await server.close();
    }
  });
});
