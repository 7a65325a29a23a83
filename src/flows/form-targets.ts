// Where a built-in page's forms can take the browser: the URLs whose origins its CSP `form-action` lists (issue 19 item 2).
import type { RouteContext } from '../context.js';
import { discoveryRecentlyFailed, serverOf } from './oauth.js';

/**
 * What every page's POST may end on besides its own origin: the configured base URL (a proxy can
 * serve the page from another origin than the one configured), the app's own `pages` (failures
 * redirect there), and the callback URL when this request computed one (`callbackUrl()` stores it
 * after the redirect callback allowed it, and the page's form carries it on): a credentials, email,
 * password, two-factor or sign-out POST ends with a redirect there. The `form_post` re-post page
 * cannot know the callback URL (the cross-site POST it answers carries no cookie), so a callback
 * URL on another origin after Apple's sign-in is not covered (docs/security.md).
 */
export function formTargets(ctx: RouteContext, extra: readonly string[] = []): string[] {
  const targets = [ctx.url.base];
  const callback = ctx.memo.get('callbackUrl');
  if (typeof callback === 'string') targets.push(callback);
  for (const page of Object.values(ctx.config.pages)) if (typeof page === 'string') targets.push(page);
  targets.push(...extra);
  return targets;
}

/**
 * The sign-in page's OAuth buttons POST `signin/:id`, answered with a redirect to the provider's
 * authorization endpoint, which Chrome checks against `form-action`. The endpoint is configured or
 * comes from discovery (cached per instance by `serverOf`, so this fetch is the one the button
 * would make). A provider whose discovery fails adds nothing: its POST ends on our error page. One
 * that failed within `DISCOVERY_RETRY_MS` is not asked again here, so a dead IdP does not hold up
 * every page view by its timeout.
 */
export async function authorizationTargets(ctx: RouteContext): Promise<string[]> {
  const endpoints = await Promise.all(
    ctx.config.providers.map(async (provider) => {
      if (provider.type !== 'oauth' && provider.type !== 'oidc') return undefined;
      if (discoveryRecentlyFailed(ctx.config, provider)) return undefined;
      try {
        return (await serverOf(ctx.config, provider)).as.authorization_endpoint;
      } catch {
        return undefined;
      }
    }),
  );
  return endpoints.filter((endpoint): endpoint is string => typeof endpoint === 'string');
}

/**
 * The sign-out page's POST may be redirected to a provider's `end_session_endpoint` (RP-initiated
 * logout, for providers that opted in) and from there to its post-logout URL.
 */
export async function signOutTargets(ctx: RouteContext): Promise<string[]> {
  const targets = await Promise.all(
    ctx.config.providers.map(async (provider) => {
      if ((provider.type !== 'oauth' && provider.type !== 'oidc') || !provider.spec.rpLogout) return [];
      const postLogout = provider.spec.rpLogout.postLogoutRedirectUri;
      if (discoveryRecentlyFailed(ctx.config, provider)) return [];
      try {
        const endpoint = (await serverOf(ctx.config, provider)).as.end_session_endpoint;
        return [endpoint, postLogout].filter((url): url is string => typeof url === 'string');
      } catch {
        return [];
      }
    }),
  );
  return targets.flat();
}
