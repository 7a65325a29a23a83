// The built-in pages of the password lifecycle: ask for a reset link, choose a new password from the link, change it while signed in.
import type { Theme } from '../types.js';
import { errorBanner, hidden, input, invalidIf, type FormPageInput } from './form.js';
import { html, renderDocument } from './html.js';
import { langField } from './text.js';

interface PasswordPageInput extends FormPageInput {
  providerId: string;
  theme: Theme;
}

export function renderForgotPasswordPage(page: PasswordPageInput & { signInUrl: string }): string {
  const { text } = page;
  const form = html`<form action="${`${page.base}/password/forgot`}" method="POST">${hidden('csrfToken', page.csrfToken)}${langField(text)}${input('forgot-email', text.t('common.email'), { type: 'email', name: 'email', autocomplete: 'email', required: true })}<button type="submit">${text.t('forgotPassword.submit')}</button></form>`;
  const body = html`<h1>${text.t('forgotPassword.heading')}</h1>${errorBanner(text, page.error, page.code)}<p>${text.t('forgotPassword.lead')}</p>${form}<p class="links"><a href="${page.signInUrl}">${text.t('common.backToSignIn')}</a></p>`;
  return renderDocument({ title: text.t('forgotPassword.title'), theme: page.theme, body, text });
}

export function renderResetPasswordPage(page: PasswordPageInput & { token: string; minLength: number }): string {
  const { text } = page;
  const form = html`<form action="${`${page.base}/password/reset`}" method="POST">${hidden('csrfToken', page.csrfToken)}${langField(text)}${hidden('token', page.token)}${input('reset-password', text.t('resetPassword.newPassword'), { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(page.minLength), ...invalidIf(page, 'newPassword') })}<button type="submit">${text.t('resetPassword.submit')}</button></form>`;
  const body = html`<h1>${text.t('resetPassword.heading')}</h1>${errorBanner(text, page.error, page.code, page.minLength)}${form}`;
  return renderDocument({ title: text.t('resetPassword.title'), theme: page.theme, body, text });
}

export function renderChangePasswordPage(page: PasswordPageInput & { callbackUrl: string; minLength: number }): string {
  const { text } = page;
  const form = html`<form action="${`${page.base}/password/change`}" method="POST">${hidden('csrfToken', page.csrfToken)}${langField(text)}${hidden('callbackUrl', page.callbackUrl)}${input('change-current', text.t('changePassword.current'), { type: 'password', name: 'currentPassword', autocomplete: 'current-password', required: true, ...invalidIf(page, 'currentPassword', { InvalidCredentials: 'currentPassword' }) })}${input('change-new', text.t('changePassword.new'), { type: 'password', name: 'newPassword', autocomplete: 'new-password', required: true, minlength: String(page.minLength), ...invalidIf(page, 'newPassword') })}<button type="submit">${text.t('changePassword.submit')}</button></form>`;
  const body = html`<h1>${text.t('changePassword.heading')}</h1>${errorBanner(text, page.error, page.code, page.minLength)}<p>${text.t('changePassword.lead')}</p>${form}`;
  return renderDocument({ title: text.t('changePassword.title'), theme: page.theme, body, text });
}
