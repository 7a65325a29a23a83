// gatehouse-auth/adapters/conformance: the one behaviour suite every adapter runs (node:test), against its real database, by capability.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { accountsSuite } from './conformance/accounts.js';
import { authenticatorsSuite } from './conformance/authenticators.js';
import { failuresSuite } from './conformance/failures.js';
import { leasesSuite } from './conformance/leases.js';
import { at, DAY, idOf, type ConformanceCapability, type ConformanceOptions, type Full, type SuiteHarness } from './conformance/harness.js';
import { passwordsSuite } from './conformance/passwords.js';
import { rateLimitsSuite } from './conformance/rate-limits.js';
import { sessionIndexSuite } from './conformance/session-index.js';
import { twoFactorSuite } from './conformance/two-factor.js';
import { sessionsSuite } from './conformance/sessions.js';
import { usersSuite } from './conformance/users.js';
import { verificationTokensSuite } from './conformance/verification-tokens.js';
import type { AdapterAccount, AdapterUser } from './types.js';

export type { ConformanceCapability, ConformanceOptions, InterruptHooks, Interruption, StorageProbe } from './conformance/harness.js';

/** Each capability: the NextAuth methods it needs (checked up front) and its tests, in the order they run. */
const CAPABILITIES: ReadonlyArray<{ id: ConformanceCapability; methods: ReadonlyArray<keyof Full>; suite: (harness: SuiteHarness) => void }> = [
  { id: 'users', methods: ['createUser', 'getUser', 'getUserByEmail', 'updateUser', 'deleteUser'], suite: usersSuite },
  { id: 'accounts', methods: ['getUserByAccount', 'linkAccount', 'unlinkAccount'], suite: accountsSuite },
  { id: 'sessions', methods: ['createSession', 'getSessionAndUser', 'updateSession', 'deleteSession'], suite: sessionsSuite },
  { id: 'verification-tokens', methods: ['createVerificationToken', 'useVerificationToken'], suite: verificationTokensSuite },
  { id: 'rate-limits', methods: [], suite: rateLimitsSuite },
  { id: 'leases', methods: [], suite: leasesSuite },
  { id: 'passwords', methods: [], suite: passwordsSuite },
  { id: 'session-index', methods: [], suite: sessionIndexSuite },
  { id: 'two-factor', methods: [], suite: twoFactorSuite },
  { id: 'authenticators', methods: [], suite: authenticatorsSuite },
  { id: 'failures', methods: [], suite: failuresSuite },
];

/** Prints a banner that a skipped database suite cannot be missed in a long test log. */
export function warnSkipped(name: string, reason: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! SKIPPED: ${name}\n!! ${reason}\n${line}\n`);
}

/**
 * Registers the suite with node:test: the capability suites in `options.capabilities` (all by
 * default). The adapter is created once (`before`); every test makes its own users, emails and
 * tokens, so the tests share a store without sharing rows.
 */
export function runAdapterConformance(options: ConformanceOptions): void {
  if (options.skip !== undefined) {
    warnSkipped(options.name, options.skip);
    describe(options.name, { skip: options.skip }, () => undefined);
    return;
  }
  const chosen = new Set<ConformanceCapability>(options.capabilities ?? CAPABILITIES.map((capability) => capability.id));
  const capabilities = CAPABILITIES.filter((capability) => chosen.has(capability.id));
  const exclude = new Map(Object.entries(options.exclude ?? {}));
  const registered = new Set<string>();
  let adapter: Full | undefined;
  const run = crypto.randomUUID().slice(0, 8);
  let counter = 0;

  const harness: SuiteHarness = {
    options,
    get adapter(): Full {
      if (!adapter) throw new Error('the adapter is made in before(): read it inside a test');
      return adapter;
    },
    run,
    next: () => ++counter,
    check(name: string, fn: (t: TestContext) => Promise<void>, guard?: { timeout: number }): void {
      registered.add(name);
      const reason = exclude.get(name);
      if (reason !== undefined) test(name, { skip: `excluded: ${reason}` }, () => undefined);
      else test(name, guard ?? {}, fn);
    },
    unique: (tag: string) => `${tag}-${run}-${++counter}`,
    email: (tag: string) => `${harness.unique(tag)}@example.com`,
    async newUser(overrides: Partial<AdapterUser> = {}): Promise<AdapterUser> {
      return harness.adapter.createUser({ email: harness.email('user'), emailVerified: null, name: 'Test User', image: null, ...overrides });
    },
    async newSession(user: AdapterUser, expires = at(DAY)): Promise<string> {
      const sessionToken = `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll('-', '');
      await harness.adapter.createSession({ sessionToken, userId: idOf(user), expires });
      return sessionToken;
    },
    account(user: AdapterUser, overrides: Partial<AdapterAccount> = {}): AdapterAccount {
      return {
        userId: idOf(user),
        type: 'oauth',
        provider: 'github',
        providerAccountId: harness.unique('gh'),
        access_token: `gho_${harness.unique('access')}`,
        refresh_token: `ghr_${harness.unique('refresh')}`,
        // A real ID token runs to kilobytes: longer than any VARCHAR(255).
        id_token: `eyJ${'x'.repeat(3000)}`,
        expires_at: 1_900_000_000,
        token_type: 'bearer',
        scope: 'read:user user:email',
        session_state: 'state-1',
        ...overrides,
      };
    },
  };

  describe(options.name, () => {
    before(async () => {
      adapter = (await options.adapter()) as Full;
    });
    after(async () => {
      await options.cleanup?.();
    });

    harness.check('has every NextAuth adapter method', async () => {
      for (const { methods } of capabilities) {
        for (const method of methods) assert.equal(typeof harness.adapter[method], 'function', `missing ${method}`);
      }
    });

    for (const { suite } of capabilities) suite(harness);

    harness.check('every excluded test exists', async () => {
      const unknown = [...exclude.keys()].filter((name) => !registered.has(name));
      assert.deepEqual(unknown, [], 'exclude names tests that do not exist');
    });
  });
}
