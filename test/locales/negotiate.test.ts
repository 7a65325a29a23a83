// Choosing a request's locale: Accept-Language q-values (RFC 9110 §12.5.4), lookup and region fallback, ?lang=, the `locale` and `messages` options, Vary.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAuth } from '../../src/index.js';
import { matchLocale, negotiateLocale, parseAcceptLanguage } from '../../src/locales/negotiate.js';
import { textDirection } from '../../src/locales/index.js';
import type { AuthConfig } from '../../src/types.js';
import { credentialsConfig } from '../helpers/config.js';

const SHIPPED = ['en', 'ja', 'ko', 'zh', 'es', 'fr', 'de', 'pt-BR'];

describe('Accept-Language parsing', () => {
  test('sorted by q, ties in the order sent; q=0 kept (it refuses), bad members skipped', () => {
    assert.deepEqual(parseAcceptLanguage('fr;q=0.5, de, ja;q=0.9, ko;q=0.9'), [
      { range: 'de', q: 1 },
      { range: 'ja', q: 0.9 },
      { range: 'ko', q: 0.9 },
      { range: 'fr', q: 0.5 },
    ]);
    assert.deepEqual(parseAcceptLanguage('EN-gb ; Q=0.8 ,*;q=0.1'), [
      { range: 'en-gb', q: 0.8 },
      { range: '*', q: 0.1 },
    ]);
    // q above 1, more than three decimals, not a number, a parameter that is not q, a malformed tag, an empty member.
    assert.deepEqual(parseAcceptLanguage('de;q=2, fr;q=0.1234, es;q=abc, it;level=1, 12-34, , ja_JP, pt;q=0.000, ko;q=1.000'), [
      { range: 'ko', q: 1 },
      { range: 'pt', q: 0 },
    ]);
    assert.deepEqual(parseAcceptLanguage(''), []);
    assert.deepEqual(parseAcceptLanguage(null), []);
  });

  test('a huge header is read only as far as a browser would send', () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `x${'abcdefghij'[i % 10]}`).join(',') + ',ja';
    assert.equal(parseAcceptLanguage(header).length, 32);
    assert.equal(negotiateLocale(header, SHIPPED, 'en'), 'en', 'the range past the limit is not read');
  });
});

describe('matching a range to the available locales', () => {
  test('exact, case-insensitive; lookup by dropping subtags; region fallback within a script', () => {
    assert.equal(matchLocale('JA', SHIPPED), 'ja');
    assert.equal(matchLocale('en-GB', SHIPPED), 'en');
    assert.equal(matchLocale('de-CH-1996', SHIPPED), 'de');
    assert.equal(matchLocale('es-419', SHIPPED), 'es');
    assert.equal(matchLocale('pt-br', SHIPPED), 'pt-BR');
    assert.equal(matchLocale('pt', SHIPPED), 'pt-BR', 'pt is Brazilian in CLDR');
    assert.equal(matchLocale('pt-PT', SHIPPED), 'pt-BR', 'the only Portuguese shipped, rather than English');
    assert.equal(matchLocale('zh-CN', SHIPPED), 'zh');
    assert.equal(matchLocale('zh-Hans', SHIPPED), 'zh');
    assert.equal(matchLocale('zh-Hans-SG', SHIPPED), 'zh');
    assert.equal(matchLocale('it', SHIPPED), undefined);
  });

  test('Traditional Chinese never gets Simplified: zh-TW, zh-HK, zh-Hant find nothing until an app adds one', () => {
    for (const tag of ['zh-TW', 'zh-HK', 'zh-Hant', 'zh-Hant-TW']) assert.equal(matchLocale(tag, SHIPPED), undefined, tag);
    assert.equal(matchLocale('zh-HK', [...SHIPPED, 'zh-TW']), 'zh-TW', 'Traditional to Traditional');
    assert.equal(matchLocale('zh-Hant', [...SHIPPED, 'zh-TW']), 'zh-TW');
    assert.equal(negotiateLocale('zh-TW, zh;q=0.5', SHIPPED, 'en'), 'zh', 'a reader who also accepts zh gets it');
    assert.equal(negotiateLocale('zh-TW, ja;q=0.5', SHIPPED, 'en'), 'ja');
  });

  test('an app locale is preferred to a cousin: pt-PT added, pt-PT and pt-AO get it, pt-BR keeps its own', () => {
    const available = [...SHIPPED, 'pt-PT'];
    assert.equal(matchLocale('pt-PT', available), 'pt-PT');
    assert.equal(matchLocale('pt-BR', available), 'pt-BR');
    assert.equal(matchLocale('pt', available), 'pt-BR');
    assert.equal(matchLocale('pt-AO', available), 'pt-BR', 'no closer match: the language default');
  });
});

describe('negotiation', () => {
  test('the first acceptable match by weight; * is the fallback; q=0 refuses', () => {
    assert.equal(negotiateLocale('it, de;q=0.7, ja;q=0.8', SHIPPED, 'en'), 'ja');
    assert.equal(negotiateLocale('it, *;q=0.5', SHIPPED, 'en'), 'en');
    assert.equal(negotiateLocale('it', SHIPPED, 'en'), 'en');
    assert.equal(negotiateLocale(undefined, SHIPPED, 'en'), 'en');
    assert.equal(negotiateLocale('fr-CA, en;q=0', SHIPPED, 'en'), 'fr');
    assert.equal(negotiateLocale('it, en;q=0', SHIPPED, 'en'), 'ja', 'the fallback refused: the first available locale that is not');
    assert.equal(negotiateLocale('en-US;q=0, en', SHIPPED, 'en'), 'en', 'refusing en-US does not refuse en');
    assert.equal(negotiateLocale('pt;q=0, pt-BR', SHIPPED, 'en'), 'en', 'pt;q=0 refuses every Portuguese');
  });

  test('direction: rtl for Arabic, Hebrew, Persian, Urdu by script; ltr otherwise', () => {
    assert.deepEqual(['ar', 'he', 'fa', 'ur', 'ar-Latn', 'ja', 'en', 'not a tag!'].map(textDirection), ['rtl', 'rtl', 'rtl', 'rtl', 'ltr', 'ltr', 'ltr', 'ltr']);
  });
});

async function page(config: AuthConfig, path: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; vary: string | null }> {
  const auth = createAuth({ url: 'http://localhost:3000/api/auth', ...config });
  const response = await auth.handler(new Request(`http://localhost:3000/api/auth/${path}`, { headers }));
  return { status: response.status, html: await response.text(), vary: response.headers.get('vary') };
}

const langOf = (html: string) => /<html lang="([^"]*)" dir="([^"]*)">/.exec(html)?.slice(1, 3);

describe('a request gets its locale', () => {
  test('Accept-Language picks the page language, and the page says Vary: Accept-Language', async () => {
    const answer = await page(credentialsConfig(), 'signout', { 'accept-language': 'it-IT, en-GB;q=0.9' });
    assert.deepEqual(langOf(answer.html), ['en', 'ltr']);
    assert.match(answer.vary ?? '', /Accept-Language/);
    const none = await page(credentialsConfig(), 'signout');
    assert.deepEqual(langOf(none.html), ['en', 'ltr']);
  });

  test('?lang= wins over Accept-Language and the locale option, is validated, and the page no longer varies by the header', async () => {
    const config = credentialsConfig({ messages: { 'pt-PT': { 'signout.heading': 'Terminar sessão' } } });
    const chosen = await page(config, 'signout?lang=pt-PT', { 'accept-language': 'ja' });
    assert.deepEqual(langOf(chosen.html), ['pt-PT', 'ltr']);
    assert.match(chosen.html, /<h1>Terminar sessão<\/h1>/);
    assert.equal(chosen.vary, null);
    assert.match(chosen.html, /<input type="hidden" name="lang" value="pt-PT">/, 'the form carries the choice on to its POST');
    assert.doesNotMatch((await page(config, 'signout', { 'accept-language': 'pt-PT' })).html, /name="lang"/, 'a negotiated locale needs no field: the POST sends the same header');
    const unknown = await page(config, `signout?lang=${encodeURIComponent('"><x')}`, { 'accept-language': 'pt-PT' });
    assert.deepEqual(langOf(unknown.html), ['pt-PT', 'ltr'], 'an invalid ?lang= is ignored');
    const fixed = await page({ ...config, locale: 'en' }, 'signout?lang=pt-PT');
    assert.deepEqual(langOf(fixed.html), ['pt-PT', 'ltr']);
  });

  test('the locale option: a tag for every request, or a function of the request (undefined falls back to the header)', async () => {
    const messages = { 'es-MX': { 'signout.question': '¿Seguro que quieres cerrar sesión?' } };
    const fixed = await page(credentialsConfig({ locale: 'es-mx', messages }), 'signout', { 'accept-language': 'en' });
    assert.deepEqual(langOf(fixed.html), ['es-MX', 'ltr']);
    assert.equal(fixed.vary, null, 'a fixed locale does not depend on the header');
    assert.match(fixed.html, /<p>¿Seguro que quieres cerrar sesión\?<\/p>/);
    assert.match(fixed.html, /<h1>Cerrar sesión<\/h1>/, 'a key es-MX leaves out comes from the shipped es, not English');
    const byCookie = credentialsConfig({ messages, locale: (request) => /(?:^|; )lang=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] });
    assert.deepEqual(langOf((await page(byCookie, 'signout', { cookie: 'lang=es-MX', 'accept-language': 'en' })).html), ['es-MX', 'ltr']);
    const fallback = await page(byCookie, 'signout', { 'accept-language': 'es-MX' });
    assert.deepEqual(langOf(fallback.html), ['es-MX', 'ltr']);
    assert.match(fallback.vary ?? '', /Accept-Language/);
  });

  test('messages: an app locale is rtl when its script is, and a key it leaves out falls back to English', async () => {
    const config = credentialsConfig({ messages: { ar: { 'signout.heading': 'تسجيل الخروج' } } });
    const answer = await page(config, 'signout', { 'accept-language': 'ar-EG' });
    assert.deepEqual(langOf(answer.html), ['ar', 'rtl']);
    assert.match(answer.html, /<h1>تسجيل الخروج<\/h1>/);
    assert.match(answer.html, /Are you sure you want to sign out\?/);
  });

  test('messages override a shipped locale key by key', async () => {
    const answer = await page(credentialsConfig({ messages: { en: { 'signout.question': 'Leaving already?' } } }), 'signout');
    assert.match(answer.html, /<p>Leaving already\?<\/p>/);
    assert.match(answer.html, /<h1>Sign out<\/h1>/);
  });

  test('misconfiguration is a TypeError that says what to fix', () => {
    const rejects = (options: Partial<AuthConfig>, message: RegExp) =>
      assert.throws(
        () => createAuth(credentialsConfig(options)),
        (error: unknown) => error instanceof TypeError && message.test(error.message),
      );
    rejects({ locale: 'tlh' }, /`locale` is "tlh", which no catalogue has\. Use one of en, .*messages: \{ "tlh"/);
    rejects({ locale: 42 as unknown as string }, /`locale` is neither a string nor a function/);
    rejects({ messages: [] as unknown as NonNullable<AuthConfig['messages']> }, /`messages` is not an object/);
    rejects({ messages: { 'not a tag': {} } }, /`messages\["not a tag"\]` is "not a tag", not a BCP 47 language tag/);
    rejects({ messages: { ja: { 'signin.headline': 'x' } as never } }, /`messages\["ja"\]\["signin.headline"\]` is not a message key/);
    rejects({ messages: { ja: { 'signin.heading': '' } } }, /is not a non-empty string/);
    rejects({ messages: { ja: { 'signin.withProvider': '{name} でサインイン' } } }, /uses \{name\}, which is never filled\. Its placeholders are: \{provider\}/);
    rejects({ messages: { 'PT-pt': {}, 'pt-PT': {} } }, /names pt-PT a second time/);
  });
});
