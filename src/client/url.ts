// Where the auth API lives: `configure()`, else NEXTAUTH_URL as v4 reads it, else http://localhost:3000/api/auth.

export interface ClientConfig {
  /** Path of the auth API, e.g. `/api/auth` (the default) or `/custom/auth`; undefined unsets it. */
  basePath?: string | undefined;
  /**
   * Absolute URL of the auth API (its path is used when `basePath` is not set). In a browser the
   * client otherwise calls the relative path, as v4 does. Undefined unsets it.
   */
  baseUrl?: string | undefined;
}

// A page talks to one auth API and signIn() may be called from anywhere, so the setting is page
// state (v4 keeps it in its `__NEXTAUTH` global), written only by configure() and SessionProvider.
let settings: ClientConfig = {};

/** Points the client at the auth API: `configure({ basePath: '/custom/auth' })`. Merges with earlier calls. */
export function configure(config: ClientConfig): void {
  settings = { ...settings, ...config };
}

/** The API base for requests: a relative path in a browser, absolute on a server (v4's `apiBaseUrl`, packages/next-auth/src/client/_utils.ts on branch v4). */
export function apiBase(): string {
  const server = typeof window == 'undefined';
  let env: string | undefined;
  try {
    // Spelled out in full so bundlers can inline them at build time; `process` may not exist in a browser.
    env = server ? (process.env.NEXTAUTH_URL_INTERNAL ?? process.env.NEXTAUTH_URL ?? process.env.VERCEL_URL) : process.env.NEXTAUTH_URL;
  } catch {}
  const raw = settings.baseUrl ?? env;
  // v4's parseUrl: https:// when there is no scheme, and a bare origin means /api/auth.
  const url = new URL(raw ? (/^http/.test(raw) ? raw : 'https://' + raw) : 'http://localhost:3000');
  const path = settings.basePath ?? (url.pathname == '/' ? '/api/auth' : url.pathname);
  return (server || settings.baseUrl ? url.origin : '') + path.replace(/\/$/, '');
}
