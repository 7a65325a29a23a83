// The built-in "check your email" page shown after a magic link was sent.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';

/** What the mail holds, by the `type` the redirect names: a magic link, a sign-up's verification link, a reset link. */
const TYPES = ['email', 'signup', 'reset'] as const;

export function renderVerifyRequestPage(input: { origin: string; theme: Theme; type?: string | undefined; text: Translator }): string {
  const { text } = input;
  const host = new URL(input.origin).host;
  const type = TYPES.find((name) => name === input.type) ?? 'email';
  const body = html`<h1>${text.t('verifyRequest.heading')}</h1><p>${text.t(`verifyRequest.${type}`)}</p><a class="button" href="${input.origin}">${text.t('common.backTo', { host })}</a>`;
  return renderDocument({ title: text.t('verifyRequest.title'), theme: input.theme, body, text });
}
