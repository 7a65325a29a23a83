// Mails in the locale of the request that triggered them, read off a real SMTP server: magic link, sign-up verification, "you already have an account", password reset.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { memoryAdapter } from '../../src/adapters/memory.js';
import { createTranslator, formatDuration, SHIPPED_LOCALES } from '../../src/locales/index.js';
import Email from '../../src/providers/email.js';
import Password from '../../src/providers/password.js';
import { TEST_SCRYPT, waitForMail } from '../password/helpers.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, transportFor, type SmtpSink } from '../helpers/smtp.js';
import { readMail } from './mime.js';

const ja = createTranslator('ja', SHIPPED_LOCALES.ja!);
const ko = createTranslator('ko', SHIPPED_LOCALES.ko!);

describe('mails in the request’s locale (real SMTP)', () => {
  let smtp: SmtpSink;
  let server: TestServer;
  let host: string;

  before(async () => {
    smtp = await startSmtp();
    server = await startServer({
      secret: SECRET,
      adapter: memoryAdapter(),
      providers: [Email({ server: transportFor(smtp), from: 'Gatehouse <auth@example.com>' }), Password({ server: transportFor(smtp), from: 'Gatehouse <auth@example.com>', scrypt: TEST_SCRYPT })],
      messages: { de: { 'mail.signIn.subject': 'Ihr Anmeldelink für {host}' } },
    });
    host = new URL(server.base).host;
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  async function post(path: string, form: Record<string, string>, language: string): Promise<Response> {
    const browser = new Browser();
    const csrfToken = await browser.csrfToken(server.base);
    return browser.fetch(`${server.base}/${path}`, { method: 'POST', form: { csrfToken, ...form }, headers: { 'accept-language': language } });
  }

  test('magic link in Japanese: subject, text and HTML, the validity worded by Intl', async () => {
    const count = smtp.mails.length;
    const response = await post('signin/email', { email: 'hana@example.com' }, 'ja-JP,ja;q=0.9,en;q=0.5');
    assert.equal(response.status, 302);
    const mail = readMail(waitForMailSync(smtp, 'hana@example.com', count));
    assert.equal(mail.subject, `${host} へのログイン`);
    assert.equal(formatDuration(24 * 3600, 'ja'), '24 時間');
    assert.ok(mail.text.startsWith(`${host} にログイン\n`), mail.text);
    assert.ok(mail.text.includes(ja.t('mail.signIn.foot', { duration: { seconds: 24 * 3600 } })), mail.text);
    assert.ok(mail.text.includes('24 時間で有効期限が切れます'));
    assert.match(mail.html, /<html lang="ja" dir="ltr">/);
    assert.ok(mail.html.includes(`<strong>${host}</strong> にログイン`), 'the host stays bold inside the translated sentence');
    assert.ok(mail.html.includes(`>${ja.t('mail.signIn.button')}</a>`));
    assert.doesNotMatch(mail.text + mail.html, /Sign in|If you did not/);
  });

  test('sign-up verification, then "you already have an account" on a second sign-up, then the reset link: all in Japanese', async () => {
    let count = smtp.mails.length;
    await post('signup/password', { email: 'ken@example.com', password: 'correct horse battery' }, 'ja');
    const verify = readMail((await waitForMail(smtp, 'ken@example.com', count)).raw);
    assert.equal(verify.subject, `${host} のメールアドレスの確認`);
    assert.ok(verify.text.includes(ja.t('mail.verifyEmail.lead', { host })));
    assert.ok(verify.html.includes(`>${ja.t('mail.verifyEmail.button')}</a>`));

    count = smtp.mails.length;
    await post('signup/password', { email: 'ken@example.com', password: 'another horse battery' }, 'ja');
    const exists = readMail((await waitForMail(smtp, 'ken@example.com', count)).raw);
    assert.equal(exists.subject, `${host} のアカウントはすでに登録されています`);
    assert.ok(exists.text.includes(ja.t('mail.accountExists.foot')));

    count = smtp.mails.length;
    await post('password/forgot', { email: 'ken@example.com' }, 'ja');
    const reset = readMail((await waitForMail(smtp, 'ken@example.com', count)).raw);
    assert.equal(reset.subject, `${host} のパスワード再設定`);
    assert.ok(reset.text.includes('1 時間で有効期限が切れます'), reset.text);
    assert.match(reset.html, /<html lang="ja" dir="ltr">/);
  });

  test('the lang field of a page opened with ?lang= wins over the POST’s Accept-Language; messages override a mail’s words', async () => {
    let count = smtp.mails.length;
    await post('signin/email', { email: 'jun@example.com', lang: 'ko' }, 'ja');
    const korean = readMail(waitForMailSync(smtp, 'jun@example.com', count));
    assert.equal(korean.subject, ko.t('mail.signIn.subject', { host }));
    assert.match(korean.html, /<html lang="ko" dir="ltr">/);

    count = smtp.mails.length;
    await post('signin/email', { email: 'max@example.com' }, 'de-AT');
    const german = readMail(waitForMailSync(smtp, 'max@example.com', count));
    assert.equal(german.subject, `Ihr Anmeldelink für ${host}`);
    assert.ok(german.text.includes('24 Stunden ab'), german.text);
  });
});

/** The magic-link send is awaited by the route, so the mail is already captured. */
function waitForMailSync(smtp: SmtpSink, to: string, after: number): string {
  const mail = smtp.mails.slice(after).find((m) => m.to.includes(to));
  if (!mail) throw new Error(`no mail to ${to} after #${after}`);
  return mail.raw;
}
