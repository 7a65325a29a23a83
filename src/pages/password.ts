// The built-in pages of the password lifecycle: ask for a reset link, choose a new password from the link, change it while signed in.
import type { Theme } from '../types.js';
import { errorBanner, hidden, input, type FormPageInput } from './form.js';
import { html, renderDocument } from './html.js';

interface PasswordPageInput extends FormPageInput {
  providerId: string;
  theme: Theme;
}

export function renderForgotPasswordPage(page: PasswordPageInput & { signInUrl: string }): string {
  const form = html`<form action="${`${page.base}/password/forgot`}" method="POST">${hidden('csrfToken', page.csrfToken)}${input('forgot-email', 'Email', { type: 'email', name: 'email', autocomplete: 'email', required: true })}<button type="submit">Send reset link</button></form>`;
  const body = html`<h1>Reset your password</h1>${errorBanner(page.error, page.code)}<p>Enter the address of your account: we will mail it a link to choose a new password.</p>${form}<p class="links"><a href="${page.signInUrl}">Back to sign in</a></p>`;
  return renderDocument({ title: 'Reset password', theme: page.theme, body });
}

export function renderResetPasswordPage(page: PasswordPageInput & { token: string; minLength: number }): string {
  const form = html`<form action="${`${page.base}/password/reset`}" method="POST">${hidden('csrfToken', page.csrfToken)}${hidden('token', page.token)}${input('reset-password', 'New password', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(page.minLength) })}<button type="submit">Set new password</button></form>`;
  const body = html`<h1>Choose a new password</h1>${errorBanner(page.error, page.code)}${form}`;
  return renderDocument({ title: 'Choose a new password', theme: page.theme, body });
}

export function renderChangePasswordPage(page: PasswordPageInput & { callbackUrl: string; minLength: number }): string {
  const form = html`<form action="${`${page.base}/password/change`}" method="POST">${hidden('csrfToken', page.csrfToken)}${hidden('callbackUrl', page.callbackUrl)}${input('change-current', 'Current password', { type: 'password', name: 'currentPassword', autocomplete: 'current-password', required: true })}${input('change-new', 'New password', { type: 'password', name: 'newPassword', autocomplete: 'new-password', required: true, minlength: String(page.minLength) })}<button type="submit">Change password</button></form>`;
  const body = html`<h1>Change your password</h1>${errorBanner(page.error, page.code)}<p>Your other devices will be signed out.</p>${form}`;
  return renderDocument({ title: 'Change password', theme: page.theme, body });
}
