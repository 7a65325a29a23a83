// The shipped catalogue: every locale has every key of English, none empty, with the same {placeholders}; the checker itself is shown to catch each fault.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTranslator, en, placeholdersOf, SHIPPED_LOCALES, type Messages, type PluralBase } from '../../src/locales/index.js';

/** What is wrong with one locale's messages, one line per fault; empty when nothing is. */
function catalogueProblems(tag: string, messages: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(en) as Array<keyof typeof en>) {
    const value = messages[key];
    if (!Object.prototype.hasOwnProperty.call(messages, key)) problems.push(`${tag}: ${key} is missing`);
    else if (typeof value !== 'string' || value.trim() === '') problems.push(`${tag}: ${key} is empty`);
    else if (placeholdersOf(value).join() !== placeholdersOf(en[key]).join()) problems.push(`${tag}: ${key} has {${placeholdersOf(value).join('},{')}} where English has {${placeholdersOf(en[key]).join('},{')}}`);
  }
  for (const key of Object.keys(messages)) if (!Object.prototype.hasOwnProperty.call(en, key)) problems.push(`${tag}: ${key} is not an English key`);
  return problems;
}

describe('locale catalogue', () => {
  test('the checker reports a missing key, an empty one, a changed placeholder and an unknown key', () => {
    const broken: Record<string, unknown> = { ...en, 'signin.withProvider': 'Sign in with {name}', 'signout.submit': ' ', 'signin.heading2': 'x' };
    delete broken['signin.heading'];
    assert.deepEqual(catalogueProblems('xx', broken).sort(), [
      'xx: signin.heading is missing',
      'xx: signin.heading2 is not an English key',
      'xx: signin.withProvider has {name} where English has {provider}',
      'xx: signout.submit is empty',
    ]);
    assert.deepEqual(catalogueProblems('en', en), []);
  });

  test('every shipped locale has every key, none empty, with the placeholders of English', () => {
    const problems = Object.entries(SHIPPED_LOCALES).flatMap(([tag, messages]) => catalogueProblems(tag, messages));
    assert.deepEqual(problems, []);
  });

  test('the shipped locales are the eight issue 19 names, each with its own text', () => {
    assert.deepEqual(Object.keys(SHIPPED_LOCALES).sort(), ['de', 'en', 'es', 'fr', 'ja', 'ko', 'pt-BR', 'zh']);
    for (const [tag, messages] of Object.entries(SHIPPED_LOCALES)) {
      if (tag === 'en') continue;
      // A locale that copies English for a sentence has not translated it (short labels like "OK" may match; sentences do not).
      const copied = (Object.keys(en) as Array<keyof typeof en>).filter((key) => en[key].length > 12 && messages[key] === en[key] && key !== 'signin.emailPlaceholder');
      assert.deepEqual(copied, [], `${tag} repeats English`);
    }
  });

  test('plural forms follow Intl.PluralRules of the locale, with {count} formatted for it', () => {
    const forms = { ...en, 'codes.one': '{count} code restant', 'codes.other': '{count} codes restants', 'codes.few': '{count} kody' } as unknown as Messages;
    const base = 'codes' as PluralBase;
    const fr = createTranslator('fr', forms);
    assert.deepEqual(
      [0, 1, 2, 1500].map((n) => fr.plural(base, n)),
      ['0 code restant', '1 code restant', '2 codes restants', '1\u202f500 codes restants'],
    );
    assert.equal(createTranslator('en', forms).plural(base, 1), '1 code restant');
    assert.equal(createTranslator('pl', forms).plural(base, 3), '3 kody', 'Polish 3 is "few"');
    assert.equal(createTranslator('ja', forms).plural(base, 1), '1 codes restants', 'Japanese has only "other"');
  });
});

describe('plural keys in the shipped catalogue', () => {
  test('"trust this device for N days": singular and plural where the language has them, Intl numbers', () => {
    const en1 = createTranslator('en', SHIPPED_LOCALES.en!);
    assert.deepEqual(
      [1, 30].map((n) => en1.plural('twoFactor.trustDevice', n)),
      ['Trust this device for 1 day', 'Trust this device for 30 days'],
    );
    const fr = createTranslator('fr', SHIPPED_LOCALES.fr!);
    assert.equal(fr.plural('twoFactor.trustDevice', 1), 'Faire confiance à cet appareil pendant 1 jour');
    assert.equal(createTranslator('ja', SHIPPED_LOCALES.ja!).plural('twoFactor.trustDevice', 30), 'このデバイスを30日間信頼する');
  });
});
