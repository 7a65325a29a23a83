// The one SQL adapter behind sqlite, postgres and mysql: NextAuth's methods on the @auth schema, over a thin driver, composed by capability.
import type { RateLimitStore } from '../../types.js';
import type { GatehouseAdapter } from '../types.js';
import { sqlAccounts } from './accounts.js';
import { sqlAuthenticatorStore } from './authenticator-store.js';
import { sqlPasswords } from './passwords.js';
import { createSqlContext } from './connection.js';
import type { SqlDriver } from './driver.js';
import { sqlLeaseStore } from './lease-store.js';
import { sqlRateLimitStore } from './rate-limit.js';
import { createSqlSessionStore } from './session-store.js';
import { sqlSessions } from './sessions.js';
import { sqlTwoFactorStore } from './two-factor-store.js';
import { sqlUsers } from './users.js';
import { sqlVerificationTokens } from './verification-tokens.js';

export interface SqlAdapter extends GatehouseAdapter {
  /**
   * A rate-limit store in this database (table `gatehouse_rate_limits`, made by migrate()), so
   * every instance of the app counts the same attempts: `rateLimit: { store: adapter.rateLimitStore() }`.
   */
  rateLimitStore(): RateLimitStore;
  /**
   * Hashes every session row still stored raw (written by next-auth before the switch), in
   * batches, and returns how many it changed. Optional: rows are also upgraded on first use.
   */
  upgradeLegacySessions(): Promise<number>;
}

/**
 * One driver shared by every capability: users (`users.ts`), linked accounts (`accounts.ts`),
 * sessions (`sessions.ts`), verification tokens (`verification-tokens.ts`), password hashes
 * (`passwords.ts`), the rate-limit store (`rate-limit.ts`), the session index (`session-store.ts`), leases (`lease-store.ts`), second factors (`two-factor-store.ts`) and passkeys (`authenticator-store.ts`); this file only adds the schema lifecycle.
 */
export function createSqlAdapter(connect: () => Promise<SqlDriver>): SqlAdapter {
  const context = createSqlContext(connect);
  const sessionIndex = createSqlSessionStore(() => context.db());
  const leases = sqlLeaseStore(context);
  const twoFactor = sqlTwoFactorStore(context);
  const authenticators = sqlAuthenticatorStore(context);
  return {
    async migrate() {
      const driver = await context.db();
      await driver.transaction(async (tx) => {
        for (const statement of driver.dialect.schema) await tx.run(statement);
      });
      context.forgetSchema();
    },
    close: () => context.close(),
    ...sqlUsers(context),
    ...sqlAccounts(context),
    ...sqlSessions(context),
    ...sqlVerificationTokens(context),
    ...sqlPasswords(context),
    rateLimitStore: () => sqlRateLimitStore(context),
    sessionStore: () => sessionIndex,
    leaseStore: () => leases,
    twoFactorStore: () => twoFactor,
    authenticatorStore: () => authenticators,
  };
}
