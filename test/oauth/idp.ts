// A real OpenID Provider for the OAuth tests: oidc-provider 9 in-process on 127.0.0.1, driven through its dev login and consent forms over HTTP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface IdpClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
  response_modes?: string[];
}

export interface Idp {
  issuer: string;
  port: number;
  /** Every request that reached the token endpoint, in order. */
  tokenRequests: URLSearchParams[];
  /** Every request to the plain-OAuth profile endpoint `/api/user`. */
  meRequests: number;
  /** Requests for the signing keys (the ID token signature is verified against them). */
  jwksRequests: number;
  provider: Provider;
  /** Stops listening and drops open connections (an IdP that went away mid-flow). */
  stop(): Promise<void>;
}

/** Reads a request body once; the token counter must not consume what oidc-provider parses after it. */
function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startIdp(clients: IdpClient[], options: { port?: number; tokenDelayMs?: number } = {}): Promise<Idp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };
  let server!: Server;
  await new Promise<void>((resolve) => {
    server = createServer();
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], ...c })),
    jwks: { keys: [jwk] },
    cookies: { keys: ['idp-cookie-key-for-tests-only-0123456789'] },
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'picture'] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@Example.com`, email_verified: true, name: `User ${sub}`, picture: `https://img.example.com/${sub}.png` }),
    }),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      // Plain OAuth 2.0 (no `openid` scope): an opaque access token for a resource, read back at `/api/user` (oidc-provider's own userinfo is `/me`).
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx: { oidc: { params?: { scope?: unknown } } }) =>
          String(ctx.oidc.params?.scope ?? '')
            .split(' ')
            .includes('openid')
            ? undefined
            : 'urn:test:api',
        getResourceServerInfo: () => ({ scope: 'api:read', accessTokenFormat: 'opaque' }),
        useGrantedResource: () => true,
      },
    },
    pkce: { required: () => false },
    issueRefreshToken: async () => true,
    // Every refresh spends the old refresh token: what makes single-flight refresh necessary (RFC 9700 §4.14.2).
    rotateRefreshToken: true,
    ttl: { AccessToken: 3600, AuthorizationCode: 120, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600, RefreshToken: 86400 },
  });
  const idp: Idp = {
    issuer,
    port,
    tokenRequests: [],
    meRequests: 0,
    jwksRequests: 0,
    provider,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/token' && req.method === 'POST') {
        const raw = await bodyOf(req);
        idp.tokenRequests.push(new URLSearchParams(raw));
        if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
        // Hand oidc-provider the body it would have read itself.
        (req as IncomingMessage & { body?: unknown }).body = Object.fromEntries(new URLSearchParams(raw));
        return handle(req, res);
      }
      if (path === '/jwks') idp.jwksRequests++;
      // Misbehaving endpoints for the failure tests: an error status, an answer that is not JSON, one that never comes.
      if (path === '/broken/500') {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ error: 'server_error', error_description: 'IdP exploded: <script>alert(1)</script>' }));
      }
      if (path === '/broken/html') {
        res.setHeader('content-type', 'text/html');
        return res.end('<html><body>Maintenance</body></html>');
      }
      if (path === '/broken/hang') return;
      if (path === '/api/user') {
        // A plain OAuth 2.0 resource: the account behind an opaque access token, GitHub-style (no `sub`).
        idp.meRequests++;
        const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const found = token ? await provider.AccessToken.find(token) : undefined;
        res.setHeader('content-type', 'application/json');
        if (!found?.accountId || found.isExpired) {
          res.statusCode = 401;
          return res.end(JSON.stringify({ message: 'Bad credentials' }));
        }
        return res.end(JSON.stringify({ id: 4242, login: found.accountId, name: null, email: `${found.accountId}@example.com`, avatar_url: 'https://img.example.com/a.png' }));
      }
      return handle(req, res);
    })();
  });
  return idp;
}

/** The IdP side of a browser: its own cookie jar, walking login and consent the way a user would. */
export class IdpBrowser {
  readonly jar = new Map<string, string>();

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=thu, 01 jan 1970/i.test(line) || /max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async fetch(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers();
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    let body: string | undefined;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body: body ?? null, redirect: 'manual' });
    this.store(response);
    return response;
  }

  /**
   * Follows the authorization request through login and consent until the IdP answers the client:
   * a redirect to `redirectPrefix` (query response) or a self-submitting form (form_post).
   */
  async authorize(authorizationUrl: string, login: string, redirectPrefix: string, options: { abort?: boolean } = {}): Promise<{ location?: string; formPost?: { action: string; fields: Record<string, string> } }> {
    let url = authorizationUrl;
    for (let hop = 0; hop < 12; hop++) {
      const response = await this.fetch(url);
      const location = response.headers.get('location');
      if (location) {
        const next = new URL(location, url).href;
        if (next.startsWith(redirectPrefix)) return { location: next };
        url = next;
        continue;
      }
      const html = await response.text();
      if (html.includes('Submitting Callback')) {
        const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
        const fields: Record<string, string> = {};
        for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g))
          fields[m[1]!] = m[2]!
            .replace(/&amp;/g, '&')
            .replace(/&#x2F;/g, '/')
            .replace(/&#x3D;/g, '=');
        return { formPost: { action, fields } };
      }
      const submit = /action="([^"]+)"/.exec(html)?.[1];
      if (!submit) throw new Error(`unexpected IdP page (${response.status}): ${html.slice(0, 300)}`);
      const target = new URL(submit.replace(/&#x2F;/g, '/'), url).href;
      if (options.abort && html.includes('value="login"')) {
        url = `${target}/abort`;
        continue;
      }
      const prompt = html.includes('value="login"') ? 'login' : 'consent';
      const answer = await this.fetch(target, { form: prompt === 'login' ? { prompt, login, password: 'x' } : { prompt } });
      const after = answer.headers.get('location');
      if (!after) throw new Error(`IdP did not redirect after ${prompt} (${answer.status}): ${(await answer.text()).slice(0, 300)}`);
      url = new URL(after, target).href;
    }
    throw new Error('too many hops at the IdP');
  }
}
