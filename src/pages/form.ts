// The pieces the Password provider's pages share: hidden fields, labelled inputs, the error banner.
import type { Translator } from '../locales/index.js';
import { html, type SafeHtml } from './html.js';
import { formMessage } from './messages.js';

export function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

export function input(id: string, label: string, attributes: Record<string, string | boolean>): SafeHtml {
  // Attribute names are this repository's constants; their values are escaped.
  const rendered = Object.entries(attributes)
    .filter(([, value]) => value !== false)
    .map(([key, value], index) => html`${index > 0 ? ' ' : ''}${value === true ? key : html`${key}="${value}"`}`);
  return html`<label for="${id}">${label}</label><input id="${id}" ${rendered}>`;
}

/** The banner for `?error=` (and its `code`): a fixed message per code, never the query text itself. */
export function errorBanner(text: Translator, error: string | undefined, code: string | undefined, minLength?: number): SafeHtml | '' {
  return error ? html`<div class="error" role="alert"><p>${formMessage(text, error, code, minLength)}</p></div>` : '';
}

export interface FormPageInput {
  /** The auth API's base URL. */
  base: string;
  csrfToken: string;
  error?: string | undefined;
  code?: string | undefined;
  text: Translator;
}
