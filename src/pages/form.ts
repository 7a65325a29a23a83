// The pieces the Password provider's pages share: hidden fields, labelled inputs, the error banner.
import { escapeHtml } from './html.js';
import { formMessage } from './messages.js';

export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export function input(id: string, label: string, attributes: Record<string, string | boolean>): string {
  const rendered = Object.entries(attributes)
    .filter(([, value]) => value !== false)
    .map(([key, value]) => (value === true ? key : `${key}="${escapeHtml(value)}"`))
    .join(' ');
  return `<label for="${escapeHtml(id)}">${escapeHtml(label)}</label><input id="${escapeHtml(id)}" ${rendered}>`;
}

/** The banner for `?error=` (and its `code`): a fixed message per code, never the query text itself. */
export function errorBanner(error: string | undefined, code: string | undefined): string {
  return error ? `<div class="error" role="alert"><p>${escapeHtml(formMessage(error, code))}</p></div>` : '';
}

export interface FormPageInput {
  /** The auth API's base URL. */
  base: string;
  csrfToken: string;
  error?: string | undefined;
  code?: string | undefined;
}
