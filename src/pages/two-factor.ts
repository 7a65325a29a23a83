// The built-in second-step page: a code from the authenticator app, or a backup code, posted to `callback/two-factor` with the CSRF token.
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';

export interface TwoFactorPageInput {
  base: string;
  csrfToken: string;
  callbackUrl: string;
  /** `InvalidTwoFactorCode` after a wrong code; anything else shows no message. */
  error?: string;
  theme: Theme;
}

export function renderTwoFactorPage(input: TwoFactorPageInput): string {
  const action = `${input.base}/callback/two-factor`;
  const hidden = html`<input type="hidden" name="csrfToken" value="${input.csrfToken}"><input type="hidden" name="callbackUrl" value="${input.callbackUrl}">`;
  const error = input.error === 'InvalidTwoFactorCode' ? html`<div class="error" role="alert"><p>That code did not work. Check your app and try again.</p></div>` : '';
  const body = html`<h1>Two-step verification</h1>${error}<p>Enter the 6-digit code from your authenticator app.</p>${[
    html`<form action="${action}" method="POST">${hidden}<label for="code">Code</label>`,
    html`<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus>`,
    html`<button type="submit">Verify</button></form><hr class="divider">`,
    html`<form action="${action}" method="POST">${hidden}<label for="backupCode">Or a backup code</label>`,
    html`<input id="backupCode" name="backupCode" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="16" required>`,
    html`<button class="secondary" type="submit">Use backup code</button></form>`,
  ]}`;
  return renderDocument({ title: 'Two-step verification', theme: input.theme, body });
}
