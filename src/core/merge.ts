// Provider options merged over a provider's defaults the way next-auth v4 merges them.

type Shape = Record<string, unknown>;

function isPlainObject(value: unknown): value is Shape {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** v4's `normalizeOAuthOptions`: an endpoint given as a URL string becomes `{url, params}` so it merges field by field. */
function endpointShape(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const url = new URL(value.trim());
    return { url: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
  } catch {
    return value;
  }
}

function shape(config: Shape): Shape {
  const out: Shape = { ...config };
  for (const key of ['authorization', 'token', 'userinfo'] as const) if (key in out) out[key] = endpointShape(out[key]);
  return out;
}

/** v4's deep merge: plain objects merge key by key, anything else (arrays, functions) replaces. */
function merge(target: Shape, source: Shape): Shape {
  const out: Shape = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? merge(current, value) : value;
  }
  return out;
}

/** `defaults` with `options` deep-merged over them; endpoint URLs with a query merge their params too. */
export function mergeProviderOptions(defaults: object, options: object): Shape {
  return merge(shape(defaults as Shape), shape(options as Shape));
}

/** A provider as `createAuth` sees it: a v4 factory's `options` deep-merged over the rest; a plain object as it is. */
export function resolveProviderOptions(provider: object): Shape {
  const { options, ...defaults } = provider as { options?: unknown };
  return options && typeof options === 'object' ? mergeProviderOptions(defaults, options) : (provider as Shape);
}
