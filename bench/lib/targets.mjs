// Starts each bench target in its own child process, signs in to get a real session cookie, and asks it for RSS and SQL counters.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PASSWORD, USERNAME } from './shared.mjs';

const TARGETS_DIR = new URL('../targets/', import.meta.url);

/** Every server the bench can start: `name` is what the tables show, `library` groups them for the ratios. */
export const SERVERS = [
  { id: 'bare', name: 'bare node:http', library: 'bare', script: 'bare.mjs' },
  { id: 'gatehouse', name: 'gatehouse', library: 'gatehouse', script: 'gatehouse.mjs', session: 'jwt' },
  // The Fetch door (Next's App Router, Hono, Bun, Deno): auth.handler and its own ceiling, a bare Fetch
  // handler, behind one node:http bridge. `baseline` is what its "× bare" ratio is taken against.
  { id: 'bare-fetch', name: 'bare Fetch handler (bridge)', library: 'bare', script: 'bare-fetch.mjs', baseline: 'bare' },
  { id: 'gatehouse-fetch', name: 'gatehouse auth.handler (bridge)', library: 'gatehouse', script: 'gatehouse.mjs', session: 'jwt', door: 'fetch', baseline: 'bare-fetch' },
  // JWT sessions with a session index (SQLite in memory, 1,000 revoked ids): what revocation costs a read.
  { id: 'gatehouse-revocation', name: 'gatehouse, revocation on', library: 'gatehouse', script: 'gatehouse.mjs', session: 'jwt', revocation: true },
  { id: 'next-auth-v4', name: 'next-auth v4', library: 'next-auth-v4', script: 'next-auth-v4.mjs', session: 'jwt' },
  { id: 'auth-core', name: '@auth/core', library: 'auth-core', script: 'auth-core.mjs', session: 'jwt' },
  { id: 'gatehouse-sqlite', name: 'gatehouse', library: 'gatehouse', script: 'gatehouse.mjs', session: 'sqlite' },
  { id: 'next-auth-v4-sqlite', name: 'next-auth v4', library: 'next-auth-v4', script: 'next-auth-v4.mjs', session: 'sqlite' },
  { id: 'gatehouse-postgres', name: 'gatehouse', library: 'gatehouse', script: 'gatehouse.mjs', session: 'postgres' },
  { id: 'next-auth-v4-postgres', name: 'next-auth v4', library: 'next-auth-v4', script: 'next-auth-v4.mjs', session: 'postgres' },
];

/** Session cookie names per library (http origin, so no __Secure- prefix). */
const SESSION_COOKIE = { gatehouse: 'next-auth.session-token', 'next-auth-v4': 'next-auth.session-token', 'auth-core': 'authjs.session-token' };

/**
 * Spawns `node [execArgv] targets/<script>` with NODE_ENV=production (the deployed case: v4 and
 * Auth.js skip their development warnings) and waits for its `{"port":…}` line.
 */
export async function startServer(spec, { execArgv = [], timeoutMs = 60_000 } = {}) {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...execArgv, new URL(spec.script, TARGETS_DIR).pathname], {
    env: { ...process.env, NODE_ENV: 'production', BENCH_SESSION: spec.session ?? '', BENCH_DOOR: spec.door ?? 'node', BENCH_REVOCATION: spec.revocation ? '1' : '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the tail of stderr: printed if the target fails, counted as warnings otherwise.
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const lines = createInterface({ input: child.stdout });
  const first = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.id}: no port line after ${timeoutMs} ms`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.id} exited (${code}) before listening:\n${stderr}`));
    });
  });
  const info = JSON.parse(await first);
  const origin = `http://127.0.0.1:${info.port}`;
  return {
    spec,
    child,
    origin,
    info,
    /** From spawn to the port line: Node's start, the library's import and its instance creation. */
    startupMs: performance.now() - spawnedAt,
    stderr: () => stderr,
    async stats() {
      return (await fetch(`${origin}/__bench/stats`)).json();
    },
    async reset() {
      await fetch(`${origin}/__bench/reset`);
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code;
    },
  };
}

/** Name → value of every Set-Cookie of a response (a browser's jar, minus attributes). */
export function setCookies(lines) {
  const jar = {};
  for (const line of lines) {
    const pair = line.split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq > 0) jar[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return jar;
}

export function cookieHeader(jar) {
  return Object.entries(jar)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

/** The form a browser posts to callback/credentials; `json=true` (and Auth.js's header) ask for JSON instead of a 302. */
export function credentialsForm(csrfToken, origin) {
  return new URLSearchParams({ csrfToken, username: USERNAME, password: PASSWORD, callbackUrl: `${origin}/`, json: 'true' }).toString();
}

export const SIGN_IN_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', 'x-auth-return-redirect': '1' };

/** GET csrf + POST callback/credentials, as the client does; returns the session cookie header, or throws. */
export async function signIn(server) {
  const base = `${server.origin}/api/auth`;
  const csrfResponse = await fetch(`${base}/csrf`);
  const jar = setCookies(csrfResponse.headers.getSetCookie());
  const { csrfToken } = await csrfResponse.json();
  const response = await fetch(`${base}/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...SIGN_IN_HEADERS, cookie: cookieHeader(jar) },
    body: credentialsForm(csrfToken, server.origin),
  });
  const name = SESSION_COOKIE[server.spec.library];
  const session = setCookies(response.headers.getSetCookie());
  if (!session[name]) throw new Error(`${server.spec.id}: sign-in gave ${response.status} and no ${name} cookie: ${await response.text()}`);
  return `${name}=${session[name]}`;
}

/** The cookie of the session row the server seeded through its adapter. */
export function databaseSessionCookie(server) {
  return `${SESSION_COOKIE[server.spec.library]}=${server.info.sessionToken}`;
}

/** Checks once, before any load, that a request gets the answer the scenario is about (a signed-in session, `{}`, …). */
export async function expectAnswer(server, path, headers, check, what) {
  const response = await fetch(`${server.origin}${path}`, { headers });
  const text = await response.text();
  if (response.status !== 200 || !check(text)) {
    throw new Error(`${server.spec.id} GET ${path}: expected ${what}, got ${response.status} ${text.slice(0, 200)}`);
  }
}
