// Sends the Password provider's mails (verification, reset, "you already have an account") through its sender, and builds their links.
import { mailLocale } from '../locale.js';
import type { PasswordProvider } from '../../config.js';
import { EmailSigninError } from '../../errors.js';
import type { RouteContext } from '../../context.js';
import type { PasswordMailKind } from '../../types.js';

/** A page of the app (`pages.*`, a path or URL) or of the API, absolute: links leave the site in a mail. */
export function pageUrl(ctx: RouteContext, custom: string | undefined, builtIn: string): string {
  if (!custom) return `${ctx.url.base}${builtIn}`;
  return custom.startsWith('/') ? `${ctx.url.origin}${custom}` : custom;
}

export function withQuery(url: string, params: Record<string, string>): string {
  return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`;
}

/** The reset form a mailed link opens: `pages.resetPassword` or GET `password/reset`, with the token. */
export function resetFormUrl(ctx: RouteContext, token: string): string {
  return withQuery(pageUrl(ctx, ctx.config.pages.resetPassword, '/password/reset'), { token });
}

export async function sendPasswordMail(ctx: RouteContext, provider: PasswordProvider, mail: { kind: PasswordMailKind; to: string; url: string; expires: Date }): Promise<void> {
  try {
    await provider.config.sendVerificationRequest({
      kind: mail.kind,
      identifier: mail.to,
      url: mail.url,
      expires: mail.expires,
      provider: provider.config,
      theme: ctx.config.theme,
      request: ctx.request,
      ...mailLocale(ctx),
    });
  } catch (error) {
    throw new EmailSigninError(error);
  }
}
