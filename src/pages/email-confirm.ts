// The opt-in magic-link confirmation: a POST button, so only a person (not a link scanner's GET) spends the token.
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';

export function renderEmailConfirmPage(input: { action: string; csrfToken: string; token: string; email: string; callbackUrl: string; theme: Theme }): string {
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
  const body = html`<h1>Sign in</h1><p>Continue as <strong>${input.email}</strong>?</p><form action="${input.action}" method="POST">${hidden('csrfToken', input.csrfToken)}${hidden('token', input.token)}${hidden('email', input.email)}${hidden('callbackUrl', input.callbackUrl)}<button type="submit">Sign in</button></form>`;
  return renderDocument({ title: 'Sign In', theme: input.theme, body });
}
