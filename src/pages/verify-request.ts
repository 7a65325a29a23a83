// The built-in "check your email" page shown after a magic link was sent.
import type { Theme } from '../types.js';
import { html, renderDocument } from './html.js';

/** What the mail holds, by the `type` the redirect names: a magic link, a sign-up's verification link, a reset link. */
const TEXTS: Record<string, string> = {
  email: 'We sent you a link to sign in. It works once and expires soon.',
  signup: 'If this address can be used, we sent it a link to confirm it. Open it to finish creating your account.',
  reset: 'If an account uses this address, we sent it a link to choose a new password. It works once and expires in an hour.',
};

export function renderVerifyRequestPage(input: { origin: string; theme: Theme; type?: string | undefined }): string {
  const host = new URL(input.origin).host;
  const text = (input.type && Object.prototype.hasOwnProperty.call(TEXTS, input.type) ? TEXTS[input.type] : TEXTS.email)!;
  const body = html`<h1>Check your email</h1><p>${text}</p><a class="button" href="${input.origin}">Back to ${host}</a>`;
  return renderDocument({ title: 'Verify Request', theme: input.theme, body });
}
