// The verification link's landing page: a button that POSTs, so a mail scanner's GET of the link cannot spend it.
import type { Theme } from '../types.js';
import { hidden } from './form.js';
import { html, renderDocument } from './html.js';

export function renderVerifyEmailPage(page: { base: string; csrfToken: string; token: string; theme: Theme }): string {
  const body = html`<h1>Confirm your email</h1><p>One more step: confirm this address to finish creating your account.</p><form action="${`${page.base}/verify-email`}" method="POST">${hidden('csrfToken', page.csrfToken)}${hidden('token', page.token)}<button type="submit">Confirm email</button></form>`;
  return renderDocument({ title: 'Confirm email', theme: page.theme, body });
}
