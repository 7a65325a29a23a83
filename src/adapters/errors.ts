// The one error type gatehouse's adapters throw on purpose, with a code a caller can branch on.

export type AdapterErrorCode =
  /** createUser/updateUser: another user already has this email. */
  | 'DuplicateEmail'
  /** linkAccount: this provider account is already linked (to this or another user). */
  | 'DuplicateAccount'
  /** updateUser, linkAccount, createSession: no user has this id. */
  | 'UnknownUser'
  /** The database driver package is not installed. */
  | 'MissingDriver'
  /**
   * The store could not be reached or did not answer within `storeTimeout`: connection refused,
   * reset or timed out, a server shutting down, a lock held too long. Nothing is known about
   * whether the call took effect; the request fails closed with 503 and nothing counts against the user.
   */
  | 'Unavailable';

/**
 * A storage failure that means something: the first record is intact and nothing was written.
 * Inside an adapter, driver errors (connection lost, timeouts) pass through as the driver threw
 * them; `createAuth` bounds every call and turns those into `Unavailable`, the driver's error as `cause`.
 */
export class AdapterError extends Error {
  readonly code: AdapterErrorCode;

  constructor(code: AdapterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AdapterError';
    this.code = code;
  }
}

export function duplicateEmail(cause?: unknown): AdapterError {
  return new AdapterError('DuplicateEmail', 'another user already has this email address', { cause });
}

export function duplicateAccount(cause?: unknown): AdapterError {
  return new AdapterError('DuplicateAccount', 'this provider account is already linked to a user', { cause });
}

export function unknownUser(cause?: unknown): AdapterError {
  return new AdapterError('UnknownUser', 'no user has this id', { cause });
}

export function unavailable(message: string, cause?: unknown): AdapterError {
  return new AdapterError('Unavailable', message, { cause });
}

/**
 * Node's socket errors, and what pg, mysql2, ioredis, better-sqlite3 and Prisma (behind @auth
 * adapters) call a connection that is gone, refused, full or too slow. A unique violation or a
 * bad query is none of these: those stay the adapter's own errors.
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOTCONN',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  // PostgreSQL SQLSTATE: too many connections, query cancelled (statement_timeout), shutting down, cannot connect now, lock timeout
  '53300',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '55P03',
  // better-sqlite3: another process holds the lock past the deadline
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  // Prisma: cannot reach, timed out, pool timeout, server closed the connection
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
]);

/** Driver messages for the same conditions where the error carries no code. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection is closed|Command timed out|Reached the max retries per request limit|Stream isn't writeable|Pool is closed|connect ETIMEDOUT/i;

/** Whether `error` (or what it wraps, a few levels down) means the store is out of reach rather than the input being wrong. */
export function isUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, name, message, cause } = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    // An AdapterError decides for itself: a DuplicateEmail wrapping a driver error is not an outage.
    if (name === 'AdapterError') return code === 'Unavailable';
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}
