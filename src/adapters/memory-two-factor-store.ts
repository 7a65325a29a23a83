// Second factors in process memory: the memory adapter's `twoFactorStore()` (one process only, gone on restart).
import type { TwoFactorRecord, TwoFactorStore } from './types.js';

export function memoryTwoFactorStore(): TwoFactorStore {
  const enrolments = new Map<string, TwoFactorRecord>();
  const codes = new Map<string, Set<string>>();
  return {
    async getTwoFactor(userId) {
      const found = enrolments.get(userId);
      return found ? { ...found, createdAt: new Date(found.createdAt) } : null;
    },
    async saveTwoFactor(record) {
      enrolments.set(record.userId, { ...record, createdAt: new Date(record.createdAt) });
    },
    // Synchronous between the read and the write: no await, so parallel uses cannot interleave.
    async useTotpStep(userId, step) {
      const found = enrolments.get(userId);
      if (!found || found.lastStep >= step) return false;
      found.lastStep = step;
      return true;
    },
    async setBackupCodes(userId, hashes) {
      codes.set(userId, new Set(hashes));
    },
    async useBackupCode(userId, hash) {
      return codes.get(userId)?.delete(hash) ?? false;
    },
    async countBackupCodes(userId) {
      return codes.get(userId)?.size ?? 0;
    },
    async deleteTwoFactor(userId) {
      enrolments.delete(userId);
      codes.delete(userId);
    },
  };
}
