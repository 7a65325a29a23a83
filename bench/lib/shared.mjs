// What every bench target shares: the secret, the demo user, the OIDC provider settings, and the server wrapper with /__bench/* paths.
import { createServer } from 'node:http';
import { GCProfiler } from 'node:v8';

/**
 * Bytes allocated on the JS heap since start-up, from V8's GC events: each collection's heap before
 * it, less the heap left after the previous one, plus what has grown since the last. Monotonic, so
 * the orchestrator divides the difference between two snapshots by the requests served.
 */
function allocationCounter() {
  let profiler = new GCProfiler();
  profiler.start();
  let allocated = 0;
  let lastAfter = process.memoryUsage().heapUsed;
  return () => {
    for (const gc of profiler.stop().statistics) {
      allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - lastAfter);
      lastAfter = gc.afterGC.heapStatistics.usedHeapSize;
    }
    profiler = new GCProfiler();
    profiler.start();
    return allocated + Math.max(0, process.memoryUsage().heapUsed - lastAfter);
  };
}

/** One secret for every target, so no target pays for a different key length. */
export const SECRET = 'gatehouse-bench-secret-0123456789abcdef0123456789';
export const USER = { id: 'bench-user-1', name: 'Ann Bench', email: 'ann@example.com', image: null };
export const USERNAME = 'ann';
export const PASSWORD = 'pw';

/** A plain compare: the bench measures the library, not a password hash. */
export function authorize(credentials) {
  return credentials?.username === USERNAME && credentials?.password === PASSWORD ? { ...USER } : null;
}

/** A static OIDC issuer with explicit endpoints: no measured route talks to it, so nothing needs to listen there. */
export const OIDC = {
  id: 'corp',
  name: 'Corp SSO',
  issuer: 'https://sso.bench.invalid',
  clientId: 'bench-client',
  clientSecret: 'bench-client-secret',
  authorization: 'https://sso.bench.invalid/authorize',
  token: 'https://sso.bench.invalid/token',
  userinfo: 'https://sso.bench.invalid/userinfo',
  jwks_endpoint: 'https://sso.bench.invalid/jwks',
};

/**
 * Listens on a free loopback port, then calls `setup(origin)` to build the request handler (so
 * NEXTAUTH_URL can carry the port), and prints one JSON line `{"port":…, …extra}` for the
 * orchestrator. `/__bench/stats` answers this process's RSS plus whatever `stats()` adds;
 * `/__bench/reset` clears the counters. SIGTERM exits normally so `--cpu-prof` writes its file.
 */
export async function serve(setup) {
  let handler = null;
  let requests = 0;
  let hooks = {};
  const allocatedBytes = allocationCounter();
  const server = createServer((req, res) => {
    if (req.url.startsWith('/__bench/')) return benchRoute(req, res);
    requests++;
    return handler(req, res);
  });
  async function benchRoute(req, res) {
    if (req.url === '/__bench/reset') {
      requests = 0;
      hooks.reset?.();
      res.writeHead(204).end();
      return;
    }
    // CPU time first, before stats() below spends any (EXPLAIN of the SQL seen): the orchestrator
    // divides the CPU between two snapshots by the requests served, a figure other processes on
    // the machine disturb far less than requests per second.
    const { user, system } = process.cpuUsage();
    const served = requests;
    const allocated = allocatedBytes();
    // With --expose-gc, /__bench/stats?gc collects first: retained memory, not garbage awaiting collection.
    if (req.url === '/__bench/stats?gc' && globalThis.gc) globalThis.gc();
    const extra = hooks.stats ? await hooks.stats(served) : {};
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const body = JSON.stringify({ cpuMicros: user + system, allocatedBytes: allocated, requests: served, rss, heapTotal, heapUsed, external, arrayBuffers, ...extra });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }
  // Keep-alive sockets outlive a scenario; the default 5 s timeout would only add reconnects to later ones.
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  process.env.NEXTAUTH_URL = origin;
  const built = await setup(origin);
  handler = built.handler;
  hooks = built;
  const stop = async () => {
    try {
      await built.close?.();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ port, ...(built.info ?? {}) })}\n`);
}
