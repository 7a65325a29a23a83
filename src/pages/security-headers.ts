// The headers every built-in HTML page is sent with (handler.ts adds them to each HTML answer): no framing, no MIME sniffing, no referrer, not stored, and a CSP that allows the pages' own inline style and script only.
import { base64Encode, sha256Hex } from '../core/crypto.js';
import { AUTO_SUBMIT_SCRIPT } from './repost.js';

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** CSP source for an inline script by its hash (CSP3 §2.3.1 hash-source): only that exact text runs. */
const scriptSource = (script: string) => `'sha256-${base64Encode(hexToBytes(sha256Hex(script)))}'`;

/**
 * `frame-ancestors 'none'` (and X-Frame-Options for browsers without CSP 2) stops clickjacking of
 * the sign-in and sign-out buttons. The pages style themselves with one inline <style>, so
 * `style-src 'unsafe-inline'` stays until that moves to a hash; images may be any http(s) logo the
 * theme names. No `form-action`: Chrome applies it to the redirect after a POST, which for OAuth
 * sign-in goes to the provider.
 */
const CSP = ["default-src 'none'", "style-src 'unsafe-inline'", 'img-src * data:', `script-src ${scriptSource(AUTO_SUBMIT_SCRIPT)}`, "base-uri 'none'", "frame-ancestors 'none'"].join('; ');

/**
 * The pages embed a CSRF token (sign-in, sign-out, the magic-link confirmation) or an OAuth
 * response (the re-post page): `no-store` keeps them out of shared caches and the back-forward
 * cache. The other pages are not worth storing either, so every page gets it.
 */
const PAGE_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ['Content-Security-Policy', CSP],
  ['X-Frame-Options', 'DENY'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cache-Control', 'no-store'],
] as const);

/** Adds the page headers to an HTML answer's headers, keeping any the route set itself (a route's own Cache-Control wins). */
export function addPageSecurityHeaders(headers: Array<[string, string]>): void {
  for (const [name, value] of PAGE_HEADERS) {
    const lower = name.toLowerCase();
    if (!headers.some(([existing]) => existing.toLowerCase() === lower)) headers.push([name, value]);
  }
}
