// The headers every built-in HTML page is sent with (handler.ts adds them to each HTML answer): no framing, no MIME sniffing, no referrer, not stored, and a CSP that allows the page's own inline style and script by hash only.
import { base64Encode, sha256Hex } from '../core/crypto.js';
import { documentStyle } from './html.js';
import { AUTO_SUBMIT_SCRIPT } from './repost.js';

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** CSP source for an inline element's text by its hash (CSP3 §2.3.1 hash-source): only that exact text is applied. */
const hashSource = (text: string) => `'sha256-${base64Encode(hexToBytes(sha256Hex(text)))}'`;

/**
 * `frame-ancestors 'none'` (and X-Frame-Options for browsers without CSP 2) stops clickjacking of
 * the sign-in and sign-out buttons. No `'unsafe-inline'` anywhere: the pages' one <style> and the
 * re-post page's one script are allowed by their SHA-256 (the style's text depends on the theme's
 * colours, so its hash is taken from the page served), and no style attribute is used (those would
 * need `'unsafe-hashes'`). Images may be any http(s) logo the theme names. No `form-action`: Chrome
 * applies it to the redirect after a POST, which for OAuth sign-in goes to the provider.
 */
const FIXED = ['img-src * data:', `script-src ${hashSource(AUTO_SUBMIT_SCRIPT)}`, "base-uri 'none'", "frame-ancestors 'none'"].join('; ');
const NO_STYLE = `default-src 'none'; ${FIXED}`;

// One entry per distinct stylesheet: an instance has one theme, so this holds one or two; the bound
// only guards against an app that builds many instances with generated colours.
const cspByStyle = new Map<string, string>();
const MAX_STYLES = 32;

/** The page's CSP: its own <style> (renderDocument writes exactly one, in the head) allowed by hash. */
export function pageCsp(page: string): string {
  const style = documentStyle(page);
  if (style === undefined) return NO_STYLE;
  let csp = cspByStyle.get(style);
  if (csp === undefined) {
    if (cspByStyle.size >= MAX_STYLES) cspByStyle.clear();
    csp = `default-src 'none'; style-src ${hashSource(style)}; ${FIXED}`;
    cspByStyle.set(style, csp);
  }
  return csp;
}

/**
 * The pages embed a CSRF token (sign-in, sign-out, the magic-link confirmation) or an OAuth
 * response (the re-post page): `no-store` keeps them out of shared caches and the back-forward
 * cache. The other pages are not worth storing either, so every page gets it.
 */
const PAGE_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ['X-Frame-Options', 'DENY'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cache-Control', 'no-store'],
] as const);

/** Adds the page headers to an HTML answer's headers, keeping any the route set itself (a route's own Cache-Control or CSP wins). */
export function addPageSecurityHeaders(headers: Array<[string, string]>, page: string): void {
  for (const [name, value] of [['Content-Security-Policy', pageCsp(page)] as const, ...PAGE_HEADERS]) {
    const lower = name.toLowerCase();
    if (!headers.some(([existing]) => existing.toLowerCase() === lower)) headers.push([name, value]);
  }
}
