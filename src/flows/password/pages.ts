// Where the Password provider's pages are: the built-in ones under the base path, or the app's own (`pages.signUp`, `pages.resetPassword`).
import type { PasswordProvider, ResolvedConfig } from '../../config.js';
import type { RouteContext } from '../../context.js';
import { pageUrl } from './mail.js';

/** The configured Password provider: by id when the route names one, else the first. */
export function passwordProviderOf(config: ResolvedConfig, id?: string): PasswordProvider | undefined {
  for (const provider of config.providers) {
    if (provider.type === 'password' && (id === undefined || provider.id === id)) return provider;
  }
  return undefined;
}

/** The sign-in page's "Create account" and "Forgot password?" links; undefined without a Password provider. */
export function passwordLinks(ctx: RouteContext): { signUp: string | undefined; forgot: string } | undefined {
  const provider = passwordProviderOf(ctx.config);
  if (!provider) return undefined;
  return {
    signUp: provider.config.allowSignUp === false ? undefined : pageUrl(ctx, ctx.config.pages.signUp, '/signup'),
    forgot: pageUrl(ctx, ctx.config.pages.resetPassword, '/password/forgot'),
  };
}
