// Adapter conformance, the shared rate-limit store gatehouse's own adapters offer: counting windows, concurrent hits, ends of windows.
import assert from 'node:assert/strict';
import { describe, type TestContext } from 'node:test';
import type { RateLimitStore } from '../../types.js';
import { type SuiteHarness } from './harness.js';

/** The `rate limits (gatehouse adapters that offer a shared store)` tests. */
export function rateLimitsSuite(suite: SuiteHarness): void {
  const { check, unique, email } = suite;
  describe('rate limits (gatehouse adapters that offer a shared store)', () => {
    function store(t: TestContext): RateLimitStore | undefined {
      const make = (suite.adapter as { rateLimitStore?: () => RateLimitStore }).rateLimitStore;
      if (typeof make !== 'function') t.skip('rateLimitStore is a gatehouse addition; this adapter has none');
      return typeof make === 'function' ? make.call(suite.adapter) : undefined;
    }

    check('hits count up in one window; peek reads without counting; reset forgets', async (t) => {
      const limits = store(t);
      if (!limits) return;
      const bucket = `credentials:id:${email('limited')}`;
      const before = Date.now();
      const first = await limits.hit(bucket, 900);
      assert.equal(first.count, 1);
      assert.ok(first.resetAt >= before + 899_000 && first.resetAt <= Date.now() + 900_000, 'the window is not 900 s long');
      assert.equal((await limits.hit(bucket, 900)).count, 2);
      assert.equal((await limits.hit(bucket, 900)).count, 3);
      const peeked = await limits.peek(bucket);
      assert.equal(peeked.count, 3);
      assert.equal((await limits.peek(bucket)).count, 3, 'peek counted');
      assert.equal((await limits.peek(`credentials:id:${email('other')}`)).count, 0);
      await limits.reset(bucket);
      assert.equal((await limits.peek(bucket)).count, 0);
      assert.equal((await limits.hit(bucket, 900)).count, 1);
    });

    check('concurrent hits each get their own count', async (t) => {
      const limits = store(t);
      if (!limits) return;
      const bucket = `email:ip:203.0.113.${suite.next() % 250}-${suite.run}`;
      const counts = (await Promise.all(Array.from({ length: 20 }, () => limits.hit(bucket, 900)))).map((state) => state.count);
      assert.deepEqual(
        counts.sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    check('refund takes one hit back and never goes below zero', async (t) => {
      const limits = store(t);
      if (!limits) return;
      const bucket = `credentials:ip:${unique('refund')}`;
      await limits.refund(bucket);
      assert.equal((await limits.peek(bucket)).count, 0, 'a refund without a window opened one');
      await limits.hit(bucket, 900);
      await limits.hit(bucket, 900);
      await limits.refund(bucket);
      assert.equal((await limits.peek(bucket)).count, 1);
      await limits.refund(bucket);
      await limits.refund(bucket);
      assert.equal((await limits.peek(bucket)).count, 0);
      assert.equal((await limits.hit(bucket, 900)).count, 1, 'the count went below zero');
    });

    check('40 concurrent reservations: each gets its own count, and their refunds balance', async (t) => {
      const limits = store(t);
      if (!limits) return;
      const bucket = `credentials:id:${unique('burst')}`;
      const counts = (await Promise.all(Array.from({ length: 40 }, () => limits.hit(bucket, 900)))).map((state) => state.count);
      assert.deepEqual(
        counts.sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      await Promise.all(Array.from({ length: 35 }, () => limits.refund(bucket)));
      assert.equal((await limits.peek(bucket)).count, 5);
    });

    check('an ended window is no window, and the next hit opens a new one', async (t) => {
      const limits = store(t);
      if (!limits) return;
      const bucket = `credentials:ip:${unique('ip')}`;
      await limits.hit(bucket, 0.2);
      await limits.hit(bucket, 0.2);
      // Bounded by attempts: the window is 200 ms; nothing here measures speed.
      for (let attempt = 0; attempt < 100 && (await limits.peek(bucket)).count > 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal((await limits.peek(bucket)).count, 0, 'the window never ended');
      assert.equal((await limits.hit(bucket, 900)).count, 1);
    });
  });
}
