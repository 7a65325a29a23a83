// The session index on Redis: a record per session with its TTL, a sorted set per user, and a revocation log scored by Redis time.
import type { Redis } from 'ioredis';
import type { Revocation, SessionRecord, SessionStore } from './types.js';

interface StoredRecord {
  id: string;
  userId: string;
  createdAt: number;
  lastActiveAt: number;
  expires: number;
  userAgent: string | null;
  ipAddress: string | null;
}

/**
 * KEYS: record, the user's index. ARGV: record JSON, expires (ms), id, now (ms). The index is
 * scored by expiry, so expired members are dropped here and it expires with its last session.
 */
const SAVE = `
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[2], last[2]) end
return 1`;

/** KEYS: record. ARGV: last active (ms), expires (ms), index prefix. */
const TOUCH = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
record['lastActiveAt'] = tonumber(ARGV[1])
record['expires'] = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(record), 'PXAT', ARGV[2])
local index = ARGV[3] .. record['userId']
redis.call('ZADD', index, ARGV[2], record['id'])
local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', index, last[2]) end
return 1`;

/**
 * KEYS: the log (scored by revocation time), the same entries scored by expiry. ARGV: record
 * prefix, index prefix, until (ms or ''), then the ids. The time is Redis's own (TIME), so every
 * instance polls one clock. Members are "expires|id"; expired ones are dropped on each write.
 */
const REVOKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 4, #ARGV do
  local id = ARGV[i]
  local current = redis.call('GET', ARGV[1] .. id)
  if current then
    redis.call('ZREM', ARGV[2] .. cjson.decode(current)['userId'], id)
    redis.call('DEL', ARGV[1] .. id)
  end
  if ARGV[3] ~= '' then
    local member = ARGV[3] .. '|' .. id
    redis.call('ZADD', KEYS[1], now, member)
    redis.call('ZADD', KEYS[2], ARGV[3], member)
  end
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZREM', KEYS[2], member)
end
return 1`;

function toRecord(stored: StoredRecord): SessionRecord {
  return {
    id: stored.id,
    userId: stored.userId,
    createdAt: new Date(stored.createdAt),
    lastActiveAt: new Date(stored.lastActiveAt),
    expires: new Date(stored.expires),
    userAgent: stored.userAgent,
    ipAddress: stored.ipAddress,
  };
}

/** On the Redis adapter's client and key prefix; also usable without the adapter as a JWT app's shared store. */
export function createRedisSessionStore(client: () => Promise<Redis>, prefix: string): SessionStore {
  const key = {
    record: (id: string) => `${prefix}device:${id}`,
    recordPrefix: `${prefix}device:`,
    index: (userId: string) => `${prefix}user-devices:${userId}`,
    indexPrefix: `${prefix}user-devices:`,
    log: `${prefix}revoked`,
    byExpiry: `${prefix}revoked-expiry`,
  };

  return {
    async saveSession(record) {
      const stored: StoredRecord = {
        id: record.id,
        userId: record.userId,
        createdAt: record.createdAt.valueOf(),
        lastActiveAt: record.lastActiveAt.valueOf(),
        expires: record.expires.valueOf(),
        userAgent: record.userAgent,
        ipAddress: record.ipAddress,
      };
      await (await client()).eval(SAVE, 2, key.record(record.id), key.index(record.userId), JSON.stringify(stored), stored.expires, record.id, Date.now());
    },

    async touchSession(id, lastActiveAt, expires) {
      await (await client()).eval(TOUCH, 1, key.record(id), lastActiveAt.valueOf(), expires.valueOf(), key.indexPrefix);
    },

    async listUserSessions(userId) {
      const redis = await client();
      const ids = await redis.zrangebyscore(key.index(userId), `(${Date.now()}`, '+inf');
      if (ids.length === 0) return [];
      const values = await redis.mget(ids.map(key.record));
      const records: SessionRecord[] = [];
      for (const value of values) if (value !== null) records.push(toRecord(JSON.parse(value) as StoredRecord));
      return records.sort((a, b) => b.lastActiveAt.valueOf() - a.lastActiveAt.valueOf());
    },

    async revokeSessions(ids, until) {
      if (ids.length === 0) return;
      await (await client()).eval(REVOKE, 2, key.log, key.byExpiry, key.recordPrefix, key.indexPrefix, until ? until.valueOf() : '', ...ids);
    },

    async revocationsSince(since) {
      const flat = await (await client()).zrangebyscore(key.log, since, '+inf', 'WITHSCORES');
      const now = Date.now();
      const out: Revocation[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const member = flat[i] as string;
        const bar = member.indexOf('|');
        const expires = Number(member.slice(0, bar));
        if (expires > now) out.push({ id: member.slice(bar + 1), revokedAt: Number(flat[i + 1]), expires });
      }
      return out;
    },
  };
}
