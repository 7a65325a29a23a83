// The built-in second-step page: a code from the authenticator app, or a backup code, posted to `callback/two-factor` with the CSRF token.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { html, raw, renderDocument } from './html.js';
import { PASSKEY_SCRIPT } from './passkey-script.js';
import { langField } from './text.js';

/** flows/mailed-code.ts's EMAIL_CODE_SECONDS (pages import no flows): how long the mailed code lasts. */
const EMAIL_CODE_SECONDS = 600;

export interface TwoFactorPageInput {
  base: string;
  csrfToken: string;
  callbackUrl: string;
  /** `InvalidTwoFactorCode` after a wrong code, `EmailCodeUnavailable` or `RateLimited` after the email-code button; anything else shows no message. */
  error?: string;
  /** Email codes on (`twoFactor.emailCode`): `offer` a button that mails one, or `sent` (after it did) the field for it. */
  emailCode?: 'offer' | 'sent';
  /** Days a ticked "trust this device" lasts; undefined when the instance turned it off. */
  trustDays?: number;
  /** `email`: email codes are the pending user's own second factor, so the page asks for those (and backup codes) only, no app code. */
  factor?: 'email';
  /** A Passkey provider's id: a passkey of the pending user completes the sign-in too (`callback/<id>`). */
  passkeyProvider?: string;
  theme: Theme;
  text: Translator;
}

export function renderTwoFactorPage(input: TwoFactorPageInput): string {
  const { text } = input;
  const action = `${input.base}/callback/two-factor`;
  const hidden = html`<input type="hidden" name="csrfToken" value="${input.csrfToken}">${langField(text)}<input type="hidden" name="callbackUrl" value="${input.callbackUrl}">`;
  // One checkbox per form (each form posts only its own fields); the ids differ so each label has its box.
  const trust = (id: string) =>
    input.trustDays === undefined ? '' : html`<label class="check" for="${id}"><input id="${id}" name="trustDevice" type="checkbox" value="1">${text.plural('twoFactor.trustDevice', input.trustDays)}</label>`;
  // RateLimited: the email-code button past its sends (or the code attempts), said rather than a silent page.
  const messages: Readonly<Record<string, string>> = { InvalidTwoFactorCode: text.t('twoFactor.invalidCode'), EmailCodeUnavailable: text.t('twoFactor.emailUnavailable'), RateLimited: text.t('signin.error.rateLimited') };
  const message = input.error !== undefined && Object.hasOwn(messages, input.error) ? messages[input.error] : undefined;
  const error = message === undefined ? '' : html`<div class="error" id="two-factor-error" role="alert"><p>${message}</p></div>`;
  // A refused code concerns the code field: screen readers say so and read the banner with it (WCAG 3.3.1).
  const invalid = input.error === 'InvalidTwoFactorCode' ? html` aria-invalid="true" aria-describedby="two-factor-error"` : '';
  // After "email me a code": the field for it first; before, a button that sends one (a form post to two-factor/email-code, which comes back here).
  const byEmail = input.factor === 'email';
  const emailed =
    input.emailCode === 'sent'
      ? [
          html`<form action="${action}" method="POST">${hidden}<p role="status">${text.t('twoFactor.emailSent', { duration: { seconds: EMAIL_CODE_SECONDS } })}</p><label for="emailCode">${text.t('twoFactor.emailCode')}</label>`,
          html`<input id="emailCode" name="emailCode" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required${byEmail ? html` autofocus${invalid}` : ''}>`,
          trust('trustDeviceEmail'),
          html`<button type="submit">${text.t('twoFactor.verify')}</button></form><hr class="divider">`,
        ]
      : [];
  // Email codes as the user's own factor: "Email me a code" (or a new one), not "instead" of an app they do not have.
  const sendLabel = !byEmail ? text.t('twoFactor.emailMe') : input.emailCode === 'sent' ? text.t('twoFactor.emailResend') : text.t('twoFactor.emailSend');
  const offer =
    input.emailCode === 'offer' || (byEmail && input.emailCode === 'sent')
      ? html`<hr class="divider"><form action="${input.base}/two-factor/email-code" method="POST">${hidden}<input type="hidden" name="page" value="1"><button class="secondary" type="submit">${sendLabel}</button></form>`
      : '';
  const app = byEmail
    ? []
    : [
        html`<form action="${action}" method="POST">${hidden}<label for="code">${text.t('twoFactor.code')}</label>`,
        html`<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus${invalid}>`,
        trust('trustDevice'),
        html`<button type="submit">${text.t('twoFactor.verify')}</button></form><hr class="divider">`,
      ];
  // The sign-in page's passkey button and script (one static script, allowed by hash): hidden until
  // WebAuthn is there; callback/<id> refuses a passkey of anyone but the pending sign-in's user.
  const passkey =
    input.passkeyProvider === undefined
      ? ''
      : html`<hr class="divider"><form action="${`${input.base}/callback/${input.passkeyProvider}`}" method="POST">${hidden}<input type="hidden" name="action" value="authenticate"><input type="hidden" name="data" value=""><button class="secondary" type="button" id="passkey-signin" data-options="${`${input.base}/webauthn-options/${input.passkeyProvider}?action=authenticate`}" hidden>${text.t('twoFactor.usePasskey')}</button></form><script>${raw(PASSKEY_SCRIPT)}</script>`;
  const lead = byEmail ? text.t('twoFactor.emailLead') : text.t('twoFactor.lead', { digits: 6 });
  const body = html`<h1>${text.t('twoFactor.heading')}</h1>${error}<p>${lead}</p>${[
    ...emailed,
    ...app,
    html`<form action="${action}" method="POST">${hidden}<label for="backupCode">${text.t('twoFactor.backupCode')}</label>`,
    html`<input id="backupCode" name="backupCode" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="16" required>`,
    trust('trustDeviceBackup'),
    html`<button class="secondary" type="submit">${text.t('twoFactor.useBackupCode')}</button></form>`,
    offer,
    passkey,
  ]}`;
  return renderDocument({ title: text.t('twoFactor.title'), theme: input.theme, body, text });
}
