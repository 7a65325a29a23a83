// Every built-in page in every shipped locale: Accept-Language (a regional tag, so fallback is exercised) gives the page's <html lang> and its translated text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryAdapter } from '../../src/adapters/memory.js';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { createAuth } from '../../src/index.js';
import { createTranslator, SHIPPED_LOCALES, type MessageKey, type MessageValue, type Translator } from '../../src/locales/index.js';
import { escapeHtml } from '../../src/pages/html.js';
import { renderRepostPage } from '../../src/pages/repost.js';
import Email from '../../src/providers/email.js';
import Password from '../../src/providers/password.js';
import { SECRET } from '../helpers/server.js';

/** What a browser of each locale sends: regional tags, so each reaches its catalogue by lookup or region fallback. */
const ACCEPT: Record<string, string> = {
  en: 'en-US,en;q=0.9',
  ja: 'ja-JP,ja;q=0.9,en-US;q=0.8',
  ko: 'ko-KR,ko;q=0.9',
  zh: 'zh-CN,zh;q=0.9,en;q=0.5',
  es: 'es-MX,es;q=0.9',
  fr: 'fr-FR,fr;q=0.9,en;q=0.3',
  de: 'de-DE,de;q=0.9',
  'pt-BR': 'pt-BR,pt;q=0.9',
};

const EMAIL = 'ann@example.com';

function instance() {
  const adapter = memoryAdapter();
  return createAuth({
    secret: SECRET,
    url: 'http://localhost:3000/api/auth',
    adapter,
    twoFactor: {},
    providers: [Email({ server: 'smtp://127.0.0.1:1', confirm: true, code: true }), Password({ server: 'smtp://127.0.0.1:1' })],
  });
}

type Check = { path: string; key: MessageKey; values?: Record<string, MessageValue> } | { path: string; expect: (text: Translator) => string };

/** The page, and a message of its own that must appear on it (escaped as the page escapes it). */
function checks(): Check[] {
  const list: Check[] = [
    { path: 'signin', key: 'signin.withEmail' },
    { path: 'signin', key: 'signin.forgotPassword' },
    { path: 'signout', key: 'signout.question' },
    { path: 'verify-request?type=email', key: 'verifyRequest.email' },
    { path: 'verify-request?type=signup', key: 'verifyRequest.signup' },
    { path: 'verify-request?type=reset', key: 'verifyRequest.reset' },
    { path: `verify-request?provider=email&type=email&email=${encodeURIComponent(EMAIL)}`, key: 'verifyRequest.codeLead', values: { duration: { seconds: 600 } } },
    { path: `verify-request?provider=email&type=email&email=${encodeURIComponent(EMAIL)}`, key: 'verifyRequest.codeSubmit' },
    { path: `verify-request?provider=email&type=email&email=${encodeURIComponent(EMAIL)}&error=Verification`, key: 'verifyRequest.codeInvalid' },
    { path: `verify-request?provider=email&type=email&email=${encodeURIComponent(EMAIL)}&error=Verification`, key: 'verifyRequest.newCode' },
    { path: `callback/email?token=abc&email=${encodeURIComponent(EMAIL)}`, expect: (text) => text.messages['emailConfirm.question'].split('{email}').map(escapeHtml).join(`<strong>${EMAIL}</strong>`) },
    { path: 'signup', key: 'signup.haveAccount' },
    { path: 'password/forgot', key: 'forgotPassword.lead' },
    { path: 'password/reset?token=abc', key: 'resetPassword.newPassword' },
    { path: 'password/change', key: 'changePassword.lead' },
    { path: 'verify-email?token=abc', key: 'verifyEmail.lead' },
    { path: 'two-factor', key: 'twoFactor.lead', values: { digits: 6 } },
    { path: 'two-factor?error=InvalidTwoFactorCode', key: 'twoFactor.invalidCode' },
    { path: 'two-factor', expect: (text) => escapeHtml(text.plural('twoFactor.trustDevice', 30)) },
    { path: 'signin?notice=verified', key: 'signin.notice.verified' },
  ];
  // Every error code, on the page it is shown on: the error page, the sign-in banner, the Password forms' banner.
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    const rule = ERRORS[code];
    if (rule.page === 'error') {
      list.push({ path: `error?error=${code}`, key: `error.${rule.message}.heading` }, { path: `error?error=${code}`, key: `error.${rule.message}.message` });
    } else if (rule.page === 'signin') {
      list.push({ path: `signin?error=${code}`, key: `signin.error.${rule.message}` });
    } else {
      list.push({ path: `signup?error=${code}`, key: `form.error.${rule.message}`, values: { minLength: 8 } });
    }
  }
  list.push({ path: 'error?error=NoSuchCode', key: 'error.default.message' });
  return list;
}

describe('every page in every shipped locale', () => {
  test('the checks reach every page route and every error code', () => {
    const paths = new Set(checks().map((check) => check.path.split('?')[0]));
    assert.deepEqual([...paths].sort(), ['callback/email', 'error', 'password/change', 'password/forgot', 'password/reset', 'signin', 'signout', 'signup', 'two-factor', 'verify-email', 'verify-request']);
    assert.ok(checks().length > Object.keys(ERRORS).length + 14);
  });

  for (const tag of Object.keys(SHIPPED_LOCALES)) {
    test(`${tag}: <html lang="${tag}" dir="ltr">, the page's own words, Vary: Accept-Language`, async () => {
      const auth = instance();
      const text = createTranslator(tag, SHIPPED_LOCALES[tag]!);
      const failures: string[] = [];
      for (const check of checks()) {
        const response = await auth.handler(new Request(`http://localhost:3000/api/auth/${check.path}`, { headers: { 'accept-language': ACCEPT[tag]! } }));
        const html = await response.text();
        const expected = 'expect' in check ? check.expect(text) : escapeHtml(text.t(check.key, check.values));
        const label = 'key' in check ? check.key : check.path;
        if (response.status >= 300 && response.status < 400) failures.push(`${check.path}: redirected to ${response.headers.get('location')}`);
        else if (!html.startsWith(`<!DOCTYPE html><html lang="${tag}" dir="ltr">`)) failures.push(`${check.path}: ${html.slice(0, 60)}`);
        else if (!html.includes(expected)) failures.push(`${check.path}: no ${label} (${expected})`);
        else if (!/accept-language/i.test(response.headers.get('vary') ?? '')) failures.push(`${check.path}: no Vary`);
      }
      assert.deepEqual(failures, []);
    });
  }

  test('the form_post re-post page speaks the locale too', () => {
    const text = createTranslator('ko', SHIPPED_LOCALES.ko!);
    const page = renderRepostPage('https://app.example/api/auth/callback/apple', new URLSearchParams({ code: 'c' }), text);
    assert.ok(page.startsWith('<!DOCTYPE html><html lang="ko" dir="ltr">'));
    assert.ok(page.includes(`<title>${text.t('repost.title')}</title>`) && page.includes(text.t('repost.continue')));
  });

  test('a Japanese page is not English: no English sentence of the catalogue appears on it', async () => {
    const auth = instance();
    const english = createTranslator('en', SHIPPED_LOCALES.en!);
    const response = await auth.handler(new Request('http://localhost:3000/api/auth/signup?error=WeakPassword', { headers: { 'accept-language': 'ja' } }));
    const html = await response.text();
    for (const key of ['signup.haveAccount', 'common.password', 'form.error.weakPassword'] as const) assert.ok(!html.includes(escapeHtml(english.t(key, { minLength: 8 }))), key);
  });
});
