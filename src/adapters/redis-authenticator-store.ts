// Passkeys on Redis: a hash per credential and a sorted set per user by creation time; every write is one script, so each step is atomic.
import type { Redis } from 'ioredis';
import type { AuthenticatorRecord, AuthenticatorStore } from './types.js';

/*
 * A script whose reply was lost with the connection is sent again after the reconnect (ioredis
 * resends unfulfilled commands; see redis.ts). CREATE recognises its own write and answers as the
 * first run did. USE, RENAME and DELETE answer a replay with 0: the assertion or change was done,
 * but the caller is told it was not, which fails closed (the person signs in or deletes again).
 */

/**
 * KEYS: credential, the user's index. ARGV: credential ID, created at (ms), then the hash's fields
 * and values. A credential stored already is refused, unless every field is what this call would
 * write (its own replay: the createdAt millisecond and the public key make a real second
 * registration differ).
 */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  for i = 3, #ARGV, 2 do
    if redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[i + 1] then return 0 end
  end
  if redis.call('HLEN', KEYS[1]) ~= (#ARGV - 2) / 2 then return 0 end
  return 1
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1`;

/**
 * KEYS: credential. ARGV: counter, used at (ms). WebAuthn §6.1.1: the counter must grow, unless
 * the authenticator does not count (0 stored and 0 sent). Read and write in one script, so of
 * parallel assertions with one counter exactly one is accepted.
 */
const USE = `
local stored = redis.call('HGET', KEYS[1], 'counter')
if not stored then return 0 end
local current, next = tonumber(stored), tonumber(ARGV[1])
if not (next > current or (next == 0 and current == 0)) then return 0 end
redis.call('HSET', KEYS[1], 'counter', ARGV[1], 'lastUsedAt', ARGV[2])
return 1`;

/** KEYS: credential. ARGV: owner, '1' to set a name or '0' to clear it, the name. */
const RENAME = `
if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return 0 end
if ARGV[2] == '1' then redis.call('HSET', KEYS[1], 'name', ARGV[3]) else redis.call('HDEL', KEYS[1], 'name') end
return 1`;

/** KEYS: credential, the owner's index. ARGV: owner, credential ID. */
const DELETE = `
if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`;

/** Where a user's passkeys are: deleteUser's script removes every credential its index names, then the index. */
export function authenticatorKeys(prefix: string): { credentialPrefix: string; index: (userId: string) => string } {
  return { credentialPrefix: `${prefix}authenticator:`, index: (userId) => `${prefix}user-authenticators:${userId}` };
}

/** The hash's fields; `name` and `lastUsedAt` are absent when null, `transports` comma-separated as in the @auth schema. */
function fields(record: AuthenticatorRecord): string[] {
  const out = [
    'userId',
    record.userId,
    'publicKey',
    record.publicKey,
    'counter',
    String(record.counter),
    'transports',
    record.transports.join(','),
    'backedUp',
    record.backedUp ? '1' : '0',
    'deviceType',
    record.deviceType,
    'createdAt',
    String(record.createdAt.valueOf()),
  ];
  if (record.name !== null) out.push('name', record.name);
  if (record.lastUsedAt !== null) out.push('lastUsedAt', String(record.lastUsedAt.valueOf()));
  return out;
}

function toRecord(credentialID: string, stored: Record<string, string>): AuthenticatorRecord | null {
  if (stored.userId === undefined) return null;
  return {
    credentialID,
    userId: stored.userId,
    publicKey: stored.publicKey ?? '',
    counter: Number(stored.counter ?? 0),
    transports: stored.transports ? stored.transports.split(',') : [],
    backedUp: stored.backedUp === '1',
    deviceType: stored.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    name: stored.name ?? null,
    createdAt: new Date(Number(stored.createdAt)),
    lastUsedAt: stored.lastUsedAt === undefined ? null : new Date(Number(stored.lastUsedAt)),
  };
}

export function createRedisAuthenticatorStore(client: () => Promise<Redis>, prefix: string): AuthenticatorStore {
  const { credentialPrefix, index } = authenticatorKeys(prefix);
  const credential = (credentialID: string) => `${credentialPrefix}${credentialID}`;
  return {
    async createAuthenticator(record) {
      const args = [record.credentialID, record.createdAt.valueOf(), ...fields(record)];
      return (await (await client()).eval(CREATE, 2, credential(record.credentialID), index(record.userId), ...args)) === 1;
    },
    async getAuthenticator(credentialID) {
      return toRecord(credentialID, await (await client()).hgetall(credential(credentialID)));
    },
    async listAuthenticators(userId) {
      const redis = await client();
      // Scored by createdAt: ascending is oldest first (ties by credential ID, Redis's order for equal scores).
      const ids = await redis.zrange(index(userId), 0, -1);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(credential(id));
      const replies = (await pipeline.exec()) ?? [];
      const out: AuthenticatorRecord[] = [];
      ids.forEach((id, i) => {
        const [error, stored] = replies[i] ?? [null, {}];
        if (error) throw error;
        const record = toRecord(id, stored as Record<string, string>);
        // A credential deleted between the two reads is left out; one another user owns is never listed.
        if (record && record.userId === userId) out.push(record);
      });
      return out;
    },
    async useAuthenticator(credentialID, counter, usedAt) {
      return (await (await client()).eval(USE, 1, credential(credentialID), counter, usedAt.valueOf())) === 1;
    },
    async renameAuthenticator(userId, credentialID, name) {
      return (await (await client()).eval(RENAME, 1, credential(credentialID), userId, name === null ? '0' : '1', name ?? '')) === 1;
    },
    async deleteAuthenticator(userId, credentialID) {
      return (await (await client()).eval(DELETE, 2, credential(credentialID), index(userId), userId, credentialID)) === 1;
    },
  };
}
