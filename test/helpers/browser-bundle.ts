// One esbuild step for the scripts the Chromium tests load into a page: an IIFE for the browser, with
// `process.env.NODE_ENV` as a Next build would have inlined it (next-auth/react reads it at import).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { build } from 'esbuild';
import type { Auth } from '../../src/index.js';
import { toNodeHandler } from '../../src/integrations/node.js';

/** Bundles `contents` (TypeScript, resolved from `resolveDir`, then `nodePaths`) into one browser script. */
export async function bundleForBrowser(contents: string, resolveDir: string, nodePaths: string[] = []): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts' },
    nodePaths,
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
    banner: { js: 'var process = { env: { NODE_ENV: "production" } };' },
  });
  return result.outputFiles[0]!.text;
}

/**
 * A test app for `startServer(config, handler)`: the API under /api/auth, `script` at /app.js, and
 * every other path an HTML page that loads it (the page a user's browser is on).
 */
export function appWithScript(script: () => string): (auth: Auth) => (req: IncomingMessage, res: ServerResponse) => void {
  return (auth) => {
    const api = toNodeHandler(auth);
    return (req, res) => {
      if (req.url?.startsWith('/api/auth')) return void api(req, res);
      if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script());
      if (req.url === '/favicon.ico') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>App</h1><script src="/app.js"></script></body></html>');
    };
  };
}

const CLIENT = new URL('../../src/client/index.ts', import.meta.url).pathname;
const WEBAUTHN = new URL('../../src/webauthn/index.ts', import.meta.url).pathname;

/** The app script of the passkey tests: gatehouse-auth/client as `window.gh`, gatehouse-auth/webauthn as `window.wa`. */
export function bundleClientAndWebauthn(): Promise<string> {
  return bundleForBrowser(`import * as client from ${JSON.stringify(CLIENT)}; import * as webauthn from ${JSON.stringify(WEBAUTHN)}; (window as any).gh = client; (window as any).wa = webauthn;`, process.cwd());
}
