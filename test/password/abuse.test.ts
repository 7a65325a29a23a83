// The Password provider's abuse resistance: breached passwords (a loopback range API), the CAPTCHA hook (a loopback siteverify), rate limits on every new POST, parallel guesses and the lock, migrated hashes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import { hashPassword } from '../../src/core/password.js';
import { turnstile } from '../../src/services/captcha.js';
import { pwnedPasswords } from '../../src/services/pwned-passwords.js';
import { Browser } from '../helpers/server.js';
import { startSmtp, type SmtpSink } from '../helpers/smtp.js';
import { startPwnedPasswords, startSiteverify, type StandIn } from '../helpers/standins.js';
import { passwordServer, post, postJson, query, sessionOf, TEST_SCRYPT } from './helpers.js';

describe('Password provider: abuse resistance', () => {
  let smtp: SmtpSink;
  let pwned: StandIn;
  before(async () => {
    smtp = await startSmtp();
    pwned = await startPwnedPasswords({ 'correct horse battery staple': 412 });
  });
  after(async () => {
    await smtp.close();
    await pwned.close();
  });

  test('a breached password is refused at sign-up; only five hex of its SHA-1 reach the range API', async () => {
    const adapter = memoryAdapter();
    const server = await passwordServer(smtp, adapter, { breachedPasswords: pwnedPasswords({ endpoint: `${pwned.url}/range/` }) });
    try {
      pwned.requests.length = 0;
      const refused = await postJson(new Browser(), `${server.base}/signup/password`, { email: 'hibp@example.com', password: 'correct horse battery staple' });
      assert.equal(refused.status, 400);
      assert.equal(query(refused.url).error, 'PasswordBreached');
      assert.equal(await adapter.getUserByEmail('hibp@example.com'), null);
      const sha1 = createHash('sha1').update('correct horse battery staple').digest('hex').toUpperCase();
      assert.equal(pwned.requests.length, 1);
      assert.equal(pwned.requests[0]!.path, `/range/${sha1.slice(0, 5)}`);
      assert.equal(pwned.requests[0]!.headers['add-padding'], 'true');
      const accepted = await post(new Browser(), `${server.base}/signup/password`, { email: 'hibp@example.com', password: 'a password nobody used 9c1e' });
      assert.equal(accepted.headers.get('location'), `${server.base}/verify-request?provider=password&type=signup`);
      assert.ok(await adapter.getUserByEmail('hibp@example.com'));
    } finally {
      await server.close();
    }
  });

  test('the range API down: open lets the password through, closed refuses with PasswordCheckUnavailable', async () => {
    const down = 'http://127.0.0.1:9/range/';
    for (const [onUnavailable, expected] of [
      ['open', 200],
      ['closed', 503],
    ] as const) {
      const adapter = memoryAdapter();
      const server = await passwordServer(smtp, adapter, { breachedPasswords: pwnedPasswords({ endpoint: down, onUnavailable, timeoutMs: 2000 }) });
      try {
        const answer = await postJson(new Browser(), `${server.base}/signup/password`, { email: `down-${onUnavailable}@example.com`, password: 'some fine password' });
        assert.equal(answer.status, expected);
        if (onUnavailable === 'closed') assert.equal(query(answer.url).error, 'PasswordCheckUnavailable');
        assert.equal(Boolean(await adapter.getUserByEmail(`down-${onUnavailable}@example.com`)), onUnavailable === 'open');
      } finally {
        await server.close();
      }
    }
  });

  test('verifyCaptcha: sign-up and forgot need a solved challenge (a loopback Turnstile siteverify)', async () => {
    const tokens: Record<string, { hostname?: string }> = { 'solved-1': {}, 'solved-2': {} };
    const siteverify = await startSiteverify('turnstile-secret', tokens);
    const adapter = memoryAdapter();
    const server = await passwordServer(smtp, adapter, { verifyCaptcha: turnstile({ secret: 'turnstile-secret', endpoint: siteverify.url }) });
    try {
      const missing = await postJson(new Browser(), `${server.base}/signup/password`, { email: 'bot@example.com', password: 'some fine password' });
      assert.equal(missing.status, 403);
      assert.equal(query(missing.url).error, 'CaptchaFailed');
      assert.equal(await adapter.getUserByEmail('bot@example.com'), null);
      const solved = await post(new Browser(), `${server.base}/signup/password`, { email: 'human@example.com', password: 'some fine password', 'cf-turnstile-response': 'solved-1' });
      assert.equal(solved.status, 302);
      assert.ok(await adapter.getUserByEmail('human@example.com'));
      // Tokens are single-use at the service: a replay fails.
      const replayed = await postJson(new Browser(), `${server.base}/password/forgot`, { email: 'human@example.com', captchaToken: 'solved-1' });
      assert.equal(query(replayed.url).error, 'CaptchaFailed');
      const forgot = await post(new Browser(), `${server.base}/password/forgot`, { email: 'human@example.com', captchaToken: 'solved-2' });
      assert.equal(forgot.headers.get('location'), `${server.base}/verify-request?provider=password&type=reset`);
      // Sign-in is not a CAPTCHA step by default.
      assert.equal((await postJson(new Browser(), `${server.base}/callback/password`, { email: 'human@example.com', password: 'wrong one here' })).status, 401);
    } finally {
      await server.close();
      await siteverify.close();
    }
  });

  test('the per-IP and per-address limits hold sign-in, sign-up, forgot and reset (429), apart from the lockout', async () => {
    const adapter = memoryAdapter();
    const server = await passwordServer(
      smtp,
      adapter,
      { lockout: false, requireEmailVerification: false },
      {
        rateLimit: { credentials: { perIdentifier: { limit: 2, window: 600 }, perIp: false }, email: { perAddress: { limit: 2, window: 600 }, perIp: false } },
      },
    );
    try {
      const statuses = async (path: string, form: () => Record<string, string>, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await postJson(new Browser(), `${server.base}/${path}`, form())).status);
        return out;
      };
      assert.deepEqual(await statuses('signup/password', () => ({ email: 'limits@example.com', password: 'some fine password' }), 3), [200, 200, 429]);
      assert.deepEqual(await statuses('password/forgot', () => ({ email: 'other@example.com' }), 3), [200, 200, 429]);
      assert.deepEqual(await statuses('callback/password', () => ({ email: 'limits@example.com', password: 'wrong password' }), 3), [401, 401, 429]);
      const user = (await adapter.getUserByEmail('limits@example.com'))!;
      const token = `${Buffer.from(user.id).toString('base64url')}.${'0'.repeat(64)}`;
      assert.deepEqual(await statuses('password/reset', () => ({ token, password: 'some other password' }), 3), [403, 403, 429]);
      // No lockout configured: the account has no lock.
      assert.equal((await adapter.getPassword(user.id))!.lockedUntil, null);
    } finally {
      await server.close();
    }
  });

  test('parallel wrong guesses: the count is reserved before the check, so only the threshold is checked and the account locks once', async () => {
    const adapter = memoryAdapter();
    const server = await passwordServer(smtp, adapter, { lockout: { threshold: 3, lockSeconds: 60 }, requireEmailVerification: false }, { rateLimit: false });
    try {
      await post(new Browser(), `${server.base}/signup/password`, { email: 'burst@example.com', password: 'the real password' });
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => postJson(new Browser(), `${server.base}/callback/password`, { email: 'burst@example.com', password: `guess ${i} of many` })));
      const counts = answers.reduce<Record<number, number>>((acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc), {});
      assert.equal(counts[401], 2, JSON.stringify(counts));
      assert.equal(counts[423], 10, JSON.stringify(counts));
      const user = (await adapter.getUserByEmail('burst@example.com'))!;
      assert.ok((await adapter.getPassword(user.id))!.lockedUntil);
    } finally {
      await server.close();
    }
  });

  test('a migrated bcrypt-style hash is checked by verifyHash once, then replaced by scrypt', async () => {
    const adapter = memoryAdapter();
    const user = await adapter.createUser({ email: 'legacy@example.com', emailVerified: new Date(), name: 'Legacy' });
    // A stand-in for a bcrypt hash: the hook decides, gatehouse only stores and replaces it.
    await adapter.setPassword(user.id, '$2b$10$legacy-hash-of-old-secret');
    const seen: string[] = [];
    const server = await passwordServer(smtp, adapter, { verifyHash: (password, hash) => (seen.push(hash), hash === '$2b$10$legacy-hash-of-old-secret' && password === 'old secret password') });
    try {
      assert.equal((await postJson(new Browser(), `${server.base}/callback/password`, { email: 'legacy@example.com', password: 'not the one' })).status, 401);
      const browser = new Browser();
      assert.equal((await postJson(browser, `${server.base}/callback/password`, { email: 'legacy@example.com', password: 'old secret password' })).status, 200);
      assert.equal((await sessionOf(browser, server.base))?.user?.email, 'legacy@example.com');
      const stored = (await adapter.getPassword(user.id))!.hash;
      assert.match(stored, /^scrypt\$16384\$/);
      assert.equal(seen.length, 2);
      assert.equal((await postJson(new Browser(), `${server.base}/callback/password`, { email: 'legacy@example.com', password: 'old secret password' })).status, 200);
      assert.equal(seen.length, 2, 'scrypt from then on');
      assert.notEqual(stored, await hashPassword('old secret password', TEST_SCRYPT));
    } finally {
      await server.close();
    }
  });
});
