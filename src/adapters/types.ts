// The Adapter interface: NextAuth's method names and shapes, so published @auth/* and @next-auth/* adapters plug in.
type Awaitable<T> = T | PromiseLike<T>;

export interface AdapterUser {
  id: string;
  email: string;
  emailVerified: Date | null;
  name?: string | null;
  image?: string | null;
  [key: string]: unknown;
}

/** An account to link to a user not created yet: everything but `userId` (Omit would drop the named keys beside the index signature). */
export type NewAccount = Pick<AdapterAccount, 'type' | 'provider' | 'providerAccountId'> & Partial<Omit<AdapterAccount, 'userId'>>;

export interface AdapterAccount {
  userId: string;
  type: 'oauth' | 'oidc' | 'email' | 'credentials' | 'webauthn';
  provider: string;
  providerAccountId: string;
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  expires_at?: number;
  token_type?: string;
  scope?: string;
  session_state?: string;
  [key: string]: unknown;
}

export interface AdapterSession {
  sessionToken: string;
  userId: string;
  expires: Date;
}

/** Gatehouse: one user's password hash and the lockout counters that go with it (the Password provider). */
export interface StoredPassword {
  userId: string;
  /** The whole hash string, e.g. `scrypt$N$r$p$salt$hash` (or a migrated bcrypt/argon2 hash). */
  hash: string;
  /** Failed attempts since the last success or the last lock. */
  failures: number;
  /** Locks in a row since the last success. */
  lockouts: number;
  lockedUntil: Date | null;
}

export interface VerificationToken {
  identifier: string;
  token: string;
  expires: Date;
}

/**
 * Every method is optional, as in NextAuth: the core asks only for what a flow needs and
 * reports a missing one as a configuration error at start-up.
 */
export interface Adapter {
  createUser?(user: Omit<AdapterUser, 'id'>): Awaitable<AdapterUser>;
  getUser?(id: string): Awaitable<AdapterUser | null>;
  getUserByEmail?(email: string): Awaitable<AdapterUser | null>;
  getUserByAccount?(providerAccount: Pick<AdapterAccount, 'provider' | 'providerAccountId'>): Awaitable<AdapterUser | null>;
  updateUser?(user: Partial<AdapterUser> & Pick<AdapterUser, 'id'>): Awaitable<AdapterUser>;
  deleteUser?(userId: string): Awaitable<AdapterUser | null | undefined | void>;
  linkAccount?(account: AdapterAccount): Awaitable<AdapterAccount | null | undefined | void>;
  /**
   * Gatehouse: a first OAuth sign-in's two writes as one (a transaction, one Redis script): the
   * user and their linked account, or neither, so a crash between them cannot leave a user
   * without the account that signs them in. Optional: without it the flow writes them one by one.
   */
  createUserWithAccount?(user: Omit<AdapterUser, 'id'>, account: NewAccount): Awaitable<{ user: AdapterUser; account: AdapterAccount }>;
  unlinkAccount?(providerAccount: Pick<AdapterAccount, 'provider' | 'providerAccountId'>): Awaitable<AdapterAccount | undefined | void>;
  createSession?(session: AdapterSession): Awaitable<AdapterSession>;
  getSessionAndUser?(sessionToken: string): Awaitable<{ session: AdapterSession; user: AdapterUser } | null>;
  updateSession?(session: Partial<AdapterSession> & Pick<AdapterSession, 'sessionToken'>): Awaitable<AdapterSession | null | undefined | void>;
  deleteSession?(sessionToken: string): Awaitable<AdapterSession | null | undefined | void>;
  createVerificationToken?(verificationToken: VerificationToken): Awaitable<VerificationToken | null | undefined | void>;
  useVerificationToken?(params: { identifier: string; token: string }): Awaitable<VerificationToken | null>;
  /**
   * Gatehouse: the unexpired sessions of one user, newest expiry first, for "your devices" lists.
   * Each `sessionToken` here is the STORED handle (for gatehouse's adapters `sha256:<hex>`), not
   * a usable token: `getSessionAndUser` refuses it, `deleteSession` accepts it (to revoke one).
   * Show users an id derived from it, never the handle itself.
   */
  listSessions?(userId: string): Awaitable<AdapterSession[]>;
  /**
   * Gatehouse: delete every session of a user except one ("sign out everywhere else").
   * `keepSessionToken` may be the raw cookie token or the stored handle; null deletes them all.
   */
  deleteSessionsExcept?(userId: string, keepSessionToken: string | null): Awaitable<void>;
  /** Gatehouse (passwords): the user's password and lockout state, or null when they have none. */
  getPassword?(userId: string): Awaitable<StoredPassword | null>;
  /** Gatehouse (passwords): sets the hash (creating the row) and clears failures and any lock. */
  setPassword?(userId: string, hash: string): Awaitable<void>;
  /**
   * Gatehouse (passwords): adds one failure atomically and returns the new count (0 when the user
   * has no password): parallel attempts each get their own number.
   */
  countPasswordFailure?(userId: string): Awaitable<number>;
  /** Gatehouse (passwords): locks until `until`, counts one more lock in a row, and zeroes the failures. */
  lockPassword?(userId: string, until: Date): Awaitable<void>;
  /** Gatehouse (passwords): after a correct password: zero failures and locks, unlock. */
  clearPasswordFailures?(userId: string): Awaitable<void>;
}

/**
 * Gatehouse: one signed-in session as the session index keeps it, for both strategies. `id` is
 * opaque: random for a JWT session (its `sid` claim), derived from the stored token hash for a
 * database session. It never grants access on its own.
 */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  /** Moved forward at most once per `updateAge`, when the session is extended anyway. */
  lastActiveAt: Date;
  expires: Date;
  userAgent: string | null;
  /** As `sessions.storeIp` says: the address, a truncated one, a keyed hash, or null. */
  ipAddress: string | null;
}

/** A revoked session id and when its revocation may be forgotten (no cookie carrying it is valid past then). */
export interface Revocation {
  id: string;
  /** Milliseconds since the epoch, by the store's clock: the cursor of `revocationsSince`. */
  revokedAt: number;
  expires: number;
}

/**
 * Gatehouse: where the session index lives (devices of a user, and revoked JWT session ids that
 * every instance polls). Gatehouse's adapters hand one out with `sessionStore()`; third-party
 * adapters have none, and then only the current session is known.
 */
export interface SessionStore {
  /** Inserts the record, or replaces one with the same id. */
  saveSession(record: SessionRecord): Promise<void>;
  /** Moves `lastActiveAt` and `expires` of a record; nothing when it is gone. */
  touchSession(id: string, lastActiveAt: Date, expires: Date): Promise<void>;
  /** The unexpired records of a user, most recently active first. */
  listUserSessions(userId: string): Promise<SessionRecord[]>;
  /**
   * Deletes the records; with `until`, also logs each id as revoked until then (a JWT stays
   * valid to its `exp` unless every instance learns the id). The log is written first: a crash
   * half-way leaves a revoked session still listed, never an unlisted one that still works.
   */
  revokeSessions(ids: readonly string[], until: Date | null): Promise<void>;
  /**
   * The unexpired revocations recorded at or after `since` (the store's clock, ms), oldest first.
   * Instances poll with the newest `revokedAt` they saw, less a margin for writes that committed late.
   */
  revocationsSince(since: number): Promise<Revocation[]>;
}

/** Every method present and returning a promise, as gatehouse's own adapters have them. */
type AsyncMethods<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/**
 * Gatehouse: a small shared store of values with an expiry, for work that one instance of the app
 * does on behalf of all (the token refresher's lease and its answer). Keys are the caller's
 * (hashes, never secrets); values may be sealed by the caller.
 */
export interface LeaseStore {
  /** Stores `value` under `key` for `ttlMs` unless an unexpired value is there: true when this call stored it. */
  add(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Stores `value` under `key` for `ttlMs`, replacing what was there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** The unexpired value under `key`, or null. */
  get(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /**
   * Gives the unexpired value under `key` `ttlMs` more from now, the value untouched; nothing when
   * there is none (an expired value stays expired). One write, so it cannot undo a `set` racing it.
   * Optional for stores written before it: gatehouse then reads the value and sets it again.
   */
  extend?(key: string, ttlMs: number): Promise<void>;
}

/**
 * Gatehouse: a user's TOTP enrolment. The key is stored sealed with the instance secret, never in
 * clear; `lastStep` is the newest time step a code was accepted for, so that code cannot be replayed.
 */
export interface TwoFactorRecord {
  userId: string;
  /** The TOTP key, sealed (a compact JWE under the instance secret). */
  secret: string;
  /** False from enrolment until a first code confirms the user's app holds the key. */
  enabled: boolean;
  /** The RFC 6238 step of the last accepted code (0 before any). */
  lastStep: number;
  createdAt: Date;
}

/**
 * Gatehouse: where second factors live. Each "use" is one atomic step in the database, so parallel
 * requests with the same code or backup code cannot both succeed.
 */
export interface TwoFactorStore {
  getTwoFactor(userId: string): Promise<TwoFactorRecord | null>;
  /** Inserts or replaces the user's enrolment (backup codes are kept apart: `setBackupCodes`). */
  saveTwoFactor(record: TwoFactorRecord): Promise<void>;
  /** Moves `lastStep` to `step` when it is newer: true when this call did (the code is spent), false for a replay. */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** Replaces every backup code of the user with these hashes. */
  setBackupCodes(userId: string, hashes: readonly string[]): Promise<void>;
  /** Deletes one backup code: true when it was there, so each is good for one sign-in. */
  useBackupCode(userId: string, hash: string): Promise<boolean>;
  countBackupCodes(userId: string): Promise<number>;
  /** Ends the enrolment: the record and every backup code. */
  deleteTwoFactor(userId: string): Promise<void>;
}

/**
 * Gatehouse: one WebAuthn credential (a passkey) of a user, with the fields of the `@auth` schema's
 * `authenticators` table (credentialID, publicKey, counter, transports, backedUp, deviceType).
 */
export interface AuthenticatorRecord {
  /** The credential ID, base64url (WebAuthn §5.1 rawId); unique across users. */
  credentialID: string;
  userId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen (0 for authenticators that do not count, as most passkeys). */
  counter: number;
  /** `AuthenticatorTransport` hints (`internal`, `hybrid`, `usb`, …) the browser reported at registration. */
  transports: string[];
  /** Whether the credential is synced to other devices (backup state flag, WebAuthn §6.1 BS). */
  backedUp: boolean;
  deviceType: 'singleDevice' | 'multiDevice';
  /** A label the user chose, or null. */
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * Gatehouse: where passkeys live. `useAuthenticator` is one atomic step, so two assertions with the
 * same counter cannot both pass (WebAuthn §6.1.1: a counter that does not grow signals a cloned key).
 */
export interface AuthenticatorStore {
  /** Stores a new credential: false when its credentialID is already stored (for any user). */
  createAuthenticator(record: AuthenticatorRecord): Promise<boolean>;
  getAuthenticator(credentialID: string): Promise<AuthenticatorRecord | null>;
  /** The user's credentials, oldest first. */
  listAuthenticators(userId: string): Promise<AuthenticatorRecord[]>;
  /**
   * Records a verified assertion: stores `counter` and `usedAt` when `counter` is greater than the
   * stored one, or when both are 0 (an authenticator without a counter). False otherwise (a replay
   * or a clone), and for an unknown credential.
   */
  useAuthenticator(credentialID: string, counter: number, usedAt: Date): Promise<boolean>;
  /** Renames one of the user's credentials: false when the user has no such credential. */
  renameAuthenticator(userId: string, credentialID: string, name: string | null): Promise<boolean>;
  /** Deletes one of the user's credentials: false when the user has no such credential. */
  deleteAuthenticator(userId: string, credentialID: string): Promise<boolean>;
}

/** What gatehouse's own adapters return: every method present, plus schema and lifecycle. */
export interface GatehouseAdapter extends AsyncMethods<Adapter> {
  /** Creates what is missing of the schema (tables, indexes); safe to run on every start. */
  migrate(): Promise<void>;
  /** Ends the connections the adapter opened itself; a client or pool passed in stays open. */
  close(): Promise<void>;
  /** The session index in this store (devices, JWT revocations), made by migrate(); used automatically. */
  sessionStore(): SessionStore;
  /** Second factors in this store (TOTP enrolments, backup codes), made by migrate(). */
  twoFactorStore(): TwoFactorStore;
  /** Passkeys (WebAuthn credentials) in this store, made by migrate(); removed with their user. */
  authenticatorStore(): AuthenticatorStore;
  /** A lease store in this database (made by migrate()), shared by every instance: `createTokenRefresher(provider, { shared: { store: adapter.leaseStore(), secret } })`. */
  leaseStore(): LeaseStore;
}
