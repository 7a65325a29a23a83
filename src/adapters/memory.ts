// gatehouse-auth/adapters/memory: every adapter method on in-process Maps, for tests and demos (gone on restart, one process only).
import { duplicateAccount, duplicateEmail, unknownUser } from './errors.js';
import { deleteForms, hashSessionToken, lookupForms } from '../core/session-token.js';
import { memoryLeaseStore } from '../core/memory-lease.js';
import { memoryTwoFactorStore } from './memory-two-factor-store.js';
import { memoryAuthenticatorStore } from './memory-authenticator-store.js';
import { memorySessionStore } from './memory-session-store.js';
import type { AdapterAccount, AdapterSession, AdapterUser, GatehouseAdapter, StoredPassword, VerificationToken } from './types.js';

export { AdapterError } from './errors.js';

interface StoredSession {
  userId: string;
  expires: Date;
}

const accountKey = (provider: string, providerAccountId: string) => JSON.stringify([provider, providerAccountId]);
const tokenKey = (identifier: string, token: string) => JSON.stringify([identifier, token]);

function nullable(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

function toDate(value: unknown): Date | null {
  return value instanceof Date || typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
}

/** The user as stored: only the @auth columns, as the SQL adapters keep them. */
function pickUser(id: string, user: { name?: unknown; email?: unknown; emailVerified?: unknown; image?: unknown }): AdapterUser {
  return {
    id,
    name: nullable(user.name),
    email: nullable(user.email) ?? '',
    emailVerified: toDate(user.emailVerified),
    image: nullable(user.image),
  };
}

function copyUser(user: AdapterUser): AdapterUser {
  return { ...user, emailVerified: user.emailVerified && new Date(user.emailVerified) };
}

/**
 * State lives in the returned object, not the module: two adapters never share data. Session
 * tokens are stored hashed as in the database adapters, so tests see the same behaviour.
 */
export function memoryAdapter(): GatehouseAdapter {
  const users = new Map<string, AdapterUser>();
  const userByEmail = new Map<string, string>();
  const accounts = new Map<string, AdapterAccount>();
  const sessions = new Map<string, StoredSession>();
  const verificationTokens = new Map<string, VerificationToken>();
  const passwords = new Map<string, StoredPassword>();

  function findSession(token: string): [stored: string, session: StoredSession] | null {
    for (const form of lookupForms(token)) {
      const session = sessions.get(form);
      if (session) return [form, session];
    }
    return null;
  }

  function deleteUserSessions(userId: string, keep: readonly string[]): void {
    for (const [stored, session] of sessions) {
      if (session.userId === userId && !keep.includes(stored)) sessions.delete(stored);
    }
  }

  const index = memorySessionStore();
  const twoFactor = memoryTwoFactorStore();
  const authenticators = memoryAuthenticatorStore();
  const leases = memoryLeaseStore();

  return {
    async migrate() {},
    async close() {},
    sessionStore: () => index,
    twoFactorStore: () => twoFactor,
    authenticatorStore: () => authenticators,
    leaseStore: () => leases,

    async createUser(user) {
      const created = pickUser(crypto.randomUUID(), user);
      const email = created.email;
      if (email && userByEmail.has(email)) throw duplicateEmail();
      users.set(created.id, created);
      if (email) userByEmail.set(email, created.id);
      return copyUser(created);
    },

    async getUser(id) {
      const user = users.get(id);
      return user ? copyUser(user) : null;
    },

    async getUserByEmail(email) {
      const id = email ? userByEmail.get(email) : undefined;
      const user = id === undefined ? undefined : users.get(id);
      return user ? copyUser(user) : null;
    },

    async getUserByAccount({ provider, providerAccountId }) {
      const account = accounts.get(accountKey(provider, providerAccountId));
      const user = account && users.get(account.userId);
      return user ? copyUser(user) : null;
    },

    async updateUser(patch) {
      const current = users.get(patch.id);
      if (!current) throw unknownUser();
      const next = pickUser(current.id, {
        name: patch.name === undefined ? current.name : patch.name,
        email: patch.email === undefined ? current.email : patch.email,
        emailVerified: patch.emailVerified === undefined ? current.emailVerified : patch.emailVerified,
        image: patch.image === undefined ? current.image : patch.image,
      });
      if (next.email !== current.email) {
        const owner = next.email ? userByEmail.get(next.email) : undefined;
        if (owner !== undefined && owner !== current.id) throw duplicateEmail();
        if (current.email) userByEmail.delete(current.email);
        if (next.email) userByEmail.set(next.email, current.id);
      }
      users.set(current.id, next);
      return copyUser(next);
    },

    async deleteUser(userId) {
      const user = users.get(userId);
      if (!user) return null;
      deleteUserSessions(userId, []);
      for (const [key, account] of accounts) if (account.userId === userId) accounts.delete(key);
      passwords.delete(userId);
      void twoFactor.deleteTwoFactor(userId);
      authenticators.deleteUserAuthenticators(userId);
      if (user.email) userByEmail.delete(user.email);
      users.delete(userId);
      return copyUser(user);
    },

    async linkAccount(account) {
      if (!users.has(account.userId)) throw unknownUser();
      const key = accountKey(account.provider, account.providerAccountId);
      if (accounts.has(key)) throw duplicateAccount();
      accounts.set(key, { ...account });
      return { ...account };
    },

    async createUserWithAccount(user, account) {
      // Both checked before either write: one step, as the other adapters' transaction.
      const created = pickUser(crypto.randomUUID(), user);
      const key = accountKey(account.provider, account.providerAccountId);
      if (created.email && userByEmail.has(created.email)) throw duplicateEmail();
      if (accounts.has(key)) throw duplicateAccount();
      users.set(created.id, created);
      if (created.email) userByEmail.set(created.email, created.id);
      const linked = { ...account, userId: created.id } as AdapterAccount;
      accounts.set(key, { ...linked });
      return { user: copyUser(created), account: { ...linked } };
    },

    async unlinkAccount({ provider, providerAccountId }) {
      const key = accountKey(provider, providerAccountId);
      const account = accounts.get(key);
      accounts.delete(key);
      return account ? { ...account } : undefined;
    },

    async createSession(session) {
      if (!users.has(session.userId)) throw unknownUser();
      sessions.set(hashSessionToken(session.sessionToken), { userId: session.userId, expires: new Date(session.expires) });
      return { ...session, expires: new Date(session.expires) };
    },

    async getSessionAndUser(sessionToken) {
      const found = findSession(sessionToken);
      const user = found && users.get(found[1].userId);
      if (!found || !user) return null;
      return {
        session: { sessionToken, userId: found[1].userId, expires: new Date(found[1].expires) },
        user: copyUser(user),
      };
    },

    async updateSession({ sessionToken, expires }) {
      const found = findSession(sessionToken);
      if (!found) return null;
      if (expires !== undefined) found[1].expires = new Date(expires);
      return { sessionToken, userId: found[1].userId, expires: new Date(found[1].expires) };
    },

    async deleteSession(sessionToken) {
      for (const form of deleteForms(sessionToken)) {
        const session = sessions.get(form);
        if (session) {
          sessions.delete(form);
          return { sessionToken, userId: session.userId, expires: new Date(session.expires) };
        }
      }
      return null;
    },

    async listSessions(userId) {
      const now = Date.now();
      const listed: AdapterSession[] = [];
      for (const [stored, session] of sessions) {
        if (session.userId === userId && session.expires.valueOf() > now) {
          listed.push({ sessionToken: stored, userId, expires: new Date(session.expires) });
        }
      }
      return listed.sort((a, b) => b.expires.valueOf() - a.expires.valueOf());
    },

    async deleteSessionsExcept(userId, keepSessionToken) {
      deleteUserSessions(userId, keepSessionToken === null ? [] : deleteForms(keepSessionToken));
    },

    async getPassword(userId) {
      const stored = passwords.get(userId);
      return stored ? { ...stored, lockedUntil: stored.lockedUntil && new Date(stored.lockedUntil) } : null;
    },

    async setPassword(userId, hash) {
      if (!users.has(userId)) throw unknownUser();
      passwords.set(userId, { userId, hash, failures: 0, lockouts: 0, lockedUntil: null });
    },

    async countPasswordFailure(userId) {
      const stored = passwords.get(userId);
      if (!stored) return 0;
      stored.failures += 1;
      return stored.failures;
    },

    async lockPassword(userId, until) {
      const stored = passwords.get(userId);
      if (!stored) return;
      stored.failures = 0;
      stored.lockouts += 1;
      stored.lockedUntil = new Date(until);
    },

    async clearPasswordFailures(userId) {
      const stored = passwords.get(userId);
      if (!stored) return;
      stored.failures = 0;
      stored.lockouts = 0;
      stored.lockedUntil = null;
    },

    async createVerificationToken(token) {
      verificationTokens.set(tokenKey(token.identifier, token.token), { ...token, expires: new Date(token.expires) });
      return { ...token };
    },

    async useVerificationToken({ identifier, token }) {
      // No await between the read and the delete: in one process that is already atomic.
      const key = tokenKey(identifier, token);
      const found = verificationTokens.get(key);
      verificationTokens.delete(key);
      return found ?? null;
    },
  };
}

export default memoryAdapter;
