// The built-in sign-in page: one form per provider, the credentials fields each declares, and the error banner.
import type { ResolvedProvider } from '../config.js';
import type { CredentialInput, Theme } from '../types.js';
import { escapeHtml, renderDocument, safeImageUrl } from './html.js';
import { formMessage, NOTICES } from './messages.js';

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
}

/** Input attributes a provider may set; anything else (event handlers, `style`, …) is not rendered. */
const INPUT_ATTRIBUTES = ['type', 'placeholder', 'value', 'autocomplete', 'required', 'pattern', 'minlength', 'maxlength', 'inputmode', 'autofocus'] as const;

function credentialInput(provider: string, key: string, input: CredentialInput): string {
  const id = `input-${provider}-${key}`;
  const attributes = [`id="${escapeHtml(id)}"`, `name="${escapeHtml(key)}"`];
  for (const attribute of INPUT_ATTRIBUTES) {
    const value = input[attribute];
    if (value === undefined || value === false || value === null) continue;
    attributes.push(value === true ? attribute : `${attribute}="${escapeHtml(value)}"`);
  }
  if (input.type === undefined) attributes.push('type="text"');
  return `<label for="${escapeHtml(id)}">${escapeHtml(input.label ?? key)}</label><input ${attributes.join(' ')}>`;
}

function providerForm(input: SigninPageInput, provider: ResolvedProvider): string {
  const hidden = `<input type="hidden" name="csrfToken" value="${escapeHtml(input.csrfToken)}">`;
  const name = escapeHtml(provider.name);
  if (provider.type === 'credentials') {
    const fields = Object.entries(provider.config.credentials ?? {})
      .map(([key, field]) => credentialInput(provider.id, key, field ?? {}))
      .join('');
    return `<form action="${escapeHtml(`${input.base}/callback/${provider.id}`)}" method="POST">${hidden}${fields}<button type="submit">Sign in with ${name}</button></form>`;
  }
  if (provider.type === 'password') {
    const emailId = `input-email-for-${provider.id}`;
    const passwordId = `input-password-for-${provider.id}`;
    const links = input.passwordLinks;
    const extra = links
      ? `<p class="links"><a href="${escapeHtml(links.forgot)}">Forgot password?</a>${links.signUp ? ` · <a href="${escapeHtml(links.signUp)}">Create account</a>` : ''}</p>`
      : '';
    return `<form action="${escapeHtml(`${input.base}/callback/${provider.id}`)}" method="POST">${hidden}<input type="hidden" name="callbackUrl" value="${escapeHtml(input.callbackUrl)}"><label for="${escapeHtml(emailId)}">Email</label><input id="${escapeHtml(emailId)}" type="email" name="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}"><label for="${escapeHtml(passwordId)}">Password</label><input id="${escapeHtml(passwordId)}" type="password" name="password" autocomplete="current-password" required><button type="submit">Sign in</button></form>${extra}`;
  }
  if (provider.type === 'email') {
    const id = `input-email-for-${provider.id}`;
    return `<form action="${escapeHtml(`${input.base}/signin/${provider.id}`)}" method="POST">${hidden}<label for="${escapeHtml(id)}">Email</label><input id="${escapeHtml(id)}" type="email" name="email" autocomplete="email" required placeholder="email@example.com" value="${escapeHtml(input.email ?? '')}"><button type="submit">Sign in with ${name}</button></form>`;
  }
  const style = provider.config.style;
  const logo = safeImageUrl(typeof style?.logo === 'string' ? style.logo : undefined);
  const icon = logo ? `<img src="${escapeHtml(logo)}" alt="" width="20" height="20" style="vertical-align:middle;margin-right:.5rem">` : '';
  return `<form action="${escapeHtml(`${input.base}/signin/${provider.id}`)}" method="POST">${hidden}<input type="hidden" name="callbackUrl" value="${escapeHtml(input.callbackUrl)}"><button type="submit">${icon}<span>Sign in with ${name}</span></button></form>`;
}

export function renderSigninPage(input: SigninPageInput): string {
  const notice = input.notice && NOTICES[input.notice] ? `<div class="notice" role="status"><p>${escapeHtml(NOTICES[input.notice])}</p></div>` : '';
  const banner = input.error ? `<div class="error" role="alert"><p>${escapeHtml(formMessage(input.error, input.code))}</p></div>` : notice;
  const forms = input.providers.map((provider) => providerForm(input, provider));
  // OAuth buttons first, then a divider before each form that has fields, as users expect.
  const body = forms
    .map((form, index) => (index > 0 && input.providers[index]!.type !== 'oauth' && input.providers[index]!.type !== 'oidc' ? `<hr class="divider">${form}` : form))
    .join('');
  return renderDocument({ title: 'Sign In', theme: input.theme, body: `<h1>Sign in</h1>${banner}${body}` });
}
