// The built-in sign-in page: one form per provider, the credentials fields each declares, and the error banner.
import type { ResolvedProvider } from '../config.js';
import type { Translator } from '../locales/index.js';
import type { CredentialInput, Theme } from '../types.js';
import { html, raw, renderDocument, safeImageUrl, type SafeHtml } from './html.js';
import { PASSKEY_SCRIPT } from './passkey-script.js';
import { langField } from './text.js';
import { formMessage, noticeMessage } from './messages.js';

export interface SigninPageInput {
  base: string;
  providers: readonly ResolvedProvider[];
  csrfToken: string;
  callbackUrl: string;
  error?: string;
  /** The precise reason beside `error` (`AccountLocked` beside `CredentialsSignin`). */
  code?: string;
  /** A notice after a lifecycle step: `verified`, `reset`. */
  notice?: string;
  email?: string;
  /** The Password provider's links, when it is configured (sign-up only when it allows sign-up). */
  passwordLinks?: { signUp: string | undefined; forgot: string };
  theme: Theme;
  text: Translator;
}

/** Input attributes a provider may set; anything else (event handlers, `style`, …) is not rendered. */
const INPUT_ATTRIBUTES = ['type', 'placeholder', 'value', 'autocomplete', 'required', 'pattern', 'minlength', 'maxlength', 'inputmode', 'autofocus'] as const;

/** The sign-in error banner's id, which the fields a failed sign-in concerns point at. */
const ERROR_ID = 'signin-error';

function credentialInput(provider: string, key: string, input: CredentialInput, invalid: boolean): SafeHtml {
  const id = `input-${provider}-${key}`;
  const attributes = [html`id="${id}"`, html`name="${key}"`];
  // A refused sign-in concerns these fields: screen readers say so and read the banner with them (WCAG 3.3.1).
  if (invalid) attributes.push(html`aria-invalid="true"`, html`aria-describedby="${ERROR_ID}"`);
  for (const attribute of INPUT_ATTRIBUTES) {
    const value = input[attribute];
    if (value === undefined || value === false || value === null) continue;
    attributes.push(value === true ? html`${attribute}` : html`${attribute}="${value}"`);
  }
  if (input.type === undefined) attributes.push(html`type="text"`);
  const joined = attributes.map((attribute, index) => (index > 0 ? html` ${attribute}` : attribute));
  return html`<label for="${id}">${input.label ?? key}</label><input ${joined}>`;
}

function providerForm(input: SigninPageInput, provider: ResolvedProvider): SafeHtml {
  const { text } = input;
  const hidden = html`<input type="hidden" name="csrfToken" value="${input.csrfToken}">${langField(text)}`;
  const name = provider.name;
  if (provider.type === 'credentials') {
    const fields = Object.entries(provider.config.credentials ?? {}).map(([key, field]) => credentialInput(provider.id, key, field ?? {}, input.error === 'CredentialsSignin'));
    return html`<form action="${`${input.base}/callback/${provider.id}`}" method="POST">${hidden}${fields}<button type="submit">${text.t('signin.withProvider', { provider: name })}</button></form>`;
  }
  if (provider.type === 'password') {
    const emailId = `input-email-for-${provider.id}`;
    const passwordId = `input-password-for-${provider.id}`;
    const links = input.passwordLinks;
    const extra = links ? html`<p class="links"><a href="${links.forgot}">${text.t('signin.forgotPassword')}</a>${links.signUp ? html` · <a href="${links.signUp}">${text.t('signin.createAccount')}</a>` : ''}</p>` : '';
    return html`<form action="${`${input.base}/callback/${provider.id}`}" method="POST">${hidden}<input type="hidden" name="callbackUrl" value="${input.callbackUrl}"><label for="${emailId}">${text.t('common.email')}</label><input id="${emailId}" type="email" name="email" autocomplete="username" required value="${input.email ?? ''}"><label for="${passwordId}">${text.t('common.password')}</label><input id="${passwordId}" type="password" name="password" autocomplete="current-password" required><button type="submit">${text.t('common.signIn')}</button></form>${extra}`;
  }
  if (provider.type === 'email') {
    const id = `input-email-for-${provider.id}`;
    // The factory's default name ("Email") is English; a name the app chose is shown as it is.
    const named = typeof (provider.config.options as { name?: unknown } | undefined)?.name === 'string';
    const label = named ? text.t('signin.withProvider', { provider: name }) : text.t('signin.withEmail');
    return html`<form action="${`${input.base}/signin/${provider.id}`}" method="POST">${hidden}<label for="${id}">${text.t('common.email')}</label><input id="${id}" type="email" name="email" autocomplete="email" required placeholder="${text.t('signin.emailPlaceholder')}" value="${input.email ?? ''}"><button type="submit">${label}</button></form>`;
  }
  if (provider.type === 'webauthn') {
    // Hidden until the page script finds WebAuthn (no script, no button); it fills `data` and submits.
    const options = `${input.base}/webauthn-options/${provider.id}?action=authenticate`;
    return html`<form action="${`${input.base}/callback/${provider.id}`}" method="POST">${hidden}<input type="hidden" name="callbackUrl" value="${input.callbackUrl}"><input type="hidden" name="action" value="authenticate"><input type="hidden" name="data" value=""><button type="button" id="passkey-signin" data-options="${options}" hidden>${text.t('signin.withPasskey')}</button></form><script>${raw(PASSKEY_SCRIPT)}</script>`;
  }
  const style = provider.config.style;
  const logo = safeImageUrl(typeof style?.logo === 'string' ? style.logo : undefined);
  const icon = logo ? html`<img src="${logo}" alt="" width="20" height="20" class="provider-logo">` : '';
  return html`<form action="${`${input.base}/signin/${provider.id}`}" method="POST">${hidden}<input type="hidden" name="callbackUrl" value="${input.callbackUrl}"><button type="submit">${icon}<span>${text.t('signin.withProvider', { provider: name })}</span></button></form>`;
}

export function renderSigninPage(input: SigninPageInput): string {
  const { text } = input;
  const noticeText = noticeMessage(text, input.notice);
  const notice = noticeText ? html`<div class="notice" role="status"><p>${noticeText}</p></div>` : '';
  const banner = input.error ? html`<div class="error" id="${ERROR_ID}" role="alert"><p>${formMessage(text, input.error, input.code)}</p></div>` : notice;
  const forms = input.providers.map((provider) => providerForm(input, provider));
  // OAuth buttons first, then a divider before each form that has fields, as users expect.
  const body = forms.map((form, index) => (index > 0 && input.providers[index]!.type !== 'oauth' && input.providers[index]!.type !== 'oidc' ? html`<hr class="divider">${form}` : form));
  return renderDocument({ title: text.t('signin.title'), theme: input.theme, body: html`<h1>${text.t('signin.heading')}</h1>${banner}${body}`, text });
}
