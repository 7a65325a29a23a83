// CredentialsSignin: what `authorize()` throws to fail a sign-in with a code of its own (Auth.js v5's class and shape).

/** The `code` travels in URLs and reaches the app's own pages, so it is a short plain token. */
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Thrown from `authorize()`, it fails the sign-in as `CredentialsSignin` and tells the app why:
 * the redirect carries `&code=<code>` and `signIn(…, { redirect: false })` resolves `{ error, code }`.
 *
 * ```ts
 * class InvalidLogin extends CredentialsSignin { code = 'invalid_login' }
 * ```
 * Any other throw from `authorize()` stays a plain `CredentialsSignin`: its message is logged, never sent.
 */
export class CredentialsSignin extends Error {
  static readonly type = 'CredentialsSignin';
  /** Auth.js v5 marks its errors with `type`; gatehouse recognizes either class by it. */
  readonly type = 'CredentialsSignin';
  /** Letters, digits, `_`, `-` and `.`, at most 64 characters; anything else is not sent. */
  code: string = 'credentials';

  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? 'CredentialsSignin', options);
    this.name = 'CredentialsSignin';
  }
}

/**
 * The code to send for what `authorize()` threw: a CredentialsSignin's (gatehouse's, or Auth.js
 * v5's recognized by its `type`, so either import works) when it is a safe token; otherwise none.
 */
export function credentialsCode(thrown: unknown): string | undefined {
  if (!thrown || typeof thrown !== 'object') return undefined;
  const { type, code } = thrown as { type?: unknown; code?: unknown };
  if (type !== 'CredentialsSignin' || typeof code !== 'string') return undefined;
  return SAFE_CODE.test(code) ? code : undefined;
}
