// The opt-in magic-link confirmation: a POST button, so only a person (not a link scanner's GET) spends the token.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';
import { langField, richText } from './text.js';

export function renderEmailConfirmPage(input: { action: string; csrfToken: string; token: string; email: string; callbackUrl: string; theme: Theme; text: Translator }): string {
  const { text } = input;
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
  const body = html`<h1>${text.t('emailConfirm.heading')}</h1><p>${richText(text, 'emailConfirm.question', { email: html`<strong>${input.email}</strong>` })}</p><form action="${input.action}" method="POST">${hidden('csrfToken', input.csrfToken)}${langField(text)}${hidden('token', input.token)}${hidden('email', input.email)}${hidden('callbackUrl', input.callbackUrl)}<button type="submit">${text.t('emailConfirm.submit')}</button></form>`;
  return renderDocument({ title: text.t('emailConfirm.title'), theme: input.theme, body, text });
}
