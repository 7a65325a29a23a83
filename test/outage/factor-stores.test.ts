// The second-factor and passkey stores come from synchronous adapter factories (twoFactorStore(),
// authenticatorStore()), which the adapter's bounded Proxy hands back as they are: they are bounded by
// storeTimeout where they are resolved, so a hung database answers 503 here as everywhere else (issue 22 item 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import memoryAdapter from '../../src/adapters/memory.js';
import Credentials from '../../src/providers/credentials.js';
import Passkey from '../../src/providers/passkey.js';
import type { AdapterUser, GatehouseAdapter } from '../../src/adapters/types.js';
import { Browser, SECRET, startServer } from '../helpers/server.js';

const quiet = { warn: () => {}, error: () => {}, debug: () => {} };
const never = () => new Promise<never>(() => undefined);

/** The memory adapter with every method of one of its factories' stores never answering. */
function hangingStore(name: 'twoFactorStore' | 'authenticatorStore'): { adapter: GatehouseAdapter; user: Promise<AdapterUser> } {
  const adapter = memoryAdapter();
  const inner = adapter[name]() as unknown as Record<string, unknown>;
  const hung = Object.fromEntries(Object.keys(inner).map((method) => [method, never]));
  return { adapter: { ...adapter, [name]: () => hung } as GatehouseAdapter, user: adapter.createUser({ email: 'ann@example.com', name: 'Ann', emailVerified: null }) };
}

function credentials(user: Promise<AdapterUser>) {
  return Credentials({ credentials: { email: { label: 'Email' } }, authorize: async () => await user });
}

test('a two-factor store that never answers: the password sign-in ends with 503, not a hang', { timeout: 30_000 }, async () => {
  const { adapter, user } = hangingStore('twoFactorStore');
  const server = await startServer({ secret: SECRET, logger: quiet, adapter, session: { strategy: 'jwt' }, storeTimeout: 200, twoFactor: {}, providers: [credentials(user)] });
  try {
    const response = await new Browser().signInWithCredentials(server.base, { email: 'ann@example.com' });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
  } finally {
    await server.close();
  }
});

test('a passkey store that never answers: listing passkeys ends with 503, not a hang', { timeout: 30_000 }, async () => {
  const { adapter, user } = hangingStore('authenticatorStore');
  const server = await startServer({ secret: SECRET, logger: quiet, adapter, session: { strategy: 'jwt' }, storeTimeout: 200, providers: [credentials(user), Passkey()] });
  try {
    const browser = new Browser();
    assert.equal((await browser.signInWithCredentials(server.base, { email: 'ann@example.com' })).status, 200);
    const response = await browser.fetch(`${server.base}/passkeys`);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
  } finally {
    await server.close();
  }
});
