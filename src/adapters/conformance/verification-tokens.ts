// Adapter conformance, verification tokens: used once (also under concurrency), bound to their identifier.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { at, DAY, MINUTE, sameInstant, type SuiteHarness } from './harness.js';

/** The `verification tokens` tests. */
export function verificationTokensSuite(suite: SuiteHarness): void {
  const { check, unique, email } = suite;
  describe('verification tokens', () => {
    check('useVerificationToken returns the token once, then null', async () => {
      const identifier = email('magic');
      const expires = at(DAY);
      const token = { identifier, token: unique('hash'), expires };
      await suite.adapter.createVerificationToken(token);
      if (suite.options.storage) assert.equal((await suite.options.storage.verificationTokens(identifier)).length, 1);
      const used = await suite.adapter.useVerificationToken({ identifier, token: token.token });
      assert.ok(used);
      assert.equal(used.identifier, identifier);
      assert.equal(used.token, token.token);
      sameInstant(used.expires, expires);
      assert.equal(await suite.adapter.useVerificationToken({ identifier, token: token.token }), null);
      if (suite.options.storage) assert.deepEqual(await suite.options.storage.verificationTokens(identifier), []);
    });

    check('useVerificationToken with another identifier is null and leaves the token usable', async () => {
      const identifier = email('bound');
      const token = unique('hash');
      await suite.adapter.createVerificationToken({ identifier, token, expires: at(DAY) });
      assert.equal(await suite.adapter.useVerificationToken({ identifier: email('attacker'), token }), null);
      assert.ok(await suite.adapter.useVerificationToken({ identifier, token }), 'a wrong identifier consumed the token');
    });

    check('useVerificationToken of an unknown token is null', async () => {
      assert.equal(await suite.adapter.useVerificationToken({ identifier: email('none'), token: unique('none') }), null);
    });

    check('an expired verification token is consumed and never returned as valid', async () => {
      const identifier = email('late');
      const token = unique('hash');
      await suite.adapter.createVerificationToken({ identifier, token, expires: at(-MINUTE) });
      // v4 semantics: the row may come back for the core to refuse; a TTL store has already dropped it.
      const used = await suite.adapter.useVerificationToken({ identifier, token });
      if (used) assert.ok(new Date(used.expires).valueOf() <= Date.now());
      assert.equal(await suite.adapter.useVerificationToken({ identifier, token }), null);
    });

    check('concurrent useVerificationToken calls: exactly one wins', async () => {
      for (let round = 0; round < 5; round++) {
        const identifier = email('race');
        const token = unique('hash');
        await suite.adapter.createVerificationToken({ identifier, token, expires: at(DAY) });
        const results = await Promise.all(Array.from({ length: 12 }, () => suite.adapter.useVerificationToken({ identifier, token })));
        const winners = results.filter((result) => result !== null);
        assert.equal(winners.length, 1, `round ${round}: ${winners.length} callers got the token`);
      }
    });

    check('unicode identifiers work', async () => {
      const identifier = `${unique('李.zoë')}@exämple.org`;
      const token = unique('hash');
      await suite.adapter.createVerificationToken({ identifier, token, expires: at(DAY) });
      assert.equal(await suite.adapter.useVerificationToken({ identifier: identifier.normalize('NFD'), token }), null);
      assert.equal((await suite.adapter.useVerificationToken({ identifier, token }))?.identifier, identifier);
    });
  });
}
