// gatehouse-auth/adapters/redis: every adapter method on Redis (ioredis), with sessions and verification tokens expiring by TTL.
import type { Redis, RedisOptions } from 'ioredis';
import { sha256Hex } from '../core/crypto.js';
import type { RateLimitStore } from '../types.js';
import { duplicateAccount, duplicateEmail, unknownUser } from './errors.js';
import { loadDriver } from './load.js';
import { authenticatorKeys, createRedisAuthenticatorStore } from './redis-authenticator-store.js';
import { createRedisSessionStore } from './redis-session-store.js';
import { deleteForms, hashSessionToken } from '../core/session-token.js';
import { createRedisTwoFactorStore, twoFactorKeys } from './redis-two-factor-store.js';
import type { AdapterAccount, AdapterSession, AdapterUser, GatehouseAdapter, LeaseStore, StoredPassword, VerificationToken } from './types.js';

export { AdapterError } from './errors.js';

/** An ioredis client, its options, or a `redis://` URL. */
export type RedisConnection = Redis | RedisOptions | string;

export interface RedisAdapter extends GatehouseAdapter {
  /**
   * A rate-limit store in this Redis, so every instance of the app counts the same attempts:
   * `rateLimit: { store: adapter.rateLimitStore() }`. Windows expire by TTL.
   */
  rateLimitStore(): RateLimitStore;
}

export interface RedisAdapterOptions {
  /** Put before every key, so several apps (or test runs) can share one Redis. Default `gatehouse:`. */
  prefix?: string;
}

interface StoredUser {
  id: string;
  name: string | null;
  email: string | null;
  emailVerified: string | null;
  image: string | null;
}

interface StoredSession {
  userId: string;
  expires: string;
}

interface StoredToken {
  identifier: string;
  token: string;
  expires: string;
}

/*
 * Every write that touches more than one key is one Lua script: Redis runs a script atomically,
 * so a dropped connection leaves either all of it or none of it. Errors come back as fixed
 * strings that the adapter turns into AdapterErrors.
 *
 * A script whose reply was lost with the connection is sent again after the reconnect (ioredis
 * resends unfulfilled commands), so each one must give the same answer when it runs twice:
 * a replayed createUser or linkAccount finds its own write, not a duplicate.
 */

/** KEYS: user, [email index]. ARGV: user JSON, id. */
const CREATE_USER = `
if KEYS[2] then
  local owner = redis.call('GET', KEYS[2])
  if owner and owner ~= ARGV[2] then return redis.error_reply('GATEHOUSE_DUPLICATE_EMAIL') end
  redis.call('SET', KEYS[2], ARGV[2])
end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

/** KEYS: user. ARGV: patch JSON, email index prefix. Returns the new user JSON. */
const UPDATE_USER = `
local current = redis.call('GET', KEYS[1])
if not current then return redis.error_reply('GATEHOUSE_UNKNOWN_USER') end
local user = cjson.decode(current)
local patch = cjson.decode(ARGV[1])
local email = patch['email']
if email ~= nil and email ~= user['email'] then
  if type(email) == 'string' and not redis.call('SET', ARGV[2] .. email, user['id'], 'NX') then
    return redis.error_reply('GATEHOUSE_DUPLICATE_EMAIL')
  end
  if type(user['email']) == 'string' then redis.call('DEL', ARGV[2] .. user['email']) end
end
for key, value in pairs(patch) do user[key] = value end
local out = cjson.encode(user)
redis.call('SET', KEYS[1], out)
return out`;

/**
 * KEYS: user, its session index, its account set, its password, its two-factor enrolment and backup
 * codes, its passkey index. ARGV: email index prefix, session key prefix, passkey key prefix.
 */
const DELETE_USER = `
local current = redis.call('GET', KEYS[1])
if not current then return false end
local user = cjson.decode(current)
if type(user['email']) == 'string' and redis.call('GET', ARGV[1] .. user['email']) == user['id'] then
  redis.call('DEL', ARGV[1] .. user['email'])
end
for _, stored in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do redis.call('DEL', ARGV[2] .. stored) end
for _, key in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', key) end
for _, id in ipairs(redis.call('ZRANGE', KEYS[7], 0, -1)) do redis.call('DEL', ARGV[3] .. id) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return current`;

/** KEYS: account, the user's account set, user. ARGV: account JSON. */
const LINK_ACCOUNT = `
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('GATEHOUSE_UNKNOWN_USER') end
local existing = redis.call('GET', KEYS[1])
if existing then
  if existing == ARGV[1] then return 1 end
  return redis.error_reply('GATEHOUSE_DUPLICATE_ACCOUNT')
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], KEYS[1])
return 1`;

/**
 * KEYS: user, account, the user's account set, [email index]. ARGV: user JSON, id, account JSON.
 * A first sign-in's user and account in one step. A replay finds its own account and answers as
 * the first run did; another user's account or email is refused before anything is written.
 */
const CREATE_USER_WITH_ACCOUNT = `
local existing = redis.call('GET', KEYS[2])
if existing then
  if existing == ARGV[3] then return 1 end
  return redis.error_reply('GATEHOUSE_DUPLICATE_ACCOUNT')
end
if KEYS[4] then
  local owner = redis.call('GET', KEYS[4])
  if owner and owner ~= ARGV[2] then return redis.error_reply('GATEHOUSE_DUPLICATE_EMAIL') end
  redis.call('SET', KEYS[4], ARGV[2])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SADD', KEYS[3], KEYS[2])
return 1`;

/** KEYS: account. ARGV: account set prefix. */
const UNLINK_ACCOUNT = `
local current = redis.call('GET', KEYS[1])
if not current then return false end
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. cjson.decode(current)['userId'], KEYS[1])
return current`;

/**
 * Keeps a user's session index (a sorted set scored by expiry) tidy: expired members go, and
 * the index itself expires with its last session, so nothing outlives the sessions it lists.
 */
const PRUNE_INDEX = `
local function prune(index, now)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIREAT', index, last[2]) end
end`;

/** KEYS: session, the user's session index, user. ARGV: session JSON, expires (ms), stored token, now (ms). */
const CREATE_SESSION = `${PRUNE_INDEX}
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('GATEHOUSE_UNKNOWN_USER') end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
prune(KEYS[2], ARGV[4])
return 1`;

/** KEYS: session. ARGV: expires (ISO), expires (ms), session index prefix, stored token, now (ms). */
const UPDATE_SESSION = `${PRUNE_INDEX}
local current = redis.call('GET', KEYS[1])
if not current then return false end
local session = cjson.decode(current)
session['expires'] = ARGV[1]
local out = cjson.encode(session)
redis.call('SET', KEYS[1], out, 'PXAT', ARGV[2])
local index = ARGV[3] .. session['userId']
redis.call('ZADD', index, ARGV[2], ARGV[4])
prune(index, ARGV[5])
return out`;

/** KEYS: candidate session keys. ARGV: session index prefix, then the stored token of each key. */
const DELETE_SESSION = `
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current then
    redis.call('DEL', key)
    redis.call('ZREM', ARGV[1] .. cjson.decode(current)['userId'], ARGV[i + 1])
    return current
  end
end
return false`;

/** KEYS: the user's session index. ARGV: session key prefix, then the stored forms to keep. */
const DELETE_SESSIONS_EXCEPT = `
local keep = {}
for i = 2, #ARGV do keep[ARGV[i]] = true end
for _, stored in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if not keep[stored] then
    redis.call('DEL', ARGV[1] .. stored)
    redis.call('ZREM', KEYS[1], stored)
  end
end
return 1`;

/** KEYS: password, user. ARGV: hash. A replay writes the same hash again. */
const SET_PASSWORD = `
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('GATEHOUSE_UNKNOWN_USER') end
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'failures', 0, 'lockouts', 0, 'lockedUntil', '')
return 1`;

/** KEYS: password. Returns the new failure count, 0 without a password; a replay counts twice, which errs on the side of locking. */
const COUNT_PASSWORD_FAILURE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], 'failures', 1)`;

/** KEYS: password. ARGV: locked until (ms). */
const LOCK_PASSWORD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'failures', 0, 'lockedUntil', ARGV[1])
return redis.call('HINCRBY', KEYS[1], 'lockouts', 1)`;

/** KEYS: password. */
const CLEAR_PASSWORD_FAILURES = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'failures', 0, 'lockouts', 0, 'lockedUntil', '')
return 1`;

/**
 * KEYS: the bucket. ARGV: window (ms). Returns the count and the milliseconds left. The first hit
 * opens the window; a replayed hit counts twice, which errs on the side of limiting.
 */
const RATE_LIMIT_HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** KEYS: the bucket. One hit back, never below zero; DECR keeps the key's TTL, so the window's end stays. */
const RATE_LIMIT_REFUND = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

function toUser(stored: StoredUser): AdapterUser {
  return {
    id: stored.id,
    name: stored.name,
    email: stored.email ?? '',
    emailVerified: stored.emailVerified === null ? null : new Date(stored.emailVerified),
    image: stored.image,
  };
}

function storedUser(id: string, user: Omit<AdapterUser, 'id'>): StoredUser {
  const emailVerified = user.emailVerified instanceof Date || typeof user.emailVerified === 'string' ? new Date(user.emailVerified) : null;
  return {
    id,
    name: nullable(user.name),
    email: nullable(user.email) || null,
    emailVerified: emailVerified && emailVerified.toISOString(),
    image: nullable(user.image),
  };
}

function nullable(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

function parse<T>(json: string | null): T | null {
  return json === null ? null : (JSON.parse(json) as T);
}

/** The fixed error strings of the scripts, as AdapterErrors; anything else passes through. */
function scriptError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  if (message.includes('GATEHOUSE_DUPLICATE_EMAIL')) return duplicateEmail(error);
  if (message.includes('GATEHOUSE_DUPLICATE_ACCOUNT')) return duplicateAccount(error);
  if (message.includes('GATEHOUSE_UNKNOWN_USER')) return unknownUser(error);
  return error;
}

/**
 * The settings of a client this adapter creates (a client you pass keeps its own; your options
 * win). Fail fast while Redis is down: two reconnect attempts per command, not twenty; no command
 * waits more than 5 s for its reply, after which the silent connection is replaced; a connection
 * attempt waits at most 5 s; TCP keepalive finds dead peers. Unfulfilled commands stay resent (the
 * default): with that off, ioredis 5 never settles a command caught in a drop (ioredis#2193).
 */
export const REDIS_DRIVER_DEFAULTS = {
  maxRetriesPerRequest: 2,
  commandTimeout: 5000,
  connectTimeout: 5000,
  keepAlive: 10_000,
} as const satisfies RedisOptions;

/** Every method of `target`, its failures first shown to `onError` (which replaces a silent connection). */
function watched<T extends object>(target: T, onError: (error: unknown) => void): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    out[name] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => unknown).apply(target, args);
            } catch (error) {
              onError(error);
              throw error;
            }
          }
        : value;
  }
  return out as T;
}

/**
 * `redisAdapter('redis://127.0.0.1:6379')`, `redisAdapter({ host, port })` or
 * `redisAdapter(client)`. Needs Redis ≥ 6.2 (GETDEL, PXAT). Standalone Redis only: the scripts
 * touch keys they compute, which Redis Cluster does not allow.
 */
export function redisAdapter(connection: RedisConnection, options: RedisAdapterOptions = {}): RedisAdapter {
  const prefix = options.prefix ?? 'gatehouse:';
  const key = {
    user: (id: string) => `${prefix}user:${id}`,
    emailPrefix: `${prefix}email:`,
    email: (email: string) => `${prefix}email:${email}`,
    accountSetPrefix: `${prefix}user-accounts:`,
    accountSet: (userId: string) => `${prefix}user-accounts:${userId}`,
    sessionIndexPrefix: `${prefix}user-sessions:`,
    sessionIndex: (userId: string) => `${prefix}user-sessions:${userId}`,
    // JSON arrays: a provider or identifier containing ':' cannot make two keys collide.
    account: (provider: string, providerAccountId: string) => `${prefix}account:${JSON.stringify([provider, providerAccountId])}`,
    sessionPrefix: `${prefix}session:`,
    session: (stored: string) => `${prefix}session:${stored}`,
    password: (userId: string) => `${prefix}password:${userId}`,
    token: (identifier: string, token: string) => `${prefix}verification:${JSON.stringify([identifier, token])}`,
    // Hashed: rate-limit keys hold emails and IP addresses, which need not sit in Redis.
    rate: (bucket: string) => `${prefix}rate:${sha256Hex(bucket)}`,
    lease: (id: string) => `${prefix}lease:${id}`,
  };

  let clientPromise: Promise<Redis> | undefined;
  let owned: Redis | undefined;
  let sessionIndex: ReturnType<typeof createRedisSessionStore> | undefined;
  let twoFactor: ReturnType<typeof createRedisTwoFactorStore> | undefined;
  let authenticators: ReturnType<typeof createRedisAuthenticatorStore> | undefined;

  function client(): Promise<Redis> {
    clientPromise ??= (async () => {
      if (typeof connection === 'object' && typeof (connection as Redis).eval === 'function') return connection as Redis;
      const IORedis = await loadDriver<typeof import('ioredis').default>('ioredis', 'redis');
      const created = typeof connection === 'string' ? new IORedis(connection, REDIS_DRIVER_DEFAULTS) : new IORedis({ ...REDIS_DRIVER_DEFAULTS, ...(connection as RedisOptions) });
      // Connection errors reach callers as rejected commands; the listener stops ioredis printing each one.
      created.on('error', () => undefined);
      owned = created;
      return created;
    })().catch((error: unknown) => {
      clientPromise = undefined;
      throw error;
    });
    return clientPromise;
  }

  /**
   * A command that timed out means the connection is silent (a stalled network, a frozen server):
   * ioredis would keep sending on it for ever, since nothing closes a socket that only goes quiet.
   * Drop it and connect afresh, at most once per command timeout so the commands that timed out
   * together do not tear down the new connection too. Also after a handshake that stalled
   * (status 'connect'), which no ioredis timeout covers.
   */
  let revivedAt = 0;
  function revive(error: unknown): void {
    if (!(error instanceof Error) || !/Command timed out/.test(error.message)) return;
    // The client in use only: never one opened for this (a command that timed out after close() would leak it).
    void clientPromise?.then(
      (redis) => {
        const now = Date.now();
        const quiet = redis.options.commandTimeout ?? REDIS_DRIVER_DEFAULTS.commandTimeout;
        if (now - revivedAt < quiet || (redis.status !== 'ready' && redis.status !== 'connect')) return;
        revivedAt = now;
        redis.disconnect(true);
      },
      () => undefined,
    );
  }

  async function script(source: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const redis = await client();
    try {
      return await redis.eval(source, keys.length, ...keys, ...args);
    } catch (error) {
      throw scriptError(error);
    }
  }

  async function readUser(id: string): Promise<AdapterUser | null> {
    const stored = parse<StoredUser>(await (await client()).get(key.user(id)));
    return stored && toUser(stored);
  }

  const adapter: RedisAdapter = {
    async migrate() {
      await (await client()).ping();
    },

    async close() {
      const redis = owned;
      owned = undefined;
      clientPromise = undefined;
      if (!redis) return;
      // QUIT needs a live connection; during an outage it would wait out the reconnects, so the client is just dropped.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },

    async createUser(user) {
      const stored = storedUser(crypto.randomUUID(), user);
      const { id, email } = stored;
      await script(CREATE_USER, email ? [key.user(id), key.email(email)] : [key.user(id)], [JSON.stringify(stored), id]);
      return toUser(stored);
    },

    getUser: readUser,

    async getUserByEmail(email) {
      if (!email) return null;
      const id = await (await client()).get(key.email(email));
      return id === null ? null : readUser(id);
    },

    async getUserByAccount({ provider, providerAccountId }) {
      const account = parse<AdapterAccount>(await (await client()).get(key.account(provider, providerAccountId)));
      return account ? readUser(account.userId) : null;
    },

    async updateUser(user) {
      const patch: Partial<StoredUser> = {};
      if (user.name !== undefined) patch.name = nullable(user.name);
      if (user.image !== undefined) patch.image = nullable(user.image);
      if (user.email !== undefined) patch.email = nullable(user.email) || null;
      if (user.emailVerified !== undefined) {
        patch.emailVerified = user.emailVerified === null ? null : new Date(user.emailVerified).toISOString();
      }
      const out = await script(UPDATE_USER, [key.user(user.id)], [JSON.stringify(patch), key.emailPrefix]);
      return toUser(JSON.parse(String(out)) as StoredUser);
    },

    async deleteUser(userId) {
      const passkeys = authenticatorKeys(prefix);
      const out = await script(
        DELETE_USER,
        [key.user(userId), key.sessionIndex(userId), key.accountSet(userId), key.password(userId), ...twoFactorKeys(prefix, userId), passkeys.index(userId)],
        [key.emailPrefix, key.sessionPrefix, passkeys.credentialPrefix],
      );
      return typeof out === 'string' ? toUser(JSON.parse(out) as StoredUser) : null;
    },

    async linkAccount(account) {
      const accountKey = key.account(account.provider, account.providerAccountId);
      await script(LINK_ACCOUNT, [accountKey, key.accountSet(account.userId), key.user(account.userId)], [JSON.stringify(account)]);
      return account;
    },

    async createUserWithAccount(user, account) {
      const stored = storedUser(crypto.randomUUID(), user);
      const linked = { ...account, userId: stored.id } as AdapterAccount;
      const accountKey = key.account(account.provider, account.providerAccountId);
      const keys = [key.user(stored.id), accountKey, key.accountSet(stored.id)];
      if (stored.email) keys.push(key.email(stored.email));
      await script(CREATE_USER_WITH_ACCOUNT, keys, [JSON.stringify(stored), stored.id, JSON.stringify(linked)]);
      return { user: toUser(stored), account: linked };
    },

    async unlinkAccount({ provider, providerAccountId }) {
      const out = await script(UNLINK_ACCOUNT, [key.account(provider, providerAccountId)], [key.accountSetPrefix]);
      return typeof out === 'string' ? (JSON.parse(out) as AdapterAccount) : undefined;
    },

    async createSession(session) {
      const stored = hashSessionToken(session.sessionToken);
      const expires = new Date(session.expires);
      const value: StoredSession = { userId: session.userId, expires: expires.toISOString() };
      await script(CREATE_SESSION, [key.session(stored), key.sessionIndex(session.userId), key.user(session.userId)], [JSON.stringify(value), expires.valueOf(), stored, Date.now()]);
      return { sessionToken: session.sessionToken, userId: session.userId, expires };
    },

    async getSessionAndUser(sessionToken) {
      // No raw fallback here: no next-auth Redis layout is read, so every row is gatehouse's own and hashed.
      const stored = parse<StoredSession>(await (await client()).get(key.session(hashSessionToken(sessionToken))));
      if (!stored) return null;
      const user = await readUser(stored.userId);
      if (!user) return null;
      return { session: { sessionToken, userId: stored.userId, expires: new Date(stored.expires) }, user };
    },

    async updateSession({ sessionToken, expires }) {
      const stored = hashSessionToken(sessionToken);
      let out: unknown;
      if (expires === undefined) {
        out = await (await client()).get(key.session(stored));
      } else {
        const at = new Date(expires);
        out = await script(UPDATE_SESSION, [key.session(stored)], [at.toISOString(), at.valueOf(), key.sessionIndexPrefix, stored, Date.now()]);
      }
      if (typeof out !== 'string') return null;
      const session = JSON.parse(out) as StoredSession;
      return { sessionToken, userId: session.userId, expires: new Date(session.expires) };
    },

    async deleteSession(sessionToken) {
      const forms = deleteForms(sessionToken);
      const out = await script(DELETE_SESSION, forms.map(key.session), [key.sessionIndexPrefix, ...forms]);
      if (typeof out !== 'string') return null;
      const session = JSON.parse(out) as StoredSession;
      return { sessionToken, userId: session.userId, expires: new Date(session.expires) };
    },

    async listSessions(userId) {
      const flat = await (await client()).zrevrangebyscore(key.sessionIndex(userId), '+inf', `(${Date.now()}`, 'WITHSCORES');
      const sessions: AdapterSession[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        sessions.push({ sessionToken: flat[i] as string, userId, expires: new Date(Number(flat[i + 1])) });
      }
      return sessions;
    },

    async deleteSessionsExcept(userId, keepSessionToken) {
      const keep = keepSessionToken === null ? [] : deleteForms(keepSessionToken);
      await script(DELETE_SESSIONS_EXCEPT, [key.sessionIndex(userId)], [key.sessionPrefix, ...keep]);
    },

    async getPassword(userId) {
      const fields = await (await client()).hgetall(key.password(userId));
      if (typeof fields.hash !== 'string') return null;
      const lockedUntil = fields.lockedUntil ? new Date(Number(fields.lockedUntil)) : null;
      const stored: StoredPassword = { userId, hash: fields.hash, failures: Number(fields.failures ?? 0), lockouts: Number(fields.lockouts ?? 0), lockedUntil };
      return stored;
    },

    async setPassword(userId, hash) {
      await script(SET_PASSWORD, [key.password(userId), key.user(userId)], [hash]);
    },

    async countPasswordFailure(userId) {
      return Number(await script(COUNT_PASSWORD_FAILURE, [key.password(userId)], []));
    },

    async lockPassword(userId, until) {
      await script(LOCK_PASSWORD, [key.password(userId)], [new Date(until).valueOf()]);
    },

    async clearPasswordFailures(userId) {
      await script(CLEAR_PASSWORD_FAILURES, [key.password(userId)], []);
    },

    async createVerificationToken(token) {
      const stored: StoredToken = { identifier: token.identifier, token: token.token, expires: new Date(token.expires).toISOString() };
      // PXAT in the past stores nothing: an expired token would be refused by the core anyway.
      await (await client()).set(key.token(token.identifier, token.token), JSON.stringify(stored), 'PXAT', new Date(token.expires).valueOf());
      return token;
    },

    // The stores run on the same client, so a command of theirs that times out replaces the connection too.
    sessionStore: () => (sessionIndex ??= watched(createRedisSessionStore(client, prefix), revive)),
    twoFactorStore: () => (twoFactor ??= watched(createRedisTwoFactorStore(client, prefix), revive)),
    authenticatorStore: () => (authenticators ??= watched(createRedisAuthenticatorStore(client, prefix), revive)),

    leaseStore(): LeaseStore {
      const ttl = (ms: number) => Math.max(1, Math.round(ms));
      return watched<LeaseStore>(
        {
          // SET … NX PX: one atomic step, so of instances adding at once exactly one gets 'OK'.
          add: async (id, value, ttlMs) => (await (await client()).set(key.lease(id), value, 'PX', ttl(ttlMs), 'NX')) === 'OK',
          set: async (id, value, ttlMs) => void (await (await client()).set(key.lease(id), value, 'PX', ttl(ttlMs))),
          // PEXPIRE leaves a missing (or already expired, so deleted) key missing.
          extend: async (id, ttlMs) => void (await (await client()).pexpire(key.lease(id), ttl(ttlMs))),
          get: async (id) => (await client()).get(key.lease(id)),
          delete: async (id) => void (await (await client()).del(key.lease(id))),
        },
        revive,
      );
    },

    rateLimitStore(): RateLimitStore {
      return watched<RateLimitStore>(
        {
          async hit(bucket, windowSeconds) {
            const [count, ttl] = (await script(RATE_LIMIT_HIT, [key.rate(bucket)], [Math.max(1, Math.round(windowSeconds * 1000))])) as [number, number];
            return { count, resetAt: Date.now() + ttl };
          },
          async peek(bucket) {
            const redis = await client();
            const [[, count], [, ttl]] = (await redis.multi().get(key.rate(bucket)).pttl(key.rate(bucket)).exec()) as [[Error | null, string | null], [Error | null, number]];
            return count === null || ttl <= 0 ? { count: 0, resetAt: 0 } : { count: Number(count), resetAt: Date.now() + ttl };
          },
          async refund(bucket) {
            await script(RATE_LIMIT_REFUND, [key.rate(bucket)], []);
          },
          async reset(bucket) {
            await (await client()).del(key.rate(bucket));
          },
        },
        revive,
      );
    },

    async useVerificationToken({ identifier, token }) {
      // GETDEL: read and delete in one command, so of two racing requests exactly one gets it.
      const stored = parse<StoredToken>(await (await client()).getdel(key.token(identifier, token)));
      if (!stored) return null;
      const used: VerificationToken = { identifier: stored.identifier, token: stored.token, expires: new Date(stored.expires) };
      return used;
    },
  };
  // The store factories answer synchronously (their stores are watched themselves); every other method is watched here.
  const { sessionStore, twoFactorStore, authenticatorStore, leaseStore, rateLimitStore, ...methods } = adapter;
  return { ...watched(methods, revive), sessionStore, twoFactorStore, authenticatorStore, leaseStore, rateLimitStore };
}

export default redisAdapter;
