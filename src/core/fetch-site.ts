// Whether a request comes from another site, judged from Sec-Fetch-Site (the browser's own verdict) and else Origin: strings in, a boolean out.

/**
 * A CSRF token pair proves the form was fetched by the browser that holds the cookie, not that our
 * page sent it: a site that can read or plant the token (a subdomain, a cached page) can post it.
 * The browser says where a request comes from. `Sec-Fetch-Site` wins when present (Fetch Metadata,
 * sent by every current browser; `same-site` covers sibling subdomains by the public suffix list,
 * which we do not carry); without it, an `Origin` other than ours (or `null`, from sandboxed frames
 * and opaque origins) is another site. Neither header (old browsers, server-side fetches) is allowed.
 */
export function isCrossSite(secFetchSite: string | null, origin: string | null, ourOrigin: string): boolean {
  if (secFetchSite !== null) return secFetchSite.trim().toLowerCase() === 'cross-site';
  if (origin === null) return false;
  return origin.trim().toLowerCase() !== ourOrigin.toLowerCase();
}
