// The adapter seen by capability: each store has every method it needs, and exists only when the adapter has them all.
import type { Adapter } from './types.js';

type Methods<K extends keyof Adapter> = Required<Pick<Adapter, K>>;

export const USER_METHODS = ['createUser', 'getUser', 'getUserByEmail', 'updateUser'] as const;
export const ACCOUNT_METHODS = ['getUserByAccount', 'linkAccount'] as const;
export const SESSION_METHODS = ['createSession', 'getSessionAndUser', 'updateSession', 'deleteSession'] as const;
export const SESSION_LIST_METHODS = ['listSessions', 'deleteSessionsExcept', 'deleteSession'] as const;
export const VERIFICATION_TOKEN_METHODS = ['createVerificationToken', 'useVerificationToken'] as const;
export const SIGN_UP_METHODS = ['createUserWithAccount'] as const;
export const PASSWORD_METHODS = ['getPassword', 'setPassword', 'countPasswordFailure', 'lockPassword', 'clearPasswordFailures'] as const;

/** Users: created on first sign-in, found by id and email, their email marked verified. */
export type UserStore = Methods<(typeof USER_METHODS)[number]>;
/** Linked OAuth accounts: the user behind a provider account, and linking one. */
export type AccountStore = Methods<(typeof ACCOUNT_METHODS)[number]>;
/** Database sessions: the `database` strategy's storage. */
export type DatabaseSessionStore = Methods<(typeof SESSION_METHODS)[number]>;
/** A user's sessions as a list (gatehouse's additions), for `listSessions` / `revokeSession` / `revokeOtherSessions`. */
export type SessionListStore = Methods<(typeof SESSION_LIST_METHODS)[number]>;
/** Magic-link tokens: the email provider's storage. */
export type VerificationTokenStore = Methods<(typeof VERIFICATION_TOKEN_METHODS)[number]>;
/** A first OAuth sign-in's user and account in one write (gatehouse's adapters); optional. */
export type SignUpStore = Methods<(typeof SIGN_UP_METHODS)[number]>;
/** Password hashes and their lockout counters: the Password provider's storage. */
export type PasswordStore = Methods<(typeof PASSWORD_METHODS)[number]>;

/** The capabilities of one adapter. A store is the adapter itself, so its methods keep their `this`. */
export interface Stores {
  readonly users: UserStore | undefined;
  readonly accounts: AccountStore | undefined;
  readonly sessions: DatabaseSessionStore | undefined;
  readonly sessionLists: SessionListStore | undefined;
  readonly verificationTokens: VerificationTokenStore | undefined;
  readonly passwords: PasswordStore | undefined;
  readonly signUps: SignUpStore | undefined;
}

export type StoreName = keyof Stores;

/** The methods each store needs, in the order a missing one is reported. */
export const STORE_METHODS: { readonly [S in StoreName]: readonly (keyof Adapter)[] } = {
  users: USER_METHODS,
  accounts: ACCOUNT_METHODS,
  sessions: SESSION_METHODS,
  sessionLists: SESSION_LIST_METHODS,
  verificationTokens: VERIFICATION_TOKEN_METHODS,
  passwords: PASSWORD_METHODS,
  signUps: SIGN_UP_METHODS,
};

function has<K extends keyof Adapter>(adapter: Adapter | undefined, methods: readonly K[]): adapter is Adapter & Methods<K> {
  return adapter !== undefined && methods.every((method) => typeof adapter[method] === 'function');
}

/** The methods of `store` that `adapter` lacks, in order (empty when it has them all). */
export function missingMethods(adapter: Adapter, store: StoreName): Array<keyof Adapter> {
  return STORE_METHODS[store].filter((method) => typeof adapter[method] !== 'function');
}

export function resolveStores(adapter: Adapter | undefined): Stores {
  return Object.freeze({
    users: has(adapter, USER_METHODS) ? adapter : undefined,
    accounts: has(adapter, ACCOUNT_METHODS) ? adapter : undefined,
    sessions: has(adapter, SESSION_METHODS) ? adapter : undefined,
    sessionLists: has(adapter, SESSION_LIST_METHODS) ? adapter : undefined,
    verificationTokens: has(adapter, VERIFICATION_TOKEN_METHODS) ? adapter : undefined,
    passwords: has(adapter, PASSWORD_METHODS) ? adapter : undefined,
    signUps: has(adapter, SIGN_UP_METHODS) ? adapter : undefined,
  });
}
