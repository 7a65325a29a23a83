// Email one-time codes as the fallback second step, over HTTP with a real SMTP capture (JWT and database sessions, memory and SQLite): mailed, single use, bound to its pending sign-in, 10 minutes, 5 tries; sends limited; never after a magic link.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import Email from '../../src/providers/email.js';
import { later } from '../helpers/clock.js';
import { Browser, type TestServer } from '../helpers/server.js';
import { linkFrom, startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { addUser, ADAPTERS, answerUrl, emailPassword, enrolTotp, postJson, recentAuth, secondStep, sessionEmail as emailOf, tempAdapter, twoFactorServer, type TempAdapter } from '../helpers/two-factor.js';

for (const [adapterName, makeAdapter] of Object.entries(ADAPTERS)) {
  for (const strategy of ['jwt', 'database'] as const) {
    describe(`email codes as the second step (${strategy} sessions, ${adapterName})`, () => {
      let db: TempAdapter<GatehouseAdapter>;
      let adapter: GatehouseAdapter;
      let smtp: SmtpSink;
      let server: TestServer;
      let base: string;
      const users = new Map<string, AdapterUser>();

      before(async () => {
        db = await tempAdapter('gatehouse-email-code-', makeAdapter);
        adapter = db.adapter;
        smtp = await startSmtp();
        server = await twoFactorServer({
          adapter,
          strategy,
          users,
          config: { twoFactor: { issuer: 'Acme', emailCode: true }, providers: [Email({ server: transportFor(smtp), from: 'Acme <auth@example.com>' }), emailPassword(users)] },
        });
        base = server.base;
      });
      after(async () => {
        await server.close();
        await smtp.close();
        await db.dispose();
      });

      const post = (browser: Browser, path: string, fields: Record<string, string> = {}) => postJson(browser, base, path, fields);
      const second = async (browser: Browser, fields: Record<string, string>) => (await secondStep(browser, base, fields)).searchParams.get('error');
      const sessionEmail = (browser: Browser) => emailOf(browser, base);

      /** A user with TOTP enrolled (the email code is the fallback for it). */
      async function enrolled(name: string): Promise<AdapterUser> {
        const user = await addUser(adapter, users, `${name}-${strategy}-${adapterName.toLowerCase()}@example.com`, name);
        const browser = new Browser();
        await browser.signInWithCredentials(base, { email: user.email, password: 'pw' });
        await enrolTotp(browser, base);
        return user;
      }
      /** A browser at the second step of `user`'s sign-in. */
      async function pending(user: AdapterUser): Promise<Browser> {
        const browser = new Browser();
        const response = await browser.signInWithCredentials(base, { email: user.email, password: 'pw' });
        assert.equal((await answerUrl(response)).searchParams.get('error'), 'TwoFactorRequired');
        return browser;
      }
      /** Asks for a code and returns it as the captured mail to `user` says it. */
      async function mailedCode(browser: Browser, user: AdapterUser): Promise<string> {
        const count = smtp.mails.length;
        const sent = await post(browser, 'two-factor/email-code');
        assert.equal(sent.status, 200);
        assert.deepEqual(await sent.json(), { sent: true });
        const mail = smtp.mails[count];
        assert.ok(mail && smtp.mails.length === count + 1, 'one mail per send');
        assert.deepEqual(mail.to, [user.email]);
        assert.match(mail.decoded, /Subject: Your sign-in code for 127\.0\.0\.1/);
        const code = /^(\d{6})\r?$/m.exec(mail.decoded)?.[1];
        assert.ok(code, `a 6-digit code in:\n${mail.decoded}`);
        return code;
      }

      test('the mailed code completes the sign-in once, as pwd+otp+mfa; a wrong code does not', async () => {
        const user = await enrolled('ann');
        const browser = await pending(user);
        const code = await mailedCode(browser, user);
        const wrong = code === '000000' ? '000001' : '000000';
        assert.equal(await second(browser, { emailCode: wrong }), 'InvalidTwoFactorCode');
        assert.equal(await second(browser, { emailCode: code }), null);
        assert.equal(await sessionEmail(browser), user.email);
        const auth = await recentAuth(server, browser, { maxAge: 60, factors: 2 });
        assert.deepEqual(auth.ok && auth.amr, ['pwd', 'otp', 'mfa']);

        // Replay: the same code in another pending sign-in of the same user (bound to its own), and in a copy of this one.
        const other = await pending(user);
        assert.equal(await second(other, { emailCode: code }), 'InvalidTwoFactorCode');
      });

      test('the built-in page: "Email me a code instead" mails one and comes back with the field for it', async () => {
        const user = await enrolled('eve');
        const browser = await pending(user);
        const page = await (await browser.fetch(`${base}/two-factor?callbackUrl=${encodeURIComponent(`${server.origin}/done`)}`)).text();
        assert.match(page, /action="[^"]*\/two-factor\/email-code"/);
        assert.match(page, /Email me a code instead/);
        assert.doesNotMatch(page, /name="emailCode"/);
        const count = smtp.mails.length;
        const sent = await browser.fetch(`${base}/two-factor/email-code`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), page: '1', callbackUrl: `${server.origin}/done` } });
        assert.equal(sent.status, 302);
        const back = new URL(sent.headers.get('location')!);
        assert.equal(back.pathname, '/api/auth/two-factor');
        assert.equal(back.searchParams.get('sent'), 'email');
        assert.equal(smtp.mails.length, count + 1);
        const code = /^(\d{6})\r?$/m.exec(smtp.mails[count]!.decoded)![1]!;
        const form = await (await browser.fetch(back.href)).text();
        assert.match(form, /name="emailCode"/);
        assert.match(form, /expires in 10 minutes/);
        const done = await browser.fetch(`${base}/callback/two-factor`, { method: 'POST', form: { emailCode: code, csrfToken: await browser.csrfToken(base), callbackUrl: `${server.origin}/done` } });
        assert.equal(done.status, 302);
        assert.equal(new URL(done.headers.get('location')!).searchParams.get('error'), null, 'to the target the sign-in started with');
        assert.equal(await sessionEmail(browser), user.email);
      });

      test('a new send voids the earlier code; a code expires after 10 minutes; five wrong tries void it', async () => {
        const user = await enrolled('bob');
        const browser = await pending(user);
        const first = await mailedCode(browser, user);
        const secondCode = await mailedCode(browser, user);
        if (first !== secondCode) assert.equal(await second(browser, { emailCode: first }), 'InvalidTwoFactorCode', 'the earlier code is void');
        await later(10 * 60_000 + 60_000, async () => {
          const error = await second(browser, { emailCode: secondCode });
          assert.ok(error === 'InvalidTwoFactorCode' || error === 'TwoFactorExpired', `expired: ${error}`);
          assert.equal(await sessionEmail(browser), null);
        });

        // Another user, so the per-user attempt limit (5 in 5 minutes) starts from zero.
        const dan = await enrolled('dan');
        const tries = await pending(dan);
        const code = await mailedCode(tries, dan);
        const wrong = code === '999999' ? '999998' : '999999';
        for (let i = 0; i < 5; i++) assert.equal(await second(tries, { emailCode: wrong }), 'InvalidTwoFactorCode');
        // Past the per-user limit's five minutes (the pending sign-in lives as long as the code): the code itself is spent.
        await later(5 * 60_000 + 1000, async () => {
          assert.equal(await second(tries, { emailCode: code }), 'InvalidTwoFactorCode', 'void after five tries, even the right code');
          assert.equal(await sessionEmail(tries), null);
        });
      });

      test('refused: more than three sends in ten minutes (429), no CSRF (403), no pending sign-in, and after a magic link', async () => {
        const user = await enrolled('cat');
        const browser = await pending(user);
        for (let i = 0; i < 3; i++) await mailedCode(browser, user);
        const count = smtp.mails.length;
        const limited = await post(browser, 'two-factor/email-code');
        assert.equal(limited.status, 429);
        assert.equal(smtp.mails.length, count, 'no mail past the limit');
        // The page's button past the limit: back to the code page, which says why no code came.
        const fromPage = await browser.fetch(`${base}/two-factor/email-code`, { method: 'POST', form: { csrfToken: await browser.csrfToken(base), page: '1', callbackUrl: `${server.origin}/done` } });
        const back = new URL(fromPage.headers.get('location')!);
        assert.equal(back.searchParams.get('error'), 'RateLimited');
        assert.match(await (await browser.fetch(back.href)).text(), /<div class="error" id="two-factor-error" role="alert"><p>Too many attempts/);
        assert.equal(smtp.mails.length, count, 'no mail past the limit from the page either');
        assert.equal((await browser.fetch(`${base}/two-factor/email-code`, { method: 'POST', json: {} })).status, 403);
        assert.equal((await post(new Browser(), 'two-factor/email-code')).status, 400);

        // Signed in by magic link: the inbox is proven already, so no code goes to it.
        const linked = new Browser();
        const sent = smtp.mails.length;
        await linked.fetch(`${base}/signin/email`, { method: 'POST', form: { email: user.email, csrfToken: await linked.csrfToken(base) } });
        const link = linkFrom(smtp.mails[sent]!);
        const landed = await linked.fetch(link);
        assert.match(landed.headers.get('location') ?? '', /error=TwoFactorRequired/);
        const refused = await post(linked, 'two-factor/email-code');
        assert.equal(refused.status, 400);
        assert.equal(((await refused.json()) as { error: string }).error, 'EmailCodeUnavailable');
      });
    });
  }
}
