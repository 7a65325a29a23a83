// Email codes as a user's only second factor, and reauthenticate with an emailed code, over HTTP with a real SMTP capture (JWT and database sessions, memory and SQLite): enrol with a first mailed code, the sign-in's code mailed at once, no step after an email sign-in, disabling with a recent sign-in and a fresh code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import sqliteAdapter from '../../src/adapters/sqlite.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Credentials from '../../src/providers/credentials.js';
import Email from '../../src/providers/email.js';
import { later } from '../helpers/clock.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { linkFrom, startSmtp, transportFor, type CapturedMail, type SmtpSink } from '../helpers/smtp.js';

const adapters: Record<string, (dir: string) => GatehouseAdapter> = {
  memory: () => memoryAdapter(),
  SQLite: (dir) => sqliteAdapter(join(dir, 'auth.sqlite')),
};

const codeIn = (mail: CapturedMail) => {
  const code = /^(\d{6})\r?$/m.exec(mail.decoded)?.[1];
  assert.ok(code, `a 6-digit code in:\n${mail.decoded}`);
  return code;
};
const other = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

for (const [adapterName, makeAdapter] of Object.entries(adapters)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`email codes as the only second factor (${strategy} sessions, ${adapterName})`, () => {
      let dir: string;
      let adapter: GatehouseAdapter;
      let smtp: SmtpSink;
      let server: TestServer;
      let base: string;
      let n = 0;

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'gatehouse-email-factor-'));
        adapter = makeAdapter(dir);
        await adapter.migrate?.();
        smtp = await startSmtp();
        server = await startServer({
          secret: SECRET,
          adapter,
          session: { strategy },
          rateLimit: false,
          twoFactor: { issuer: 'Acme', emailCode: true },
          providers: [
            Email({ server: transportFor(smtp), from: 'Acme <auth@example.com>', code: true }),
            Credentials({
              credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
              authorize: async ({ email, password }) => (password === 'pw' ? ((await adapter.getUserByEmail(String(email))) ?? null) : null),
            }),
          ],
        });
        base = server.base;
      });
      after(async () => {
        await server.close();
        await smtp.close();
        await (adapter as { close?: () => Promise<void> }).close?.();
        rmSync(dir, { recursive: true, force: true });
      });

      const post = async (browser: Browser, path: string, fields: Record<string, string> = {}) => browser.fetch(`${base}/${path}`, { method: 'POST', json: { ...fields, csrfToken: await browser.csrfToken(base) } });
      const sessionEmail = async (browser: Browser) => ((await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } }).user?.email ?? null;
      const amrOf = async (browser: Browser) => {
        const auth = await server.auth.requireRecentAuth(new Request(`${base}/session`, { headers: { cookie: browser.cookieHeader() } }), { maxAge: 60 });
        return auth.ok ? auth.amr : auth.error;
      };
      /** Runs `act` and returns the one mail it sent to `to`. */
      async function mailed(to: string, act: () => Promise<unknown>): Promise<CapturedMail> {
        const count = smtp.mails.length;
        await act();
        const sent = smtp.mails.slice(count);
        assert.equal(sent.length, 1, 'one mail');
        assert.deepEqual(sent[0]!.to, [to]);
        return sent[0]!;
      }
      async function user(name: string): Promise<AdapterUser> {
        return adapter.createUser({ email: `${name}-${strategy}-${adapterName.toLowerCase()}-${++n}@example.com`, name, emailVerified: null });
      }
      async function signedIn(who: AdapterUser): Promise<Browser> {
        const browser = new Browser();
        await browser.signInWithCredentials(base, { email: who.email, password: 'pw' });
        assert.equal(await sessionEmail(browser), who.email);
        return browser;
      }
      /** `who` with email codes on: enrolled through the routes, the first mailed code confirming. */
      async function enrolled(name: string): Promise<AdapterUser> {
        const who = await user(name);
        const browser = await signedIn(who);
        let started!: Response;
        const mail = await mailed(who.email, async () => (started = await post(browser, 'two-factor/enable', { method: 'email' })));
        assert.equal(started.status, 200);
        assert.deepEqual(await started.json(), { method: 'email', sent: true });
        assert.match(mail.decoded, /Subject: Your confirmation code for 127\.0\.0\.1/);
        const confirmed = await post(browser, 'two-factor/verify', { emailCode: codeIn(mail) });
        assert.equal(confirmed.status, 200);
        const body = (await confirmed.json()) as { enabled: boolean; method: string; backupCodes: string[] };
        assert.equal(body.enabled, true);
        assert.equal(body.method, 'email');
        assert.equal(body.backupCodes.length, 10);
        return who;
      }

      test('enrolment: a first mailed code turns it on; the store holds the email marker, never a key; status says email', async () => {
        const who = await user('ann');
        const browser = await signedIn(who);
        const mail = await mailed(who.email, () => post(browser, 'two-factor/enable', { method: 'email' }));
        assert.equal((await adapter.twoFactorStore().getTwoFactor(who.id))?.enabled, false, 'not active before the code');
        assert.equal((await post(browser, 'two-factor/verify', { emailCode: other(codeIn(mail)) })).status, 400);
        assert.equal((await post(browser, 'two-factor/verify', { emailCode: codeIn(mail) })).status, 200);
        const stored = await adapter.twoFactorStore().getTwoFactor(who.id);
        assert.equal(stored?.enabled, true);
        assert.equal(stored?.secret, 'email');
        assert.equal(await adapter.twoFactorStore().countBackupCodes(who.id), 10);
        const status = (await (await browser.fetch(`${base}/two-factor/status`)).json()) as { enabled: boolean; method: string };
        assert.deepEqual(status, { enabled: true, method: 'email', backupCodesLeft: 10 });
        // An authenticator app on top is refused while email codes are on.
        assert.equal((await post(browser, 'two-factor/enable')).status, 409);
      });

      test('enrolment needs a recent sign-in', async () => {
        const browser = await signedIn(await user('bea'));
        const late = await later(601_000, () => post(browser, 'two-factor/enable', { method: 'email' }));
        assert.equal(late.status, 403);
        assert.equal(((await late.json()) as { error: string }).error, 'RecentSignInRequired');
      });

      test('sign-in: the code is mailed at once, completes the step as pwd+otp+mfa; an app code is no substitute', async () => {
        const who = await enrolled('cal');
        const browser = new Browser();
        let answer!: Response;
        const mail = await mailed(who.email, async () => (answer = await browser.signInWithCredentials(base, { email: who.email, password: 'pw' })));
        assert.match(mail.decoded, /Subject: Your sign-in code for 127\.0\.0\.1/);
        const url = new URL(((await answer.json()) as { url: string }).url);
        assert.equal(url.pathname, '/api/auth/two-factor');
        assert.equal(url.searchParams.get('error'), 'TwoFactorRequired');
        assert.equal(url.searchParams.get('sent'), 'email');

        const page = await (await browser.fetch(url.href)).text();
        assert.match(page, /name="emailCode"/);
        assert.doesNotMatch(page, /name="code"/, 'no authenticator-app field');
        assert.match(page, /Your second step is a code we send to your email address\./);
        assert.match(page, />Send a new code</);

        const second = async (fields: Record<string, string>) => {
          const response = await browser.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { ...fields, csrfToken: await browser.csrfToken(base), json: 'true' } });
          return new URL(((await response.json()) as { url: string }).url).searchParams.get('error');
        };
        const code = codeIn(mail);
        assert.equal(await second({ code }), 'InvalidTwoFactorCode', 'the digits as an app code do not pass');
        assert.equal(await second({ emailCode: code }), null);
        assert.equal(await sessionEmail(browser), who.email);
        assert.deepEqual(await amrOf(browser), ['pwd', 'otp', 'mfa']);
      });

      test('a backup code completes the step too', async () => {
        const who = await user('dan');
        const browser = await signedIn(who);
        const mail = await mailed(who.email, () => post(browser, 'two-factor/enable', { method: 'email' }));
        const { backupCodes } = (await (await post(browser, 'two-factor/verify', { emailCode: codeIn(mail) })).json()) as { backupCodes: string[] };
        const next = new Browser();
        await mailed(who.email, () => next.signInWithCredentials(base, { email: who.email, password: 'pw' }));
        const done = await next.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { backupCode: backupCodes[0]!, csrfToken: await next.csrfToken(base), json: 'true' } });
        assert.equal(new URL(((await done.json()) as { url: string }).url).searchParams.get('error'), null);
        assert.equal(await sessionEmail(next), who.email);
      });

      test('an email sign-in (link or code) asks for no second code: the inbox is proved already', async () => {
        const who = await enrolled('eve');
        const browser = new Browser();
        const mail = await mailed(who.email, async () => browser.fetch(`${base}/signin/email`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), email: who.email } }));
        const clicked = await browser.fetch(linkFrom(mail));
        assert.doesNotMatch(clicked.headers.get('location')!, /two-factor/);
        assert.equal(await sessionEmail(browser), who.email);
        assert.deepEqual(await amrOf(browser), ['otp']);
      });

      test('disabling: a recent sign-in and a fresh mailed code (asked for while signed in); a wrong one is refused', async () => {
        const who = await enrolled('fay');
        const browser = new Browser();
        const signInMail = await mailed(who.email, () => browser.signInWithCredentials(base, { email: who.email, password: 'pw' }));
        await browser.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { emailCode: codeIn(signInMail), csrfToken: await browser.csrfToken(base), json: 'true' } });
        assert.equal(await sessionEmail(browser), who.email);

        let sent!: Response;
        const mail = await mailed(who.email, async () => (sent = await post(browser, 'two-factor/email-code')));
        assert.deepEqual(await sent.json(), { sent: true });
        assert.match(mail.decoded, /Subject: Your confirmation code for/);
        const code = codeIn(mail);
        const late = await later(601_000, () => post(browser, 'two-factor/disable', { emailCode: code }));
        assert.equal(late.status, 403, 'not with an old sign-in');
        assert.equal((await post(browser, 'two-factor/disable', { emailCode: other(code) })).status, 400);
        assert.equal((await post(browser, 'two-factor/disable', { code })).status, 400, 'not as an app code');
        const off = await post(browser, 'two-factor/disable', { emailCode: code });
        assert.equal(off.status, 200);
        assert.deepEqual(await off.json(), { enabled: false });
        assert.equal(await adapter.twoFactorStore().getTwoFactor(who.id), null);
        // The next sign-in has no second step.
        const next = new Browser();
        await next.signInWithCredentials(base, { email: who.email, password: 'pw' });
        assert.equal(await sessionEmail(next), who.email);
      });

      test('reauthenticate with an emailed code: otp now, single use, with a password mfa; the sends are limited', async () => {
        const who = await user('gil');
        const browser = await signedIn(who);
        const first = codeIn(await mailed(who.email, () => post(browser, 'two-factor/email-code')));
        const done = await post(browser, 'reauthenticate', { emailCode: first });
        assert.equal(done.status, 200);
        assert.deepEqual(((await done.json()) as { amr: string[] }).amr, ['otp']);
        assert.deepEqual(await amrOf(browser), ['otp']);
        const replay = await post(browser, 'reauthenticate', { emailCode: first });
        assert.equal(replay.status, 400);
        assert.equal(((await replay.json()) as { error: string }).error, 'InvalidTwoFactorCode');

        const second = codeIn(await mailed(who.email, () => post(browser, 'two-factor/email-code')));
        const both = await post(browser, 'reauthenticate', { password: 'pw', emailCode: second });
        assert.deepEqual(((await both.json()) as { amr: string[] }).amr, ['pwd', 'otp', 'mfa']);

        await mailed(who.email, () => post(browser, 'two-factor/email-code'));
        const fourth = await post(browser, 'two-factor/email-code');
        assert.equal(fourth.status, 429);
        assert.ok(Number(fourth.headers.get('retry-after')) > 0);
      });

      test('reauthenticate: five wrong emailed codes void it; signed out, no code is mailed', async () => {
        const who = await user('hal');
        const browser = await signedIn(who);
        const code = codeIn(await mailed(who.email, () => post(browser, 'two-factor/email-code')));
        for (let i = 0; i < 5; i++) {
          const wrong = await post(browser, 'reauthenticate', { emailCode: other(code, i) });
          assert.equal(wrong.status, 400);
        }
        // The per-user code limit (5 in 5 minutes) answers first now; once it has passed, the code is void anyway.
        const after5 = await later(5 * 60_000 + 1000, () => post(browser, 'reauthenticate', { emailCode: code }));
        assert.equal(after5.status, 400);
        const count = smtp.mails.length;
        assert.equal((await post(new Browser(), 'two-factor/email-code')).status, 400);
        assert.equal(smtp.mails.length, count);
      });
    });
  }
}
