// Adapter conformance, second factors (`twoFactorStore()`): TOTP and email-code enrolments, replay-proof steps, single-use backup codes, cleanup with the user.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { TwoFactorRecord, TwoFactorStore } from '../types.js';
import type { SuiteHarness } from './harness.js';

/** The `two-factor` tests; an adapter without `twoFactorStore()` skips them, saying so. */
export function twoFactorSuite(suite: SuiteHarness): void {
  const { unique } = suite;
  describe('two-factor (gatehouse adapters: TOTP enrolments and backup codes)', () => {
    const record = (userId: string, overrides: Partial<TwoFactorRecord> = {}): TwoFactorRecord => ({
      userId,
      secret: `sealed.${unique('secret')}`,
      enabled: false,
      lastStep: 0,
      createdAt: new Date(Math.floor(Date.now() / 1000) * 1000),
      ...overrides,
    });
    const hash = (tag: string) => unique(tag).padEnd(64, '0').slice(0, 64);

    function check(name: string, fn: (store: TwoFactorStore) => Promise<void>): void {
      suite.check(name, async (t) => {
        const make = (suite.adapter as { twoFactorStore?: () => TwoFactorStore }).twoFactorStore;
        if (typeof make !== 'function') return t.skip('twoFactorStore is a gatehouse addition; this adapter has none');
        await fn(make.call(suite.adapter));
      });
    }

    check('saveTwoFactor then getTwoFactor returns every field; saving again replaces it; unknown users have none', async (store) => {
      const user = unique('user');
      const first = record(user);
      await store.saveTwoFactor(first);
      assert.deepEqual(await store.getTwoFactor(user), first);
      const confirmed = { ...first, enabled: true, lastStep: 57_000_000 };
      await store.saveTwoFactor(confirmed);
      assert.deepEqual(await store.getTwoFactor(user), confirmed);
      assert.equal(await store.getTwoFactor(unique('nobody')), null);
    });

    check('an email-code enrolment (the literal secret "email", no key) round-trips and ends with its backup codes', async (store) => {
      const user = unique('user');
      const emailed = record(user, { secret: 'email', enabled: true });
      await store.saveTwoFactor(emailed);
      await store.setBackupCodes(user, [hash('email-backup')]);
      assert.deepEqual(await store.getTwoFactor(user), emailed);
      await store.deleteTwoFactor(user);
      assert.equal(await store.getTwoFactor(user), null);
      assert.equal(await store.countBackupCodes(user), 0);
    });

    check('useTotpStep moves forward only: the same or an older step is a replay; 20 parallel uses of one step, one wins', async (store) => {
      const user = unique('user');
      await store.saveTwoFactor(record(user, { enabled: true, lastStep: 100 }));
      assert.equal(await store.useTotpStep(user, 100), false, 'the last used step');
      assert.equal(await store.useTotpStep(user, 99), false, 'an older step');
      assert.equal(await store.useTotpStep(user, 101), true);
      assert.equal(await store.useTotpStep(user, 101), false, 'replayed');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.useTotpStep(user, 102)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await store.getTwoFactor(user))?.lastStep, 102);
      assert.equal(await store.useTotpStep(unique('nobody'), 5), false, 'no enrolment, nothing to use');
    });

    check('backup codes: set replaces, each is used once (20 parallel uses of one, one wins), counted, per user', async (store) => {
      const user = unique('user');
      const other = unique('user');
      const codes = Array.from({ length: 10 }, (_, i) => hash(`code${i}`));
      await store.setBackupCodes(user, codes);
      await store.setBackupCodes(other, [codes[0]!]);
      assert.equal(await store.countBackupCodes(user), 10);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.useBackupCode(user, codes[1]!)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store.useBackupCode(user, codes[1]!), false, 'a used code');
      assert.equal(await store.useBackupCode(user, hash('never-issued')), false);
      assert.equal(await store.countBackupCodes(user), 9);
      assert.equal(await store.countBackupCodes(other), 1, 'another user’s codes are their own');
      await store.setBackupCodes(user, [hash('fresh')]);
      assert.equal(await store.countBackupCodes(user), 1, 'regenerating replaces every old code');
      assert.equal(await store.useBackupCode(user, codes[2]!), false);
    });

    check('deleteTwoFactor ends the enrolment and its codes; deleteUser does too', async (store) => {
      const user = unique('user');
      await store.saveTwoFactor(record(user));
      await store.setBackupCodes(user, [hash('a'), hash('b')]);
      await store.deleteTwoFactor(user);
      assert.equal(await store.getTwoFactor(user), null);
      assert.equal(await store.countBackupCodes(user), 0);

      const real = await suite.newUser();
      await store.saveTwoFactor(record(real.id));
      await store.setBackupCodes(real.id, [hash('c')]);
      await suite.adapter.deleteUser(real.id);
      assert.equal(await store.getTwoFactor(real.id), null, 'no enrolment outlives its user');
      assert.equal(await store.countBackupCodes(real.id), 0);
    });
  });
}
