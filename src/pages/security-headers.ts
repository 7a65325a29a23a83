// The headers every built-in HTML page is sent with (handler.ts adds them to each HTML answer): no framing, no MIME sniffing, no referrer off-site, not stored, and a CSP that allows the page's own inline style and script by hash only.
import { base64Encode, sha256Hex } from '../core/crypto.js';
import type { Theme } from '../types.js';
import { documentCss, documentStyle } from './html.js';
import { PASSKEY_REAUTH_SCRIPT, PASSKEY_REGISTER_SCRIPT, PASSKEY_SCRIPT } from './passkey-script.js';
import { PASSKEY_SIGNUP_SCRIPT } from './passkey-signup-script.js';
import { AUTO_SUBMIT_SCRIPT } from './repost.js';

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** CSP source for an inline element's text by its hash (CSP3 §2.3.1 hash-source): only that exact text is applied. */
const hashSource = (text: string) => `'sha256-${base64Encode(hexToBytes(sha256Hex(text)))}'`;

/** The re-post page's auto-submit, the sign-in page's passkey button, the passkey sign-up page's, and the security page's "Add a passkey" and "Use a passkey": the only scripts any page runs. */
const SCRIPT_SOURCES = [hashSource(AUTO_SUBMIT_SCRIPT), hashSource(PASSKEY_SCRIPT), hashSource(PASSKEY_SIGNUP_SCRIPT), hashSource(PASSKEY_REGISTER_SCRIPT), hashSource(PASSKEY_REAUTH_SCRIPT)] as const;
/** A theme's logo and a provider's icon may be any http(s) image (or an inline one). */
const IMAGE_SOURCES = ['*', 'data:'] as const;

/**
 * `frame-ancestors 'none'` (and X-Frame-Options for browsers without CSP 2) stops clickjacking of
 * the sign-in and sign-out buttons. No `'unsafe-inline'` anywhere: the pages' one <style> and the
 * re-post page's one script are allowed by their SHA-256 (the style's text depends on the theme's
 * colours, so its hash is taken from the page served), and no style attribute is used (those would
 * need `'unsafe-hashes'`).
 */
const FIXED = [`img-src ${IMAGE_SOURCES.join(' ')}`, `script-src ${SCRIPT_SOURCES.join(' ')}`, "connect-src 'self'", "base-uri 'none'", "frame-ancestors 'none'"].join('; ');
const NO_STYLE = `default-src 'none'; ${FIXED}`;

// One entry per distinct stylesheet: an instance has one theme, so this holds one or two; the bound
// only guards against an app that builds many instances with generated colours.
const cspByStyle = new Map<string, string>();
const MAX_STYLES = 32;

/**
 * `form-action` (CSP3 §6.4.1): `'self'` and the origins of `targets`, the URLs the page's forms post
 * to or are redirected to after posting. Chrome checks every redirect that follows a form's POST
 * against it, so the OAuth button's POST `signin/:id` -> 302 to the provider's authorization
 * endpoint needs that endpoint's origin, and a POST whose answer redirects to a callback URL on
 * another origin (one the redirect callback allowed) needs that origin. Anything that is not an
 * http(s) URL is left out.
 */
export function formActionSources(targets: Iterable<string>): string[] {
  const origins = new Set<string>();
  for (const target of targets) {
    try {
      const url = new URL(target);
      if (url.protocol === 'https:' || url.protocol === 'http:') origins.add(url.origin);
    } catch {
      // Not an absolute URL: a relative one is on this origin, which 'self' covers.
    }
  }
  return ["'self'", ...[...origins].sort()];
}

/** The page's CSP: its own <style> (renderDocument writes exactly one, in the head) allowed by hash, and `form-action` limited to `'self'` and `formTargets`' origins. */
export function pageCsp(page: string, formTargets: Iterable<string> = []): string {
  const formAction = `form-action ${formActionSources(formTargets).join(' ')}`;
  const style = documentStyle(page);
  if (style === undefined) return `${NO_STYLE}; ${formAction}`;
  let csp = cspByStyle.get(style);
  if (csp === undefined) {
    if (cspByStyle.size >= MAX_STYLES) cspByStyle.clear();
    csp = `default-src 'none'; style-src ${hashSource(style)}; ${FIXED}`;
    cspByStyle.set(style, csp);
  }
  return `${csp}; ${formAction}`;
}

/** The CSP sources the built-in pages need, for an app that sends its own Content-Security-Policy on them (docs/security.md). */
export interface PageCspSources {
  /** `style-src`: the SHA-256 of the pages' one <style> for this theme (it changes with `brandColor` and `buttonText`). */
  readonly styleSrc: readonly string[];
  /** `script-src`: the SHA-256 of the pages' scripts: the `form_post` re-post page's, the passkey button's (sign-in and two-factor pages), the passkey sign-up page's, and the security page's "Add a passkey" and "Use a passkey" (re-authentication). */
  readonly scriptSrc: readonly string[];
  /** `img-src`: the theme's logo and the providers' icons may come from anywhere. */
  readonly imgSrc: readonly string[];
  /** `form-action`: `'self'`; add your OAuth providers' authorization endpoints (the sign-in buttons are redirected there) and any other origin your redirect callback sends users to. */
  readonly formAction: readonly string[];
}

/** The hash and origin sources the built-in pages need under a given theme (the `theme` option of createAuth). */
export function pageCspSources(theme: Theme = {}): PageCspSources {
  return Object.freeze({
    styleSrc: Object.freeze([hashSource(documentCss(theme))]),
    scriptSrc: Object.freeze([...SCRIPT_SOURCES]),
    imgSrc: Object.freeze([...IMAGE_SOURCES]),
    formAction: Object.freeze(["'self'"]),
  });
}

/**
 * Every page gets `no-store`: the sign-in, sign-out, confirmation, password and two-factor pages
 * embed a CSRF token and the re-post page an OAuth response, and the others are not worth storing
 * (no shared cache or back-forward cache keeps any of them). `Referrer-Policy: same-origin`: page
 * URLs carry a reset token (`password/reset?token=`), an address (`?email=`) or a callback URL, and
 * none of that may reach the IdP or another site a link leads to; our own forms keep their
 * referrer and `Origin`, which the cross-site check reads in browsers without Sec-Fetch-Site
 * (`no-referrer` would make their POSTs carry `Origin: null` and be refused as cross-site).
 */
const PAGE_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ['X-Frame-Options', 'DENY'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'same-origin'],
  ['Cache-Control', 'no-store'],
] as const);

/** Adds the page headers to an HTML answer's headers, keeping any the route set itself (a route's own Cache-Control or CSP wins). */
export function addPageSecurityHeaders(headers: Array<[string, string]>, page: string, formTargets: Iterable<string> = []): void {
  for (const [name, value] of [['Content-Security-Policy', pageCsp(page, formTargets)] as const, ...PAGE_HEADERS]) {
    const lower = name.toLowerCase();
    if (!headers.some(([existing]) => existing.toLowerCase() === lower)) headers.push([name, value]);
  }
}
