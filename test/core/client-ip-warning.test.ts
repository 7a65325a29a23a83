// Issue 13 item 3: behind the Fetch handler without a client address or `rateLimit.ipHeader`, production warns once that the per-IP limits cannot apply.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { describe, test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { createAuth, type Auth } from '../../src/index.js';
import type { AuthConfig, RateLimitOptions } from '../../src/types.js';
import { credentialsConfig } from '../helpers/config.js';
import { Browser } from '../helpers/server.js';
import { listen } from '../integrations/listen.js';

interface Logged {
  code: string;
  metadata: unknown;
}

/** createAuth under a chosen NODE_ENV (resolved once, at createAuth), with a logger that records warnings. */
function authIn(nodeEnv: string, overrides: Partial<AuthConfig>): { auth: Auth; warnings: Logged[] } {
  const warnings: Logged[] = [];
  const logger = { error: () => undefined, debug: () => undefined, warn: (code: string, metadata?: unknown) => void warnings.push({ code, metadata }) };
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    return { auth: createAuth(credentialsConfig({ logger, ...overrides })), warnings };
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** Serves `auth.handler(request)` as App Router, Bun or Deno would: a bare Fetch handler, optionally handed the peer address. */
async function fetchServer(auth: Auth, passAddress: boolean) {
  const server = createAdaptorServer({
    fetch: (request: Request, env: { incoming: { socket: { remoteAddress?: string | undefined } } }) => (passAddress ? auth.handler(request, { clientAddress: env.incoming.socket.remoteAddress }) : auth.handler(request)),
  }) as Server;
  return listen(server);
}

/** A few requests of each kind: GET csrf, GET session, two failed credentials sign-ins. */
async function traffic(origin: string): Promise<number[]> {
  const base = `${origin}/api/auth`;
  const browser = new Browser();
  const statuses: number[] = [];
  for (let i = 0; i < 2; i++) {
    statuses.push((await browser.fetch(`${base}/session`)).status);
    const response = await browser.signInWithCredentials(base, { username: 'ann', password: `wrong-${i}` });
    statuses.push(response.status);
    await response.arrayBuffer();
  }
  return statuses;
}

const NO_IP = 'RATE_LIMIT_NO_CLIENT_IP';

async function run(nodeEnv: string, rateLimit: RateLimitOptions | false | undefined, passAddress: boolean): Promise<Logged[]> {
  const { auth, warnings } = authIn(nodeEnv, { secret: 'a-production-secret-that-is-long-enough', trustHost: true, ...(rateLimit === undefined ? {} : { rateLimit }) });
  const app = await fetchServer(auth, passAddress);
  try {
    assert.deepEqual(await traffic(app.origin), [200, 401, 200, 401]);
  } finally {
    await app.close();
  }
  return warnings.filter((w) => w.code === NO_IP);
}

describe('issue 13 item 3: per-IP limits behind the Fetch handler', () => {
  test('production, auth.handler(request) with no clientAddress and no ipHeader: one RATE_LIMIT_NO_CLIENT_IP warning naming the fix, however many requests', async () => {
    const warnings = await run('production', undefined, false);
    assert.equal(warnings.length, 1);
    const message = (warnings[0]!.metadata as { message: string }).message;
    assert.match(message, /per-IP rate limits do not apply/);
    assert.match(message, /rateLimit\.ipHeader/);
    assert.match(message, /clientAddress/);
  });

  test('no warning when the integration passes the client address', async () => {
    assert.deepEqual(await run('production', undefined, true), []);
  });

  test('no warning with rateLimit.ipHeader or rateLimit.clientIp', async () => {
    assert.deepEqual(await run('production', { ipHeader: 'x-forwarded-for' }, false), []);
    assert.deepEqual(await run('production', { clientIp: (request) => request.headers.get('cf-connecting-ip') }, false), []);
  });

  test('no warning when no per-IP rule is on, or rate limits are off', async () => {
    assert.deepEqual(await run('production', { credentials: { perIp: false }, email: { perIp: false } }, false), []);
    assert.deepEqual(await run('production', false, false), []);
  });

  test('no warning outside production', async () => {
    assert.deepEqual(await run('development', undefined, false), []);
  });
});
