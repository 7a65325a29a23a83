// The page that re-posts a `form_post` authorization response from our own origin, so the callback gets its SameSite=Lax cookies.
import type { Translator } from '../locales/index.js';
import { html } from './html.js';

/** The page's only script; `security-headers.ts` allows it by its SHA-256, so no other inline script can run. */
export const AUTO_SUBMIT_SCRIPT = 'document.forms[0].submit()';

/** Marks the same-site re-submission of a `form_post` response, so it is not re-posted again. */
export const REPOST_FIELD = 'gatehouse_repost';

/**
 * `response_mode=form_post` (Apple) delivers the response as a cross-site POST, which carries no
 * SameSite=Lax cookie: not the checks, not the callback URL, not the session. Rather than weaken
 * those cookies to SameSite=None, the callback answers that POST with a page that re-submits the
 * same fields from our own origin, a same-site POST that does carry them. The fields are not
 * trusted for being re-posted: state, PKCE and nonce are checked as for any callback.
 */
export function renderRepostPage(action: string, params: URLSearchParams, text: Translator): string {
  const inputs = [...params].filter(([key]) => key !== REPOST_FIELD).map(([key, value]) => html`<input type="hidden" name="${key}" value="${value}">`);
  return html`<!DOCTYPE html><html lang="${text.locale}" dir="${text.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${text.t('repost.title')}</title></head><body><main><h1>${text.t('repost.title')}</h1><form method="post" action="${action}">${inputs}<input type="hidden" name="${REPOST_FIELD}" value="1"><button type="submit">${text.t('repost.continue')}</button></form></main><script>${AUTO_SUBMIT_SCRIPT}</script></body></html>`
    .value;
}
