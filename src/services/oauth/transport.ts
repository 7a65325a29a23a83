// How gatehouse talks to an identity provider: the provider's fetch, its timeout, and plain http only where the spec allows it.
import * as o from 'oauth4webapi';
import type { FetchLike, OAuthSpec } from '../../core/oauth/spec.js';

export /** Per-request transport options: the provider's timeout, its fetch, and plain http only where allowed. */
function httpOptions<M extends string, B>(spec: OAuthSpec, fetchImpl: FetchLike = spec.fetch): o.HttpRequestOptions<M, B> {
  return {
    signal: () => AbortSignal.timeout(spec.timeout),
    [o.customFetch]: (url: string, init: o.CustomFetchOptions<M, B>) => fetchImpl(url, init as unknown as RequestInit),
    ...(spec.insecure ? { [o.allowInsecureRequests]: true } : {}),
  };
}
