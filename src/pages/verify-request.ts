// The built-in "check your email" page shown after a magic link was sent; with the Email provider's `code: true`, the form for the mailed code too.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';
import { langField } from './text.js';

/** What the mail holds, by the `type` the redirect names: a magic link, a sign-up's verification link, a reset link. */
const TYPES = ['email', 'signup', 'reset'] as const;

/** flows/mailed-code.ts's EMAIL_CODE_SECONDS (pages import no flows): how long the mailed code lasts. */
const EMAIL_CODE_SECONDS = 600;

/** The code form: posted to `callback/<provider>` with the CSRF token and the address the code was mailed to. */
export interface CodeForm {
  action: string;
  csrfToken: string;
  callbackUrl: string;
  /** The address the code went to; without it the form asks for it. */
  email: string | undefined;
  /** `Verification` after a refused code. */
  error: string | undefined;
  /** Where a new code is asked for (the sign-in page). */
  signinUrl: string;
}

export function renderVerifyRequestPage(input: { origin: string; theme: Theme; type?: string | undefined; text: Translator; code?: CodeForm | undefined }): string {
  const { text, code } = input;
  const host = new URL(input.origin).host;
  const type = TYPES.find((name) => name === input.type) ?? 'email';
  const refused = code?.error === 'Verification';
  // A refused code concerns the code field: screen readers say so and read the banner with it (WCAG 3.3.1).
  const error = refused ? html`<div class="error" id="code-error" role="alert"><p>${text.t('verifyRequest.codeInvalid')}</p></div>` : '';
  const invalid = refused ? html` aria-invalid="true" aria-describedby="code-error"` : '';
  const form =
    type === 'email' && code
      ? html`<form action="${code.action}" method="POST"><input type="hidden" name="csrfToken" value="${code.csrfToken}">${langField(text)}<input type="hidden" name="callbackUrl" value="${code.callbackUrl}">${
          code.email === undefined
            ? html`<label for="email">${text.t('common.email')}</label><input id="email" type="email" name="email" autocomplete="email" required>`
            : html`<input type="hidden" name="email" value="${code.email}">`
        }<p>${text.t('verifyRequest.codeLead', { duration: { seconds: EMAIL_CODE_SECONDS } })}</p><label for="code">${text.t('verifyRequest.code')}</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required${refused ? html` autofocus` : ''}${invalid}><button type="submit">${text.t('verifyRequest.codeSubmit')}</button></form>${
          refused ? html`<p><a href="${code.signinUrl}">${text.t('verifyRequest.newCode')}</a></p>` : ''
        }<hr class="divider">`
      : '';
  const body = html`<h1>${text.t('verifyRequest.heading')}</h1>${error}<p>${text.t(`verifyRequest.${type}`)}</p>${form}<a class="button" href="${input.origin}">${text.t('common.backTo', { host })}</a>`;
  return renderDocument({ title: text.t('verifyRequest.title'), theme: input.theme, body, text });
}
