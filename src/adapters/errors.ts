// The one error type gatehouse's adapters throw on purpose, with a code a caller can branch on.

export type AdapterErrorCode =
  /** createUser/updateUser: another user already has this email. */
  | 'DuplicateEmail'
  /** linkAccount: this provider account is already linked (to this or another user). */
  | 'DuplicateAccount'
  /** updateUser, linkAccount, createSession: no user has this id. */
  | 'UnknownUser'
  /** The database driver package is not installed. */
  | 'MissingDriver';

/**
 * A storage failure that means something: the first record is intact and nothing was written.
 * Driver errors (connection lost, timeouts) are not wrapped: they pass through as the driver
 * threw them, so their codes stay available to logs.
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
