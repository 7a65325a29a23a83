// GET `providers`: `{[id]: {id, name, type, signinUrl, callbackUrl}}` in configuration order; sets no cookies (v4 §2.2).
import type { Route } from './types.js';

// v4 has no "oidc" type on the wire: OpenID Connect providers are "oauth" there.
export const providersRoute: Route = (ctx) => {
  // The body depends only on the base URL: serialized once per base, not per request.
  const key = `providers ${ctx.url.base}`;
  let body = ctx.config.memo.get(key);
  if (body === undefined) {
    const map: Record<string, { id: string; name: string; type: string; signinUrl: string; callbackUrl: string }> = {};
    for (const { id, name, type } of ctx.config.providers) {
      map[id] = { id, name, type: type === 'oidc' ? 'oauth' : type, signinUrl: `${ctx.url.base}/signin/${id}`, callbackUrl: `${ctx.url.base}/callback/${id}` };
    }
    body = JSON.stringify(map);
    if (ctx.config.memo.size < 128) ctx.config.memo.set(key, body);
  }
  return { jsonText: body };
};
