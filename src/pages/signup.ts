// The built-in sign-up page: email, name, password and the fields the app declared, posted to `signup/<provider>`; with a Passkey provider, the same without a password posted to `signup/<passkey id>`, and the page its mailed link opens.
import type { SignUpField, Theme } from '../types.js';
import { errorBanner, hidden, input, invalidIf, type FormPageInput } from './form.js';
import { html, raw, renderDocument, type SafeHtml } from './html.js';
import { PASSKEY_SIGNUP_SCRIPT } from './passkey-signup-script.js';
import { langField } from './text.js';

export interface SignUpPageInput extends FormPageInput {
  providerId: string;
  callbackUrl: string;
  fields: Readonly<Record<string, SignUpField>>;
  minLength: number;
  signInUrl: string;
  theme: Theme;
  /** A Passkey provider's id: a second form signs up with a passkey instead of a password. */
  passkeyProvider?: string | undefined;
}

export function renderSignUpPage(page: SignUpPageInput): string {
  const { text } = page;
  const extras = (prefix: string) =>
    Object.entries(page.fields).map(([key, spec]) => input(`${prefix}-${key}`, spec.label ?? key, { type: spec.type ?? 'text', name: key, required: spec.required === true, maxlength: String(spec.maxLength ?? 256) }));
  const identity = (prefix: string): SafeHtml =>
    html`${hidden('csrfToken', page.csrfToken)}${langField(text)}${hidden('callbackUrl', page.callbackUrl)}${input(`${prefix}-email`, text.t('common.email'), { type: 'email', name: 'email', autocomplete: 'email', required: true, ...invalidIf(page, 'email') })}${input(`${prefix}-name`, text.t('signup.name'), { type: 'text', name: 'name', autocomplete: 'name', maxlength: '256' })}${extras(prefix)}`;
  const form = html`<form action="${`${page.base}/signup/${page.providerId}`}" method="POST">${identity('signup')}${input('signup-password', text.t('common.password'), { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(page.minLength), ...invalidIf(page, 'newPassword') })}<button type="submit">${text.t('signup.submit')}</button></form>`;
  // Its own fields (ids prefixed signup-passkey-): a form is what a screen reader and the keyboard expect to submit as one.
  const passkey =
    page.passkeyProvider === undefined
      ? ''
      : html`<hr class="divider"><form action="${`${page.base}/signup/${page.passkeyProvider}`}" method="POST">${identity('signup-passkey')}<button class="secondary" type="submit">${text.t('signup.withPasskey')}</button></form>`;
  const body = html`<h1>${text.t('signup.heading')}</h1>${errorBanner(text, page.error, page.code, page.minLength)}${form}${passkey}<p class="links"><a href="${page.signInUrl}">${text.t('signup.haveAccount')}</a></p>`;
  return renderDocument({ title: text.t('signup.title'), theme: page.theme, body, text });
}

export interface PasskeySignUpPageInput extends FormPageInput {
  providerId: string;
  /** The mailed link's token: it binds the options and the answer to the address it proved. */
  token: string;
  email: string;
  callbackUrl: string;
  theme: Theme;
}

/**
 * The page a passkey sign-up link opens (GET `signup/<id>?token=…`): one button that creates the
 * passkey and posts it to `callback/<id>`. Opening it spends nothing, so a mail scanner's GET is harmless.
 */
export function renderPasskeySignUpPage(page: PasskeySignUpPageInput): string {
  const { text } = page;
  const options = `${page.base}/webauthn-options/${page.providerId}?${new URLSearchParams({ action: 'register', token: page.token })}`;
  const form = html`<form action="${`${page.base}/callback/${page.providerId}`}" method="POST">${hidden('csrfToken', page.csrfToken)}${langField(text)}${hidden('callbackUrl', page.callbackUrl)}${hidden('action', 'register')}${hidden('token', page.token)}${hidden('data', '')}<button type="button" id="passkey-signup" data-options="${options}" hidden>${text.t('signupPasskey.submit')}</button></form>`;
  const body = html`<h1>${text.t('signupPasskey.heading')}</h1>${errorBanner(text, page.error, page.code)}<p>${text.t('signupPasskey.lead', { email: page.email })}</p><p id="passkey-unsupported">${text.t('signupPasskey.unsupported')}</p>${form}<script>${raw(PASSKEY_SIGNUP_SCRIPT)}</script>`;
  return renderDocument({ title: text.t('signupPasskey.title'), theme: page.theme, body, text });
}
