// The built-in "check your email" page shown after a magic link was sent.
import type { Theme } from '../types.js';
import { escapeHtml, renderDocument } from './html.js';

export function renderVerifyRequestPage(input: { origin: string; theme: Theme }): string {
  const host = escapeHtml(new URL(input.origin).host);
  const body = `<h1>Check your email</h1><p>We sent you a link to sign in. It works once and expires soon.</p><a class="button" href="${escapeHtml(input.origin)}">Back to ${host}</a>`;
  return renderDocument({ title: 'Verify Request', theme: input.theme, body });
}
