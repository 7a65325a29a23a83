// The locale catalogue: the shipped locales, the `Messages` type every one of them satisfies, and the formatter pages and mails read their text through.
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { ja } from './ja.js';
import { ko } from './ko.js';
import { ptBR } from './pt-BR.js';
import { zh } from './zh.js';

/** Every string of the built-in pages and mails, by key: English is the reference, so a locale missing a key is a type error. */
export type Messages = { readonly [K in keyof typeof en]: string };
export type MessageKey = keyof Messages;

/**
 * The locales gatehouse ships, by the tag pages carry in `<html lang>`. `zh` is Simplified Chinese
 * (`zh-CN`, `zh-Hans`, `zh-SG` reach it; Traditional does not, see `negotiate.ts`); `pt-BR` is the
 * one Portuguese, so `pt` and `pt-PT` reach it too.
 */
export const SHIPPED_LOCALES: Readonly<Record<string, Messages>> = Object.freeze({ en, ja, ko, zh, es, fr, de, 'pt-BR': ptBR });

export const DEFAULT_LOCALE = 'en';

export { en };

/** The `{name}` placeholders of a message, for the catalogue test and for checking an app's overrides. */
export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((match) => match[1]!).sort();
}

/** Scripts written right to left (Unicode's script codes); the direction of a tag comes from its likely script. */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr']);

/** `rtl` for Arabic, Hebrew, Persian, Urdu… (by the likely script, so `ar-Latn` stays `ltr`), else `ltr`. */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  try {
    const script = new Intl.Locale(tag).maximize().script;
    return script !== undefined && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/** A placeholder's value: text as it is, a number formatted for the locale, a duration in seconds spelled out. */
export type MessageValue = string | number | { seconds: number };

/** What a page or mail writes with: the locale, its direction, and its messages (an app's overrides merged over the shipped text and English). */
export interface Translator {
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  readonly messages: Messages;
  /** The user named this locale (`?lang=`): the page's forms carry it on to their POST. */
  readonly pinned?: boolean;
  /** The message with its placeholders filled (an unknown placeholder is left as written). */
  t(key: MessageKey, values?: Readonly<Record<string, MessageValue>>): string;
  /**
   * A message that depends on a count ("1 code left" / "3 codes left"): the key `<base>.<category>`
   * for the locale's plural category of `count` (`Intl.PluralRules`: one, few, many, …), else
   * `<base>.other`; `{count}` is filled, formatted for the locale.
   */
  plural(base: PluralBase, count: number, values?: Readonly<Record<string, MessageValue>>): string;
}

/** Message keys that come in plural forms: English has `<base>.one` and `<base>.other`. */
export type PluralBase = { [K in MessageKey]: K extends `${infer B}.other` ? (`${B}.one` extends MessageKey ? B : never) : never }[MessageKey];

/**
 * A duration for "expires in …": the largest of days, hours, minutes that divides it into a whole
 * number (24 h → "24 hours", 90 min → "90 minutes"), worded by `Intl.NumberFormat`'s unit style,
 * so "24 時間", "24 Stunden", "24小时" need no plural rules of ours.
 */
export function formatDuration(seconds: number, locale: string): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const [value, unit] = minutes % 1440 === 0 && minutes >= 2880 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value as number);
}

export function formatMessage(message: string, locale: string, values: Readonly<Record<string, MessageValue>> = {}): string {
  return message.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    const value = values[name]!;
    if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
    if (typeof value === 'object') return formatDuration(value.seconds, locale);
    return value;
  });
}

export function createTranslator(locale: string, messages: Messages): Translator {
  return Object.freeze({
    locale,
    dir: textDirection(locale),
    messages,
    t: (key: MessageKey, values?: Readonly<Record<string, MessageValue>>) => formatMessage(messages[key], locale, values),
    plural: (base: PluralBase, count: number, values?: Readonly<Record<string, MessageValue>>) => {
      const forms = messages as unknown as Readonly<Record<string, string | undefined>>;
      const category = new Intl.PluralRules(locale).select(count);
      const message = forms[`${base}.${category}`] ?? forms[`${base}.other`] ?? '';
      return formatMessage(message, locale, { ...values, count });
    },
  });
}

/** English, for the places that render before a request is known (tests, the default). */
export const ENGLISH: Translator = createTranslator(DEFAULT_LOCALE, en);
