// Magic links end to end: real nodemailer to a real smtp-server, tokens hashed, single use under races, strict addresses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import Email, { verificationEmailHtml } from '../../src/providers/email.js';
import type { Adapter, VerificationToken } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { linkFrom, startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';

function recordingAdapter() {
  const base = memoryAdapter() as Adapter;
  const stored: VerificationToken[] = [];
  const adapter: Adapter = {
    ...base,
    createVerificationToken: (token) => {
      stored.push(token);
      return base.createVerificationToken!(token);
    },
  };
  return { adapter, stored };
}

async function requestLink(server: TestServer, browser: Browser, email: string, extra: Record<string, string> = {}) {
  const csrfToken = await browser.csrfToken(server.base);
  return browser.fetch(`${server.base}/signin/email`, { method: 'POST', form: { csrfToken, email, callbackUrl: '/inbox', ...extra } });
}

describe('email provider', () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtp();
  });
  after(() => smtp.close());

  async function emailServer(options: Parameters<typeof Email>[0] = {}, extra: Record<string, unknown> = {}) {
    const { adapter, stored } = recordingAdapter();
    const server = await startServer({ secret: SECRET, adapter, session: { strategy: 'jwt' }, providers: [Email({ server: transportFor(smtp), from: 'Gatehouse <auth@example.com>', ...options })], ...extra });
    return { server, stored, adapter };
  }

  test('sends one link to the normalized address, stores only a hash, signs in once', async () => {
    const { server, stored } = await emailServer();
    try {
      const browser = new Browser();
      const sent = smtp.mails.length;
      const response = await requestLink(server, browser, '  Ann@Example.COM ');
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), `${server.base}/verify-request?provider=email&type=email`);
      assert.equal(smtp.mails.length, sent + 1);
      const mail = smtp.mails.at(-1)!;
      assert.deepEqual(mail.to, ['ann@example.com']);
      const link = new URL(linkFrom(mail));
      assert.equal(`${link.origin}${link.pathname}`, `${server.base}/callback/email`);
      const token = link.searchParams.get('token')!;
      assert.match(token, /^[0-9a-f]{64}$/);
      assert.equal(stored.at(-1)!.identifier, 'ann@example.com');
      assert.notEqual(stored.at(-1)!.token, token, 'the raw token is not stored');
      assert.ok(!JSON.stringify(stored).includes(token));

      const first = await browser.fetch(link.href);
      assert.equal(first.status, 302);
      assert.equal(first.headers.get('location'), `${server.origin}/inbox`);
      const session = (await (await browser.fetch(`${server.base}/session`)).json()) as { user?: { email: string } };
      assert.equal(session.user?.email, 'ann@example.com');
      const again = await new Browser().fetch(link.href);
      assert.equal(again.headers.get('location'), `${server.base}/error?error=Verification`);
    } finally {
      await server.close();
    }
  });

  test('parallel clicks on one link give exactly one session', async () => {
    const { server } = await emailServer();
    try {
      await requestLink(server, new Browser(), 'race@example.com');
      const link = linkFrom(smtp.mails.at(-1)!);
      const responses = await Promise.all(Array.from({ length: 12 }, () => new Browser().fetch(link)));
      const winners = responses.filter((r) => r.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token=ey')));
      assert.equal(winners.length, 1);
    } finally {
      await server.close();
    }
  });

  test('anything but exactly one plain address is refused with no mail (advisories #7, #11, #13)', async () => {
    const { server, stored } = await emailServer();
    try {
      const hostile = [
        'a@evil.io,victim@corp.com',
        'victim@corp.com,a@evil.io',
        '"e@evil.io"@corp.com',
        '"victim@corp.com"@evil.io',
        'victim@corp.com\uFF20evil.io',
        'victim@corp.com@evil.io',
        'a@@b.com',
        '<a@b.com>',
        'Name <a@b.com>',
        'a@b.com\r\nBcc: x@evil.io',
        'a@b.com\nBcc: x@evil.io',
        'a b@c.com',
        'a@b',
        '@b.com',
        'a@',
        `${'a'.repeat(250)}@b.com`,
        'a@-b.com',
        'a@b..com',
        '',
      ];
      const before = smtp.mails.length;
      for (const email of hostile) {
        const response = await requestLink(server, new Browser(), email, { json: 'true' });
        assert.equal(response.status, 400, JSON.stringify(email));
        assert.deepEqual(await response.json(), { url: `${server.base}/error?error=EmailSignin` });
      }
      assert.equal(smtp.mails.length, before, 'no mail sent');
      assert.equal(stored.length, 0, 'no token stored');
    } finally {
      await server.close();
    }
  });

  test('a token is bound to its address (advisory #1) and expires', async () => {
    const { server } = await emailServer({ generateVerificationToken: () => 'fixed-token-for-this-test' });
    const expiring = await emailServer({ maxAge: 0 });
    try {
      await requestLink(server, new Browser(), 'attacker@example.com');
      const forged = `${server.base}/callback/email?token=fixed-token-for-this-test&email=${encodeURIComponent('victim@example.com')}`;
      assert.equal((await new Browser().fetch(forged)).headers.get('location'), `${server.base}/error?error=Verification`);
      await requestLink(expiring.server, new Browser(), 'late@example.com');
      const link = linkFrom(smtp.mails.at(-1)!);
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal((await new Browser().fetch(link)).headers.get('location'), `${expiring.server.base}/error?error=Verification`);
    } finally {
      await server.close();
      await expiring.server.close();
    }
  });

  test('SMTP down: EmailSignin, and the stored token is not usable', async () => {
    const { adapter, stored } = recordingAdapter();
    const server = await startServer({
      secret: SECRET,
      adapter,
      session: { strategy: 'jwt' },
      logger: { error: () => {} },
      providers: [Email({ server: { host: '127.0.0.1', port: 1, ignoreTLS: true, connectionTimeout: 2000 }, generateVerificationToken: () => 'token-that-was-never-mailed' })],
    });
    try {
      const response = await requestLink(server, new Browser(), 'down@example.com', { json: 'true' });
      assert.deepEqual(await response.json(), { url: `${server.base}/error?error=EmailSignin` });
      assert.equal(stored.length, 1);
      const link = `${server.base}/callback/email?token=token-that-was-never-mailed&email=down%40example.com`;
      assert.equal((await new Browser().fetch(link)).headers.get('location'), `${server.base}/error?error=Verification`);
    } finally {
      await server.close();
    }
  });

  test('the link is built from the configured URL even with trustHost and forged hosts (advisory 16)', async () => {
    const { server } = await emailServer({}, { trustHost: true });
    try {
      const browser = new Browser();
      const csrfToken = await browser.csrfToken(server.base);
      await browser.fetch(`${server.base}/signin/email`, { method: 'POST', headers: { 'x-forwarded-host': 'evil.io', host: 'evil.io' }, form: { csrfToken, email: 'host@example.com' } });
      const link = linkFrom(smtp.mails.at(-1)!);
      assert.ok(link.startsWith(`${server.base}/callback/email?`), link);
    } finally {
      await server.close();
    }
  });

  test('confirm: true — a GET shows a button and spends nothing; the POST signs in', async () => {
    const { server } = await emailServer({ confirm: true });
    try {
      await requestLink(server, new Browser(), 'scan@example.com');
      const link = linkFrom(smtp.mails.at(-1)!);
      const scanner = await new Browser().fetch(link);
      assert.equal(scanner.status, 200);
      const person = new Browser();
      const page = await person.fetch(link);
      const html = await page.text();
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
      const response = await person.fetch(`${server.base}/callback/email`, {
        method: 'POST',
        form: { csrfToken: field('csrfToken'), token: field('token'), email: field('email'), callbackUrl: field('callbackUrl').replaceAll('&amp;', '&') },
      });
      assert.equal(response.status, 302);
      assert.ok(person.jar.has('next-auth.session-token'));
    } finally {
      await server.close();
    }
  });

  test('the mail HTML escapes what it interpolates (advisory GHSA-pgjx)', () => {
    const html = verificationEmailHtml({ url: 'https://a.example/"><script>x()</script>', host: '<b>evil</b>', theme: { brandColor: 'red;}</style>' } });
    assert.ok(!html.includes('<script>') && !html.includes('<b>evil'));
    assert.ok(!html.includes('red;}'));
  });
});
