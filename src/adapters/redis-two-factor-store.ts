// Second factors on Redis: a hash per enrolment and a set of backup-code hashes per user; each use is one atomic step.
import type { Redis } from 'ioredis';
import type { TwoFactorStore } from './types.js';

/** KEYS: enrolment. ARGV: step. Moves last_step forward only: a replayed or older step returns 0. */
const USE_STEP = `
local last = redis.call('HGET', KEYS[1], 'last_step')
if not last or tonumber(last) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'last_step', ARGV[1])
return 1`;

/** The user's keys: the enrolment hash and the backup-code set (deleteUser removes both). */
export function twoFactorKeys(prefix: string, userId: string): [enrolment: string, codes: string] {
  return [`${prefix}two-factor:${userId}`, `${prefix}backup-codes:${userId}`];
}

export function createRedisTwoFactorStore(client: () => Promise<Redis>, prefix: string): TwoFactorStore {
  const enrolment = (userId: string) => twoFactorKeys(prefix, userId)[0];
  const codes = (userId: string) => twoFactorKeys(prefix, userId)[1];
  return {
    async getTwoFactor(userId) {
      const stored = await (await client()).hgetall(enrolment(userId));
      if (!stored.secret) return null;
      return {
        userId,
        secret: stored.secret,
        enabled: stored.enabled === '1',
        lastStep: Number(stored.last_step ?? 0),
        createdAt: new Date(Number(stored.created_at)),
      };
    },
    async saveTwoFactor(record) {
      const key = enrolment(record.userId);
      // DEL then HSET in one MULTI: a replaced enrolment keeps no field of the old one.
      await (
        await client()
      )
        .multi()
        .del(key)
        .hset(key, { secret: record.secret, enabled: record.enabled ? '1' : '0', last_step: String(record.lastStep), created_at: String(record.createdAt.valueOf()) })
        .exec();
    },
    async useTotpStep(userId, step) {
      return (await (await client()).eval(USE_STEP, 1, enrolment(userId), step)) === 1;
    },
    async setBackupCodes(userId, hashes) {
      const multi = (await client()).multi().del(codes(userId));
      if (hashes.length > 0) multi.sadd(codes(userId), ...hashes);
      await multi.exec();
    },
    async useBackupCode(userId, hash) {
      return (await (await client()).srem(codes(userId), hash)) === 1;
    },
    async countBackupCodes(userId) {
      return (await client()).scard(codes(userId));
    },
    async deleteTwoFactor(userId) {
      await (await client()).del(enrolment(userId), codes(userId));
    },
  };
}
