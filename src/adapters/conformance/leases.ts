// Adapter conformance, the shared lease store gatehouse's own adapters offer (`adapter.leaseStore()`): the token refresher's lease, spent codes, passkey challenges and step-up records live in it.
import assert from 'node:assert/strict';
import { describe, mock, type TestContext } from 'node:test';
import type { LeaseStore } from '../types.js';
import { HOUR, MINUTE, type SuiteHarness } from './harness.js';

/** The `leases (gatehouse adapters that offer a shared store)` tests. */
export function leasesSuite(suite: SuiteHarness): void {
  const { check, unique } = suite;
  describe('leases (gatehouse adapters that offer a shared store)', () => {
    function store(t: TestContext): LeaseStore | undefined {
      const make = (suite.adapter as { leaseStore?: () => LeaseStore }).leaseStore;
      if (typeof make !== 'function') t.skip('leaseStore is a gatehouse addition; this adapter has none');
      return typeof make === 'function' ? make.call(suite.adapter) : undefined;
    }
    /** `body` with the process clock `ms` ahead (Date only), as a store that keeps time by it sees it then. */
    async function ahead<T>(ms: number, body: () => Promise<T>): Promise<T> {
      mock.timers.enable({ apis: ['Date'], now: Date.now() + ms });
      try {
        return await body();
      } finally {
        mock.timers.reset();
      }
    }

    check('add stores only where no live value is; set replaces; delete forgets', async (t) => {
      const leases = store(t);
      if (!leases) return;
      const key = unique('lease');
      assert.equal(await leases.get(key), null);
      assert.equal(await leases.add(key, 'first', HOUR), true);
      assert.equal(await leases.add(key, 'second', HOUR), false, 'a live value was replaced by add');
      assert.equal(await leases.get(key), 'first');
      await leases.set(key, 'third', HOUR);
      assert.equal(await leases.get(key), 'third');
      await leases.delete(key);
      assert.equal(await leases.get(key), null);
      assert.equal(await leases.add(key, 'fourth', HOUR), true, 'a deleted key could not be added again');
    });

    check('extend keeps the value and makes nothing where there is none', async (t) => {
      const leases = store(t);
      if (!leases) return;
      if (!leases.extend) return t.skip('extend is optional; this store has none (gatehouse gets and sets instead)');
      const key = unique('lease');
      await leases.set(key, '{"t":1,"amr":["hwk"]}', MINUTE);
      await leases.extend(key, HOUR);
      assert.equal(await leases.get(key), '{"t":1,"amr":["hwk"]}');
      const missing = unique('lease');
      await leases.extend(missing, HOUR);
      assert.equal(await leases.get(missing), null, 'extend created a value');
      await leases.delete(key);
      await leases.extend(key, HOUR);
      assert.equal(await leases.get(key), null, 'extend revived a deleted value');
    });

    check('extend moves a live value’s expiry and revives no expired one', async (t) => {
      const leases = store(t);
      if (!leases) return;
      if (!leases.extend) return t.skip('extend is optional; this store has none (gatehouse gets and sets instead)');
      const [plain, extended, expired] = [unique('lease'), unique('lease'), unique('lease')];
      for (const key of [plain, extended, expired]) await leases.set(key, key, MINUTE);
      await leases.extend(extended, HOUR);
      if ((await ahead(2 * MINUTE, () => leases.get(plain))) !== null) {
        return t.skip('this store keeps time by its own clock (Redis TTLs), not the process clock: expiry cannot be moved forward from here');
      }
      assert.equal(await ahead(2 * MINUTE, () => leases.get(extended)), extended, 'the extended value expired at its first expiry');
      assert.equal(await ahead(2 * HOUR, () => leases.get(extended)), null, 'the extended value outlived its new expiry');
      await ahead(2 * MINUTE, async () => {
        await leases.extend!(expired, HOUR);
        assert.equal(await leases.get(expired), null, 'extend revived an expired value');
      });
    });
  });
}
