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

const FORM_ERROR_ID = 'form-error';

/** The field a refused form's error concerns; errors of the whole form (CAPTCHA, a spent link) mark none. */
export type FieldRole = 'email' | 'newPassword' | 'currentPassword';
const ROLE_OF_ERROR: Readonly<Record<string, FieldRole>> = { WeakPassword: 'newPassword', PasswordBreached: 'newPassword', EmailInUse: 'email' };

/**
 * `aria-invalid` and `aria-describedby` (the banner) for the field `role` when the page's error
 * (`code` first, then `error`) concerns it, so screen readers say which field to fix (WCAG 3.3.1).
 * `extra` maps page-specific errors (the change page: a wrong current password).
 */
export function invalidIf(page: Pick<FormPageInput, 'error' | 'code'>, role: FieldRole, extra: Readonly<Record<string, FieldRole>> = {}): Record<string, string> {
  const reason = [page.code, page.error].find((value) => value !== undefined && (Object.hasOwn(extra, value) || Object.hasOwn(ROLE_OF_ERROR, value)));
  const concerned = reason === undefined ? undefined : (extra[reason] ?? ROLE_OF_ERROR[reason]);
  return concerned === role ? { 'aria-invalid': 'true', 'aria-describedby': FORM_ERROR_ID } : {};
}

/** The banner for `?error=` (and its `code`): a fixed message per code, never the query text itself. */
export function errorBanner(text: Translator, error: string | undefined, code: string | undefined, minLength?: number): SafeHtml | '' {
  return error ? html`<div class="error" id="${FORM_ERROR_ID}" role="alert"><p>${formMessage(text, error, code, minLength)}</p></div>` : '';
}

export interface FormPageInput {
  /** The auth API's base URL. */
  base: string;
  csrfToken: string;
  error?: string | undefined;
  code?: string | undefined;
  text: Translator;
}
