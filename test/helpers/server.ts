// Test helpers: a gatehouse instance served over real HTTP on 127.0.0.1, and a cookie-keeping client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuth, type Auth } from '../../src/index.js';
import { toNodeHandler } from '../../src/integrations/node.js';
import type { AuthConfig } from '../../src/types.js';

export interface TestServer {
  auth: Auth;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** origin + base path */
  base: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on a free loopback port; `url` defaults to http://127.0.0.1:<port>/api/auth. */
export async function startServer(config: Omit<AuthConfig, 'url'> & { url?: string | ((origin: string) => string) }, handler?: (auth: Auth) => Parameters<typeof createServer>[1]): Promise<TestServer> {
  let auth!: Auth;
  let node: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => unknown) | undefined;
  const server: Server = createServer((req, res) => void node!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const url = typeof config.url === 'function' ? config.url(origin) : (config.url ?? `${origin}/api/auth`);
  auth = createAuth({ ...config, url } as AuthConfig);
  node = handler ? (handler(auth) as typeof node) : toNodeHandler(auth);
  const base = auth.url ? auth.url.base : `${origin}/api/auth`;
  return {
    auth,
    origin,
    base,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser-like client: keeps cookies per name, never follows redirects (tests look at each hop). */
export class Browser {
  readonly jar = new Map<string, string>();

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async fetch(url: string, init: RequestInit & { form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const { form: _form, json: _json, ...rest } = init;
    const response = await fetch(url, { ...rest, headers, body: body ?? null, redirect: 'manual', method: init.method ?? (body ? 'POST' : 'GET') });
    this.store(response);
    return response;
  }

  async csrfToken(base: string): Promise<string> {
    const response = await this.fetch(`${base}/csrf`);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  /** Signs in through POST `callback/credentials` in JSON mode, as the client does. */
  async signInWithCredentials(base: string, fields: Record<string, string>): Promise<Response> {
    const csrfToken = await this.csrfToken(base);
    return this.fetch(`${base}/callback/credentials`, { method: 'POST', form: { ...fields, csrfToken, json: 'true' } });
  }
}

export const SECRET = 'test-secret-that-is-long-enough-0123456789';
