// The verification link's landing page: a button that POSTs, so a mail scanner's GET of the link cannot spend it.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { hidden } from './form.js';
import { html, renderDocument } from './html.js';
import { langField } from './text.js';

export function renderVerifyEmailPage(page: { base: string; csrfToken: string; token: string; theme: Theme; text: Translator }): string {
  const { text } = page;
  const body = html`<h1>${text.t('verifyEmail.heading')}</h1><p>${text.t('verifyEmail.lead')}</p><form action="${`${page.base}/verify-email`}" method="POST">${hidden('csrfToken', page.csrfToken)}${langField(text)}${hidden('token', page.token)}<button type="submit">${text.t('verifyEmail.submit')}</button></form>`;
  return renderDocument({ title: text.t('verifyEmail.title'), theme: page.theme, body, text });
}
