// The built-in sign-out confirmation: a POST form carrying the CSRF token, so a link alone cannot sign anyone out.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';
import { langField } from './text.js';

export function renderSignoutPage(input: { base: string; csrfToken: string; callbackUrl: string; theme: Theme; text: Translator }): string {
  const { text } = input;
  const body = html`<h1>${text.t('signout.heading')}</h1><p>${text.t('signout.question')}</p><form action="${`${input.base}/signout`}" method="POST"><input type="hidden" name="csrfToken" value="${input.csrfToken}">${langField(text)}<input type="hidden" name="callbackUrl" value="${input.callbackUrl}"><button type="submit">${text.t('signout.submit')}</button></form>`;
  return renderDocument({ title: text.t('signout.title'), theme: input.theme, body, text });
}
