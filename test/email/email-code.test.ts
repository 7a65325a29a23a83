// Email sign-in codes (`Email({ code: true })`) over HTTP with a real SMTP capture: the code beside the link signs in once (JWT and database sessions, memory and SQLite), is stored as an HMAC, lasts 10 minutes, is void after 5 wrong tries (parallel ones too), fits its address only; the page's form and v4-shaped JSON answers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import memoryAdapter from '../../src/adapters/memory.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { GatehouseAdapter, LeaseStore } from '../../src/adapters/types.js';
import { totpStep } from '../../src/core/totp.js';
import { createAuth } from '../../src/index.js';
import { createTranslator, SHIPPED_LOCALES } from '../../src/locales/index.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { linkFrom, startSmtp, transportFor, type CapturedMail, type SmtpSink } from '../helpers/smtp.js';
import { readMail } from '../locales/mime.js';

/** The 6 digits on a line of their own in the mail's text part. */
export function codeFrom(mail: CapturedMail): string {
  const code = /^(\d{6})\r?$/m.exec(mail.decoded)?.[1];
  if (!code) throw new Error(`no sign-in code in mail:\n${mail.decoded}`);
  return code;
}

/** The adapter with its lease store watched: every write, and the reads of live codes. */
function watched(adapter: GatehouseAdapter) {
  const leases = adapter.leaseStore();
  const writes: Array<[string, string]> = [];
  const codeReads = { count: 0 };
  const spy: LeaseStore = {
    add: (key, value, ttl) => leases.add(key, value, ttl),
    set: async (key, value, ttl) => {
      writes.push([key, value]);
      await leases.set(key, value, ttl);
    },
    get: (key) => {
      if (key.startsWith('mailed-code:')) codeReads.count++;
      return leases.get(key);
    },
    delete: (key) => leases.delete(key),
  };
  return { adapter: Object.assign(Object.create(Object.getPrototypeOf(adapter) as object) as GatehouseAdapter, adapter, { leaseStore: () => spy }), writes, codeReads };
}

const adapters: Record<string, (dir: string) => GatehouseAdapter> = {
  memory: () => memoryAdapter(),
  SQLite: (dir) => sqliteAdapter(join(dir, 'auth.sqlite')),
};

for (const [adapterName, makeAdapter] of Object.entries(adapters)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`email sign-in codes (${strategy} sessions, ${adapterName})`, () => {
      let dir: string;
      let raw: GatehouseAdapter;
      let spy: ReturnType<typeof watched>;
      let smtp: SmtpSink;
      let server: TestServer;
      let base: string;
      let n = 0;
      const address = (name: string) => `${name}-${strategy}-${adapterName.toLowerCase()}-${++n}@example.com`;

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'gatehouse-email-signin-code-'));
        raw = makeAdapter(dir);
        await raw.migrate?.();
        spy = watched(raw);
        smtp = await startSmtp();
        server = await startServer({
          secret: SECRET,
          adapter: spy.adapter,
          session: { strategy },
          // The code's own limits hold with the instance's limits off.
          rateLimit: false,
          twoFactor: { issuer: 'Acme' },
          providers: [
            Email({ server: transportFor(smtp), from: 'Acme <auth@example.com>', code: true }),
            Credentials({ credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } }, authorize: async ({ email }) => (await raw.getUserByEmail(String(email))) ?? null }),
          ],
        });
        base = server.base;
      });
      after(async () => {
        await server.close();
        await smtp.close();
        await (raw as { close?: () => Promise<void> }).close?.();
        rmSync(dir, { recursive: true, force: true });
      });

      /** POST `signin/email` as the sign-in page's form; the mail it sent. */
      async function requestCode(browser: Browser, email: string): Promise<{ response: Response; mail: CapturedMail }> {
        const count = smtp.mails.length;
        const response = await browser.fetch(`${base}/signin/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), email, callbackUrl: '/inbox' } });
        assert.equal(smtp.mails.length, count + 1, 'one mail per request');
        return { response, mail: smtp.mails[count]! };
      }
      /** POST `callback/email` with a code in JSON mode (as `redirect: false` clients): status and the answered URL. */
      async function typeCode(browser: Browser, email: string, code: string): Promise<{ status: number; url: URL }> {
        const response = await browser.fetch(`${base}/callback/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), email, code, callbackUrl: '/inbox', json: 'true' } });
        return { status: response.status, url: new URL(((await response.json()) as { url: string }).url) };
      }
      const sessionEmail = async (browser: Browser) => ((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email ?? null;
      const wrongFor = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

      test('the mail has the link and a code; the code signs in once as amr otp; the store holds neither', async () => {
        const browser = new Browser();
        const email = address('ann');
        const { response, mail } = await requestCode(browser, email);
        assert.equal(response.status, 302);
        assert.equal(response.headers.get('location'), `${base}/verify-request?${new URLSearchParams({ provider: 'email', type: 'email', email })}`);
        assert.deepEqual(mail.to, [email]);
        const code = codeFrom(mail);
        assert.match(mail.decoded, /Or type this code on the page where you asked for the email\. It expires in 10 minutes\./);
        linkFrom(mail);
        const stored = spy.writes.filter(([key]) => key.startsWith('mailed-code:')).at(-1)!;
        assert.ok(stored, 'the code is kept in the lease store');
        assert.ok(!stored[0].includes(email) && !stored[1].includes(code), 'neither the address nor the code in clear');

        const signedIn = await typeCode(browser, email, code);
        assert.equal(signedIn.status, 200);
        assert.equal(signedIn.url.href, `${server.origin}/inbox`);
        assert.equal(await sessionEmail(browser), email);
        const user = await raw.getUserByEmail(email);
        assert.ok(user?.emailVerified, 'the address is verified, as by the link');
        const auth = await server.auth.requireRecentAuth(new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } }), { maxAge: 60 });
        assert.deepEqual(auth.ok && auth.amr, ['otp']);

        // Replay: the same code again, from another browser, is refused.
        const replay = await typeCode(new Browser(), email, code);
        assert.equal(replay.status, 403);
        assert.equal(replay.url.searchParams.get('error'), 'Verification');
      });

      test('the link still works beside the code, and spending it leaves the code usable for nobody else', async () => {
        const email = address('lee');
        const { mail } = await requestCode(new Browser(), email);
        const browser = new Browser();
        const clicked = await browser.fetch(linkFrom(mail));
        assert.equal(clicked.headers.get('location'), `${server.origin}/inbox`);
        assert.equal(await sessionEmail(browser), email);
      });

      test('five wrong codes void it: the right one is refused after', async () => {
        const browser = new Browser();
        const email = address('bob');
        const code = codeFrom((await requestCode(browser, email)).mail);
        for (let i = 0; i < 5; i++) {
          const wrong = await typeCode(browser, email, wrongFor(code, i));
          assert.equal(wrong.status, 403);
          assert.equal(wrong.url.pathname, '/api/auth/verify-request');
          assert.equal(wrong.url.searchParams.get('error'), 'Verification');
          assert.equal(wrong.url.searchParams.get('email'), email);
        }
        assert.equal((await typeCode(browser, email, code)).url.searchParams.get('error'), 'Verification');
        assert.equal(await sessionEmail(browser), null);
        // A new code starts its own five tries.
        const fresh = codeFrom((await requestCode(browser, email)).mail);
        assert.equal((await typeCode(browser, email, fresh)).url.searchParams.get('error'), null);
      });

      test('four wrong codes leave the right one working', async () => {
        const browser = new Browser();
        const email = address('cyd');
        const code = codeFrom((await requestCode(browser, email)).mail);
        for (let i = 0; i < 4; i++) await typeCode(browser, email, wrongFor(code, i));
        assert.equal((await typeCode(browser, email, code)).status, 200);
      });

      test('parallel wrong guesses: at most five are compared, then the code is void', async () => {
        const browser = new Browser();
        const email = address('dee');
        const code = codeFrom((await requestCode(browser, email)).mail);
        const reads = spy.codeReads.count;
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => typeCode(new Browser(), email, wrongFor(code, i))));
        assert.ok(answers.every((a) => a.url.searchParams.get('error') === 'Verification'));
        assert.ok(spy.codeReads.count - reads <= 5, `${spy.codeReads.count - reads} guesses reached the stored code`);
        assert.equal((await typeCode(browser, email, code)).url.searchParams.get('error'), 'Verification');
      });

      test('parallel right codes: one session', async () => {
        const email = address('eli');
        const code = codeFrom((await requestCode(new Browser(), email)).mail);
        const answers = await Promise.all(Array.from({ length: 4 }, () => typeCode(new Browser(), email, code)));
        assert.equal(answers.filter((a) => a.status === 200).length, 1);
      });

      test('a code expires after 10 minutes', async () => {
        const browser = new Browser();
        const email = address('fay');
        const code = codeFrom((await requestCode(browser, email)).mail);
        const late = await later(10 * 60 * 1000 + 1000, () => typeCode(browser, email, code));
        assert.equal(late.url.searchParams.get('error'), 'Verification');
      });

      test('a code signs in only the address it was mailed to', async () => {
        const mine = address('gus');
        const theirs = address('hal');
        const code = codeFrom((await requestCode(new Browser(), mine)).mail);
        await requestCode(new Browser(), theirs);
        const browser = new Browser();
        assert.equal((await typeCode(browser, theirs, code)).url.searchParams.get('error'), 'Verification');
        assert.equal(await sessionEmail(browser), null);
      });

      test('the code is CSRF-checked', async () => {
        const email = address('ida');
        const code = codeFrom((await requestCode(new Browser(), email)).mail);
        const browser = new Browser();
        const forged = await browser.fetch(`${base}/callback/email`, { method: 'POST', form: { email, code, callbackUrl: '/inbox' } });
        assert.equal(forged.status, 302);
        assert.match(forged.headers.get('location')!, /error=MissingCSRF/);
        assert.equal(await sessionEmail(browser), null);
      });

      test('the built-in page: the code form, a refused code said in its banner, then signed in by the form', async () => {
        const browser = new Browser();
        const email = address('joy');
        const { response, mail } = await requestCode(browser, email);
        const page = await (await browser.fetch(response.headers.get('location')!)).text();
        assert.match(page, /<form action="[^"]*\/callback\/email" method="POST">/);
        assert.match(page, new RegExp(`<input type="hidden" name="email" value="${email.replace(/[.+]/g, '\\$&')}">`));
        assert.match(page, /autocomplete="one-time-code"/);
        const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page)![1]!;
        const code = codeFrom(mail);
        const wrong = await browser.fetch(`${base}/callback/email`, { method: 'POST', form: { csrfToken, email, code: wrongFor(code), callbackUrl: '/inbox' } });
        assert.equal(wrong.status, 302);
        const again = await (await browser.fetch(wrong.headers.get('location')!)).text();
        assert.match(again, /role="alert"><p>That code is wrong, used or expired\./);
        assert.match(again, /aria-invalid="true" aria-describedby="code-error"/);
        const right = await browser.fetch(`${base}/callback/email`, { method: 'POST', form: { csrfToken, email, code, callbackUrl: '/inbox' } });
        assert.equal(right.status, 302);
        assert.equal(right.headers.get('location'), `${server.origin}/inbox`);
        assert.equal(await sessionEmail(browser), email);
      });

      test('a user with TOTP still gets the second step after the code', async () => {
        const email = address('kim');
        const user = await raw.createUser({ email, emailVerified: null });
        const enrol = new Browser();
        await enrol.signInWithCredentials(base, { email, password: 'x' });
        const post = async (path: string, fields: Record<string, string> = {}) => enrol.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken: await enrol.csrfToken(base) } });
        const { secret } = (await (await post('two-factor/enable')).json()) as { secret: string };
        const totp = generateHOTP(decodeBase32IgnorePadding(secret), BigInt(totpStep(Date.now())), 6);
        assert.equal((await post('two-factor/verify', { code: totp })).status, 200);

        const browser = new Browser();
        const code = codeFrom((await requestCode(browser, email)).mail);
        const answer = await typeCode(browser, email, code);
        assert.equal(answer.url.pathname, '/api/auth/two-factor');
        assert.equal(answer.url.searchParams.get('error'), 'TwoFactorRequired');
        assert.equal(await sessionEmail(browser), null);
        assert.equal(user.email, email);
      });

      test('three codes per address and 10 minutes, with the instance limits off', async () => {
        const email = address('lou');
        for (let i = 0; i < 3; i++) await requestCode(new Browser(), email);
        const count = smtp.mails.length;
        const browser = new Browser();
        const fourth = await browser.fetch(`${base}/signin/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), email, callbackUrl: '/inbox' } });
        assert.equal(fourth.status, 302);
        assert.match(fourth.headers.get('location')!, /error=RateLimited/);
        assert.equal(smtp.mails.length, count, 'no mail past the limit');
        const after10 = await later(10 * 60 * 1000 + 1000, () => requestCode(new Browser(), email));
        assert.equal(after10.response.status, 302);
      });
    });
  }
}

describe('email sign-in codes: configuration and link mode', () => {
  test('`code` must be a boolean', () => {
    assert.throws(() => createAuth({ secret: SECRET, adapter: memoryAdapter(), providers: [Email({ server: 'smtp://127.0.0.1:1', code: 'yes' as unknown as boolean })] }), /`providers\.email\.code` is not a boolean/);
  });

  test('the code line of the mail is in the request’s language', async () => {
    const smtp = await startSmtp();
    const server = await startServer({ secret: SECRET, adapter: memoryAdapter(), providers: [Email({ server: transportFor(smtp), from: 'Acme <auth@example.com>', code: true })] });
    try {
      const browser = new Browser();
      await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(server.base), email: 'hana@example.com' }, headers: { 'accept-language': 'ja' } });
      const ja = createTranslator('ja', SHIPPED_LOCALES.ja!);
      const { text } = readMail(smtp.mails.at(-1)!.raw);
      assert.ok(text.includes(ja.t('mail.signIn.codeLead', { duration: { seconds: 600 } })), text);
      assert.match(text, /^\d{6}$/m);
    } finally {
      await server.close();
      await smtp.close();
    }
  });

  test('without `code`, the mail and the page are the magic link alone, and a posted code is no sign-in', async () => {
    const smtp = await startSmtp();
    const server = await startServer({ secret: SECRET, adapter: memoryAdapter(), providers: [Email({ server: transportFor(smtp), from: 'Acme <auth@example.com>' })] });
    try {
      const browser = new Browser();
      const response = await browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(server.base), email: 'plain@example.com' } });
      assert.equal(response.headers.get('location'), `${server.base}/verify-request?provider=email&type=email`);
      assert.doesNotMatch(smtp.mails.at(-1)!.decoded, /^\d{6}\r?$/m);
      const page = await (await browser.fetch(response.headers.get('location')!)).text();
      assert.doesNotMatch(page, /<form/);
      const posted = await browser.fetch(`${server.base}/callback/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(server.base), email: 'plain@example.com', code: '123456' } });
      assert.equal(posted.headers.get('location'), `${server.base}/error?error=Verification`);
    } finally {
      await server.close();
      await smtp.close();
    }
  });
});
