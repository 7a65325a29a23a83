// Validates the `locale` and `messages` options once: which locales pages and mails can be in, and each one's text (the app's overrides over the shipped text over English).
import { createTranslator, DEFAULT_LOCALE, en, placeholdersOf, SHIPPED_LOCALES, type MessageKey, type Messages, type Translator } from '../locales/index.js';
import { matchLocale } from '../locales/negotiate.js';
import type { AuthConfig } from '../types.js';

export interface ResolvedLocales {
  /** Every locale a request can get: the shipped ones and the app's own, by canonical tag. */
  readonly available: readonly string[];
  readonly translators: ReadonlyMap<string, Translator>;
  /** `locale: "de"`: every request gets it (unless `?lang=` names another available locale). */
  readonly fixed: string | undefined;
  /** `locale: (request) => tag`: asked per request; undefined (or a tag not available) falls back to Accept-Language. */
  readonly choose: ((request: Request) => string | null | undefined) | undefined;
  /** Accept-Language values already negotiated (browsers send a handful of distinct ones), bounded. */
  readonly negotiated: Map<string, string>;
}

function fail(path: string, problem: string, fix: string): never {
  throw new TypeError(`gatehouse: \`${path}\` ${problem}. ${fix}`);
}

function canonicalTag(path: string, tag: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // RangeError: not a well-formed BCP 47 tag; reported below.
  }
  fail(path, `is ${JSON.stringify(tag)}, not a BCP 47 language tag`, 'Use a tag such as "pt-PT", "zh-TW" or "ar".');
}

const isKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(en, key);

/** An app's messages for one locale: known keys, non-empty strings, and no placeholder the English text does not fill. */
function checkOverrides(tag: string, overrides: unknown): Partial<Messages> {
  const path = `messages[${JSON.stringify(tag)}]`;
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) fail(path, 'is not an object', 'Pass `{ "signin.heading": "…" }`: message keys to their text.');
  const out: Partial<Record<MessageKey, string>> = {};
  for (const [key, value] of Object.entries(overrides)) {
    // A language with more plural forms than English (Polish `few`, Arabic `two`…) adds them beside a key that has `.other`.
    const plural = /^(.+)\.(zero|two|few|many)$/.exec(key);
    if (plural && isKey(`${plural[1]}.other`)) {
      if (typeof value !== 'string' || value.trim() === '') fail(`${path}[${JSON.stringify(key)}]`, 'is not a non-empty string', 'Give the text, or leave the key out.');
      (out as Record<string, string>)[key] = value;
      continue;
    }
    if (!isKey(key)) fail(`${path}[${JSON.stringify(key)}]`, 'is not a message key', 'The keys are those of the type `Messages` in gatehouse-auth (your editor completes them); see docs/locales.md.');
    if (typeof value !== 'string' || value.trim() === '') fail(`${path}[${JSON.stringify(key)}]`, 'is not a non-empty string', "Give the text, or leave the key out to keep gatehouse's.");
    const known = new Set(placeholdersOf(en[key]));
    const unknown = placeholdersOf(value).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      const allowed = known.size > 0 ? [...known].map((name) => `{${name}}`).join(', ') : 'none';
      fail(`${path}[${JSON.stringify(key)}]`, `uses {${unknown[0]}}, which is never filled`, `Its placeholders are: ${allowed}.`);
    }
    out[key] = value;
  }
  return out;
}

export function resolveLocales(option: AuthConfig['locale'], messages: AuthConfig['messages']): ResolvedLocales {
  const shippedTags = Object.keys(SHIPPED_LOCALES);
  const app = new Map<string, Partial<Messages>>();
  if (messages !== undefined) {
    if (!messages || typeof messages !== 'object' || Array.isArray(messages)) fail('messages', 'is not an object', 'Pass `{ ja: { "signin.heading": "…" }, "pt-PT": { … } }`: locale tags to messages.');
    for (const [key, value] of Object.entries(messages)) {
      const canonical = canonicalTag(`messages[${JSON.stringify(key)}]`, key);
      // A shipped locale keeps its spelling (`pt-br` overrides `pt-BR`).
      const tag = shippedTags.find((shipped) => shipped.toLowerCase() === canonical.toLowerCase()) ?? canonical;
      if (app.has(tag)) fail(`messages[${JSON.stringify(key)}]`, `names ${tag} a second time`, 'Give each locale once.');
      app.set(tag, checkOverrides(key, value));
    }
  }
  const available = [...shippedTags, ...[...app.keys()].filter((tag) => !shippedTags.includes(tag))];
  const translators = new Map<string, Translator>();
  for (const tag of available) {
    // An app's own locale falls back to the shipped one of its language and script (`es-MX` → `es`), then English.
    const base = SHIPPED_LOCALES[tag] ?? SHIPPED_LOCALES[matchLocale(tag, shippedTags) ?? DEFAULT_LOCALE] ?? en;
    translators.set(tag, createTranslator(tag, Object.freeze({ ...en, ...base, ...app.get(tag) })));
  }

  let fixed: string | undefined;
  let choose: ResolvedLocales['choose'];
  if (typeof option === 'string') {
    fixed = matchLocale(option, available);
    if (!fixed) fail('locale', `is ${JSON.stringify(option)}, which no catalogue has`, `Use one of ${available.join(', ')}, or add it with \`messages: { ${JSON.stringify(option)}: { … } }\`.`);
  } else if (typeof option === 'function') {
    choose = option;
  } else if (option !== undefined) {
    fail('locale', 'is neither a string nor a function', 'Pass a tag ("de") for every request, or `(request) => tag` to choose per request.');
  }
  return Object.freeze({ available: Object.freeze(available), translators, fixed, choose, negotiated: new Map() });
}
