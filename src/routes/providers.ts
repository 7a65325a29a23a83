// GET `providers`: `{[id]: {id, name, type, signinUrl, callbackUrl}}` in configuration order; sets no cookies (packages/next-auth/src/core/routes/providers.ts on branch v4).
import type { Route } from '../context.js';

// v4 has no "oidc" type on the wire: OpenID Connect providers are "oauth" there. The Password provider is
// "credentials", so v4's and v5's clients post its sign-in to `callback/<id>` as they would a credentials form.
export const providersRoute: Route = (ctx) => {
  // The body depends only on the base URL: serialized once per base, not per request.
  const cache = ctx.config.caches.providersJson;
  let body = cache.get(ctx.url.base);
  if (body === undefined) {
    const map: Record<string, { id: string; name: string; type: string; signinUrl: string; callbackUrl: string }> = {};
    for (const { id, name, type } of ctx.config.providers) {
      map[id] = { id, name, type: type === 'oidc' ? 'oauth' : type === 'password' ? 'credentials' : type, signinUrl: `${ctx.url.base}/signin/${id}`, callbackUrl: `${ctx.url.base}/callback/${id}` };
    }
    body = JSON.stringify(map);
    if (cache.size < 128) cache.set(ctx.url.base, body);
  }
  return { jsonText: body };
};
