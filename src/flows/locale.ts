// The locale of one request, chosen once: `?lang=` (or a form's `lang`), then the `locale` option, then Accept-Language, then English.
import type { RouteContext } from '../context.js';
import { DEFAULT_LOCALE, type Messages, type Translator } from '../locales/index.js';
import { matchLocale, negotiateLocale } from '../locales/negotiate.js';

/** A request's text, and whether the user named the locale (`?lang=`), so the page's forms carry it on to the POST. */
export interface RequestLocale {
  readonly text: Translator;
  readonly pinned: boolean;
  /** The answer depends on Accept-Language: pages send `Vary: Accept-Language`. */
  readonly varies: boolean;
}

/** Longer than any real tag (BCP 47 tags in use stay under 20 characters): not worth matching. */
const MAX_TAG = 35;
const MAX_NEGOTIATED = 64;

function asTag(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TAG ? value : undefined;
}

export function requestLocale(ctx: RouteContext): RequestLocale {
  const cached = ctx.memo.get('locale') as RequestLocale | undefined;
  if (cached) return cached;
  const locales = ctx.config.locales;
  const translator = (tag: string) => locales.translators.get(tag) ?? locales.translators.get(DEFAULT_LOCALE)!;
  let chosen: RequestLocale;
  // The user's own choice wins: a language switcher's link, or the hidden field of a form it rendered.
  const requested = asTag(ctx.query.lang) ?? asTag(ctx.body.lang);
  const named = requested === undefined ? undefined : matchLocale(requested, locales.available);
  if (named) {
    chosen = { text: translator(named), pinned: true, varies: false };
  } else if (locales.fixed) {
    chosen = { text: translator(locales.fixed), pinned: false, varies: false };
  } else {
    const own = locales.choose ? asTag(locales.choose(ctx.request)) : undefined;
    const picked = own === undefined ? undefined : matchLocale(own, locales.available);
    if (picked) {
      chosen = { text: translator(picked), pinned: false, varies: false };
    } else {
      const header = ctx.header('accept-language') ?? '';
      let tag = locales.negotiated.get(header);
      if (tag === undefined) {
        tag = negotiateLocale(header, locales.available, DEFAULT_LOCALE);
        if (locales.negotiated.size >= MAX_NEGOTIATED) locales.negotiated.clear();
        locales.negotiated.set(header, tag);
      }
      chosen = { text: translator(tag), pinned: false, varies: true };
    }
  }
  ctx.memo.set('locale', chosen);
  return chosen;
}

/** The request's text: what routes hand to the page renderers and the mail senders. */
export function pageText(ctx: RouteContext): Translator {
  const { text, pinned } = requestLocale(ctx);
  return pinned ? { ...text, pinned } : text;
}

/** What a mail sender is told: the locale of the request that triggered the mail, and its text. */
export function mailLocale(ctx: RouteContext): { locale: string; messages: Messages } {
  const { text } = requestLocale(ctx);
  return { locale: text.locale, messages: text.messages };
}

/** Whether this request's answer was worded by its Accept-Language (asked after the route ran; computes nothing). */
export function variesByLanguage(ctx: RouteContext): boolean {
  return (ctx.memo.get('locale') as RequestLocale | undefined)?.varies === true;
}
