// The built-in error page: a fixed message per error code (`pages/messages.ts`), never the raw error text.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';
import { errorView } from './messages.js';

export interface ErrorPageInput {
  /** The auth API's base URL (origin and path), for the sign-in link. */
  base: string;
  /** The site's origin, for the link home. */
  origin: string;
  theme: Theme;
  text: Translator;
}

/** The page and its status for a query's `error` (unknown values, `constructor` included, get the default page). */
export function renderErrorPage(input: ErrorPageInput, code: string): { status: number; html: string } {
  const { text } = input;
  const view = errorView(text, code);
  const link = view.signIn
    ? html`<a class="button" href="${`${input.base}/signin`}">${text.t('common.signIn')}</a>`
    : html`<a class="button" href="${input.origin}">${text.t('common.backTo', { host: new URL(input.origin).host })}</a>`;
  const page = renderDocument({ title: view.heading, theme: input.theme, body: html`<h1>${view.heading}</h1><p>${view.message}</p>${link}`, text });
  return { status: view.status, html: page };
}
