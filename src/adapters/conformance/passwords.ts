// Adapter conformance, password hashes (the Password provider): stored verbatim, lockout counters, failures counted atomically under parallel attempts.
import assert from 'node:assert/strict';
import { describe, type TestContext } from 'node:test';
import { AdapterError } from '../errors.js';
import type { Adapter, StoredPassword } from '../types.js';
import type { SuiteHarness } from './harness.js';

type PasswordMethods = Required<Pick<Adapter, 'getPassword' | 'setPassword' | 'countPasswordFailure' | 'lockPassword' | 'clearPasswordFailures'>>;

const METHODS = ['getPassword', 'setPassword', 'countPasswordFailure', 'lockPassword', 'clearPasswordFailures'] as const;

/** The `passwords (the Password provider)` tests; skipped for adapters without the password methods. */
export function passwordsSuite(suite: SuiteHarness): void {
  const ctx = {
    check: suite.check,
    adapter: (): Adapter => suite.adapter,
    newUser: () => suite.newUser(),
    storedHash: suite.options.storage?.passwordHash?.bind(suite.options.storage),
  };
  function store(t: TestContext): PasswordMethods | undefined {
    const adapter = ctx.adapter();
    const missing = METHODS.filter((method) => typeof adapter[method] !== 'function');
    if (missing.length === METHODS.length) {
      t.skip('the password methods are a gatehouse addition; this adapter has none');
      return undefined;
    }
    assert.deepEqual(missing, [], 'an adapter with some password methods must have them all');
    return adapter as PasswordMethods;
  }

  const HASH = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

  describe('passwords (the Password provider)', () => {
    ctx.check('a user without a password has none; failures are not counted for them', async (t) => {
      const passwords = store(t);
      if (!passwords) return;
      const user = await ctx.newUser();
      assert.equal(await passwords.getPassword(String(user.id)), null);
      assert.equal(await passwords.countPasswordFailure(String(user.id)), 0);
      await passwords.lockPassword(String(user.id), new Date(Date.now() + 60_000));
      await passwords.clearPasswordFailures(String(user.id));
      assert.equal(await passwords.getPassword(String(user.id)), null, 'lock or clear created a row');
    });

    ctx.check('setPassword stores the hash verbatim and replaces it; getPassword reads it back unlocked', async (t) => {
      const passwords = store(t);
      if (!passwords) return;
      const id = String((await ctx.newUser()).id);
      await passwords.setPassword(id, HASH);
      const stored = await passwords.getPassword(id);
      assert.deepEqual(stored, { userId: id, hash: HASH, failures: 0, lockouts: 0, lockedUntil: null } satisfies StoredPassword);
      if (ctx.storedHash) assert.equal(await ctx.storedHash(id), HASH);
      // A migrated bcrypt hash is stored as it is, too.
      const bcrypt = '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW';
      await passwords.setPassword(id, bcrypt);
      assert.equal((await passwords.getPassword(id))?.hash, bcrypt);
    });

    ctx.check('setPassword for a user that does not exist is UnknownUser', async (t) => {
      const passwords = store(t);
      if (!passwords) return;
      for (const id of [crypto.randomUUID(), '999999999']) {
        await assert.rejects(Promise.resolve(passwords.setPassword(id, HASH)), (error: unknown) => error instanceof AdapterError && error.code === 'UnknownUser');
        assert.equal(await passwords.getPassword(id), null);
      }
    });

    ctx.check('parallel failures each get their own count', async (t) => {
      const passwords = store(t);
      if (!passwords) return;
      const id = String((await ctx.newUser()).id);
      await passwords.setPassword(id, HASH);
      const counts = await Promise.all(Array.from({ length: 20 }, () => passwords.countPasswordFailure(id)));
      assert.deepEqual(
        [...counts].sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.equal((await passwords.getPassword(id))?.failures, 20);
    });

    ctx.check('a lock zeroes the failures and counts one more lock; clearing unlocks; a new password unlocks', async (t) => {
      const passwords = store(t);
      if (!passwords) return;
      const id = String((await ctx.newUser()).id);
      await passwords.setPassword(id, HASH);
      await passwords.countPasswordFailure(id);
      await passwords.countPasswordFailure(id);
      const until = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
      await passwords.lockPassword(id, until);
      let stored = await passwords.getPassword(id);
      assert.equal(stored?.failures, 0);
      assert.equal(stored?.lockouts, 1);
      assert.equal(stored?.lockedUntil?.valueOf(), until.valueOf());
      await passwords.lockPassword(id, new Date(until.valueOf() + 240_000));
      assert.equal((await passwords.getPassword(id))?.lockouts, 2);
      await passwords.clearPasswordFailures(id);
      stored = await passwords.getPassword(id);
      assert.deepEqual([stored?.failures, stored?.lockouts, stored?.lockedUntil], [0, 0, null]);
      assert.equal(stored?.hash, HASH, 'clearing changed the hash');
      await passwords.lockPassword(id, until);
      await passwords.setPassword(id, `${HASH}x`);
      stored = await passwords.getPassword(id);
      assert.deepEqual([stored?.hash, stored?.failures, stored?.lockouts, stored?.lockedUntil], [`${HASH}x`, 0, 0, null]);
    });

    ctx.check('deleteUser deletes the password with the user', async (t) => {
      const passwords = store(t);
      if (!passwords) return;
      const adapter = ctx.adapter();
      const id = String((await ctx.newUser()).id);
      await passwords.setPassword(id, HASH);
      await adapter.deleteUser!(id);
      assert.equal(await passwords.getPassword(id), null);
      if (ctx.storedHash) assert.equal(await ctx.storedHash(id), null);
    });
  });
}
