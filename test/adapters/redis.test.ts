// gatehouse-auth/adapters/redis on the real Redis: the conformance suite under a fresh key prefix, TTLs, and a killed client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import { runAdapterConformance, type StorageProbe } from '../../src/adapters/conformance.js';
import { redisAdapter } from '../../src/adapters/redis.js';
import { REDIS, runName, serviceSkipReason } from './services.js';

const skip = await serviceSkipReason(`Redis at ${REDIS.host}:${REDIS.port}`, async () => {
  const probe = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
});

const name = runName();
const prefix = `${name}:`;
let admin: Redis;
let adapter: GatehouseAdapter;

/** Every key under the prefix matching a pattern, as stored (SCAN, not the adapter's own indexes). */
async function scanJson(pattern: string): Promise<Array<{ key: string; value: Record<string, unknown> }>> {
  const found: Array<{ key: string; value: Record<string, unknown> }> = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const value = await admin.get(key);
      if (value !== null) found.push({ key, value: JSON.parse(value) as Record<string, unknown> });
    }
  } while (cursor !== '0');
  return found;
}

const storage: StorageProbe = {
  async sessions(userId) {
    return (await scanJson('session:*')).filter(({ value }) => value.userId === userId).map(({ key, value }) => ({ sessionToken: key.slice(`${prefix}session:`.length), expires: new Date(String(value.expires)) }));
  },
  async accounts(userId) {
    return (await scanJson('account:*')).filter(({ value }) => value.userId === userId).map(({ value }) => value);
  },
  async passwordHash(userId) {
    return (await admin.hget(`${prefix}password:${userId}`, 'hash')) ?? null;
  },
  async verificationTokens(identifier) {
    return (await scanJson('verification:*')).filter(({ value }) => value.identifier === identifier).map(({ value }) => ({ token: String(value.token), expires: new Date(String(value.expires)) }));
  },
};

async function deleteAll(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await admin.del(...keys);
  } while (cursor !== '0');
}

runAdapterConformance({
  name: 'redis',
  ...(skip === undefined ? {} : { skip }),
  async adapter() {
    admin = new Redis(REDIS);
    // connectionName tags the adapter's connection in CLIENT LIST, so the test can kill exactly it.
    adapter = redisAdapter({ ...REDIS, connectionName: name }, { prefix });
    await adapter.migrate();
    return adapter;
  },
  async cleanup() {
    await adapter?.close();
    await deleteAll();
    await admin?.quit();
  },
  storage,
  interrupt: {
    async dropConnections() {
      const clients = String(await admin.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${name} `));
      for (const line of clients) await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)?.[1] ?? '0');
    },
  },
});

describe('redis: expiry and layout', { skip }, () => {
  let own: GatehouseAdapter;
  let client: Redis;
  const ownPrefix = `${runName()}:`;
  before(() => {
    client = new Redis(REDIS);
    own = redisAdapter(client, { prefix: ownPrefix });
  });
  after(async () => {
    const keys = await client.keys(`${ownPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await own.close();
    await client.quit();
  });

  test('sessions and verification tokens carry a TTL that ends at their expiry', async () => {
    const user = await own.createUser({ email: 'ttl@example.com', emailVerified: null });
    const expires = new Date(Date.now() + 3_600_000);
    await own.createSession({ sessionToken: 'tok', userId: user.id, expires });
    await own.createVerificationToken({ identifier: 'ttl@example.com', token: 'vt', expires });
    const sessionKeys = await client.keys(`${ownPrefix}session:*`);
    const tokenKeys = await client.keys(`${ownPrefix}verification:*`);
    assert.equal(sessionKeys.length, 1);
    assert.equal(tokenKeys.length, 1);
    for (const key of [...sessionKeys, ...tokenKeys, `${ownPrefix}user-sessions:${user.id}`]) {
      assert.equal(await client.pexpiretime(key), expires.valueOf(), key);
    }
    const later = new Date(expires.valueOf() + 86_400_000);
    await own.updateSession({ sessionToken: 'tok', expires: later });
    assert.equal(await client.pexpiretime(sessionKeys[0] as string), later.valueOf());
    // The user and their accounts never expire.
    assert.equal(await client.pttl(`${ownPrefix}user:${user.id}`), -1);
  });

  test('passkeys: a hash per credential and a sorted set per user by creation time, both gone with the user; a replayed create answers as the first', async () => {
    const store = own.authenticatorStore();
    const user = await own.createUser({ email: 'passkeys@example.com', emailVerified: null });
    const record = {
      credentialID: 'AAECAwQFBgcICQoLDA0ODw',
      userId: user.id,
      publicKey: 'pQECAyYgASFYIA',
      counter: 3,
      transports: ['usb', 'nfc'],
      backedUp: false,
      deviceType: 'singleDevice' as const,
      name: 'Key',
      createdAt: new Date(1_767_000_000_123),
      lastUsedAt: null,
    };
    assert.equal(await store.createAuthenticator(record), true);
    // What ioredis does after a reply lost with the connection: the same script again. It finds its own write.
    assert.equal(await store.createAuthenticator(record), true, 'a replay of the same create');
    assert.equal(await store.createAuthenticator({ ...record, createdAt: new Date(1_767_000_000_124) }), false, 'a second registration of the credential');
    const key = `${ownPrefix}authenticator:${record.credentialID}`;
    const index = `${ownPrefix}user-authenticators:${user.id}`;
    assert.deepEqual(await client.hgetall(key), {
      userId: user.id,
      publicKey: record.publicKey,
      counter: '3',
      transports: 'usb,nfc',
      backedUp: '0',
      deviceType: 'singleDevice',
      createdAt: '1767000000123',
      name: 'Key',
    });
    assert.deepEqual(await client.zrange(index, 0, -1, 'WITHSCORES'), [record.credentialID, '1767000000123']);
    assert.equal(await client.pttl(key), -1, 'passkeys never expire');
    await own.deleteUser(user.id);
    assert.equal(await client.exists(key, index), 0);
  });

  test('a client passed in is used and left open', async () => {
    await own.createUser({ email: 'open@example.com', emailVerified: null });
    await own.close();
    assert.equal(await client.ping(), 'PONG');
  });
});
