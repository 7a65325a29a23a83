// The built-in sign-up page: email, name, password and the fields the app declared, posted to `signup/<provider>`.
import type { SignUpField, Theme } from '../types.js';
import { errorBanner, hidden, input, invalidIf, type FormPageInput } from './form.js';
import { html, renderDocument } from './html.js';
import { langField } from './text.js';

export interface SignUpPageInput extends FormPageInput {
  providerId: string;
  callbackUrl: string;
  fields: Readonly<Record<string, SignUpField>>;
  minLength: number;
  signInUrl: string;
  theme: Theme;
}

export function renderSignUpPage(page: SignUpPageInput): string {
  const { text } = page;
  const extras = Object.entries(page.fields).map(([key, spec]) =>
    input(`signup-${key}`, spec.label ?? key, { type: spec.type ?? 'text', name: key, required: spec.required === true, maxlength: String(spec.maxLength ?? 256) }),
  );
  const form = html`<form action="${`${page.base}/signup/${page.providerId}`}" method="POST">${hidden('csrfToken', page.csrfToken)}${langField(text)}${hidden('callbackUrl', page.callbackUrl)}${input('signup-email', text.t('common.email'), { type: 'email', name: 'email', autocomplete: 'email', required: true, ...invalidIf(page, 'email') })}${input('signup-name', text.t('signup.name'), { type: 'text', name: 'name', autocomplete: 'name', maxlength: '256' })}${extras}${input('signup-password', text.t('common.password'), { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: String(page.minLength), ...invalidIf(page, 'newPassword') })}<button type="submit">${text.t('signup.submit')}</button></form>`;
  const body = html`<h1>${text.t('signup.heading')}</h1>${errorBanner(text, page.error, page.code, page.minLength)}${form}<p class="links"><a href="${page.signInUrl}">${text.t('signup.haveAccount')}</a></p>`;
  return renderDocument({ title: text.t('signup.title'), theme: page.theme, body, text });
}
