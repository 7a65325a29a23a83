// The built-in sign-up page: email, name, password and the fields the app declared, posted to `signup/<provider>`.
import type { SignUpField, Theme } from '../types.js';
import { errorBanner, hidden, input, type FormPageInput } from './form.js';
import { html, renderDocument } from './html.js';

export interface SignUpPageInput extends FormPageInput {
  providerId: string;
  callbackUrl: string;
  fields: Readonly<Record<string, SignUpField>>;
  minLength: number;
  signInUrl: string;
  theme: Theme;
}

export function renderSignUpPage(page: SignUpPageInput): string {
  const extras = Object.entries(page.fields).map(([key, spec]) =>
    input(`signup-${key}`, spec.label ?? key, { type: spec.type ?? 'text', name: key, required: spec.required === true, maxlength: String(spec.maxLength ?? 256) }),
  );
  const form = html`<form action="${`${page.base}/signup/${page.providerId}`}" method="POST">${hidden('csrfToken', page.csrfToken)}${hidden('callbackUrl', page.callbackUrl)}${input('signup-email', 'Email', { type: 'email', name: 'email', autocomplete: 'email', required: true })}${input('signup-name', 'Name', { type: 'text', name: 'name', autocomplete: 'name', maxlength: '256' })}${extras}${input('signup-password', 'Password', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(page.minLength) })}<button type="submit">Create account</button></form>`;
  const body = html`<h1>Create account</h1>${errorBanner(page.error, page.code)}${form}<p class="links"><a href="${page.signInUrl}">Already have an account? Sign in</a></p>`;
  return renderDocument({ title: 'Create account', theme: page.theme, body });
}
