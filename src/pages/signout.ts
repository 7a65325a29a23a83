// The built-in sign-out confirmation: a POST form carrying the CSRF token, so a link alone cannot sign anyone out.
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';

export function renderSignoutPage(input: { base: string; csrfToken: string; callbackUrl: string; theme: Theme }): string {
  const body = html`<h1>Sign out</h1><p>Are you sure you want to sign out?</p><form action="${`${input.base}/signout`}" method="POST"><input type="hidden" name="csrfToken" value="${input.csrfToken}"><input type="hidden" name="callbackUrl" value="${input.callbackUrl}"><button type="submit">Sign out</button></form>`;
  return renderDocument({ title: 'Sign Out', theme: input.theme, body });
}
