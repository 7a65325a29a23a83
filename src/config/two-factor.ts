// Validates the `twoFactor` option once: the store, the issuer apps show, the keys that seal TOTP keys at rest and pending sign-ins.
import type { LeaseStore, TwoFactorStore } from '../adapters/types.js';
import { bounded } from '../adapters/bounded.js';
import { memoryLeaseStore } from '../core/memory-lease.js';
import { memoryRateLimitStore } from '../core/rate-limit.js';
import { deriveKeys, type JweKeys } from '../core/jwt.js';
import { secretBox, type SecretBox } from '../core/secret-box.js';
import type { Adapter, AuthConfig, BaseUrl, RateLimitStore } from '../types.js';

export interface ResolvedTwoFactor {
  readonly store: TwoFactorStore;
  readonly issuer: string;
  /** Seals TOTP keys in the store (purpose salt of its own; the first secret seals, all open). */
  readonly box: SecretBox;
  /** Seals the pending sign-in cookie between the first factor and the code. */
  readonly pendingKeys: JweKeys;
  readonly recentSignInMs: number;
  /** Code attempts per user: the instance's rate-limit store, or one of its own when limits are off (codes are never unlimited). */
  readonly attempts: RateLimitStore;
  /** Where a pending sign-in is marked spent, so a copied cookie completes no second sign-in: the adapter's lease store, else this process's. */
  readonly spent: LeaseStore;
  /** "Trust this device": how long, and the keys that seal its cookie; undefined when `trustDevice: false`. */
  readonly trust: { readonly seconds: number; readonly keys: JweKeys } | undefined;
  /** Email codes as a fallback second step: how they are sent (the Email provider's transport); undefined when off. */
  readonly emailCode: { readonly send: (message: Record<string, unknown>) => Promise<void>; readonly from: string } | undefined;
}

const METHODS = ['getTwoFactor', 'saveTwoFactor', 'useTotpStep', 'setBackupCodes', 'useBackupCode', 'countBackupCodes', 'deleteTwoFactor'] as const;

function fail(path: string, problem: string, fix: string): never {
  throw new TypeError(`gatehouse: \`${path}\` ${problem}. ${fix}`);
}

export function resolveTwoFactor(
  option: AuthConfig['twoFactor'],
  context: { adapter: Adapter | undefined; secrets: readonly string[]; url: BaseUrl | undefined; rateLimit: RateLimitStore | undefined; storeTimeout: number; mail?: { sendMail?: unknown; from?: string } | undefined },
): ResolvedTwoFactor | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null) fail('twoFactor', 'is not an object', 'Pass `{}` (or `{ issuer: "Acme" }`) to turn second factors on.');
  const factory = (context.adapter as { twoFactorStore?: unknown } | undefined)?.twoFactorStore;
  const store = option.store ?? (typeof factory === 'function' ? (factory.call(context.adapter) as TwoFactorStore) : undefined);
  if (!store) fail('twoFactor', 'needs a store', "Use one of gatehouse's adapters (they have `twoFactorStore()`), or pass `twoFactor.store`.");
  for (const method of METHODS) {
    if (typeof (store as unknown as Record<string, unknown>)[method] !== 'function') fail(`twoFactor.store.${method}`, 'is missing', "Pass a gatehouse adapter's `twoFactorStore()`.");
  }
  const issuer = option.issuer ?? (context.url ? new URL(context.url.origin).hostname : 'gatehouse');
  if (typeof issuer !== 'string' || issuer === '' || issuer.includes(':')) fail('twoFactor.issuer', 'is not a name', 'Use a short name without ":" (authenticator apps split on it).');
  const recent = option.recentSignIn ?? 600;
  if (typeof recent !== 'number' || !Number.isFinite(recent) || recent <= 0) fail('twoFactor.recentSignIn', 'is not a positive number of seconds', 'Leave it out (600) or pass seconds.');
  const trustOption = option.trustDevice ?? true;
  if (typeof trustOption !== 'boolean' && (typeof trustOption !== 'object' || trustOption === null)) fail('twoFactor.trustDevice', 'is not a boolean or an object', 'Pass `false` to turn it off, or `{ days: 30 }`.');
  const days = typeof trustOption === 'object' ? (trustOption.days ?? 30) : 30;
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0 || days > 400)
    fail('twoFactor.trustDevice.days', 'is not a number of days from 1 to 400', 'Leave it out (30) or pass days (RFC 6265bis caps cookies at 400).');
  if (option.emailCode !== undefined && typeof option.emailCode !== 'boolean') fail('twoFactor.emailCode', 'is not a boolean', 'Pass `true` to offer email codes.');
  if (option.emailCode === true && typeof context.mail?.sendMail !== 'function')
    fail('twoFactor.emailCode', 'needs an Email provider with `server`', 'Add `Email({ server, from })` to `providers`: its transport sends the codes.');
  const mail = option.emailCode === true ? context.mail : undefined;
  const leases = (context.adapter as { leaseStore?: unknown } | undefined)?.leaseStore;
  // The factories answer synchronously, so the adapter's bounded Proxy hands their stores back unbounded:
  // bound them here, or a hung database would hang the code step instead of answering 503 (storeTimeout).
  return Object.freeze({
    store: bounded(store, context.storeTimeout, 'twoFactor.store'),
    issuer,
    box: secretBox(context.secrets, 'gatehouse-auth two-factor key'),
    pendingKeys: deriveKeys(context.secrets, 'gatehouse-auth two-factor pending'),
    recentSignInMs: recent * 1000,
    attempts: context.rateLimit ?? memoryRateLimitStore(),
    trust: trustOption === false ? undefined : Object.freeze({ seconds: Math.round(days * 86400), keys: deriveKeys(context.secrets, 'gatehouse-auth two-factor trusted device') }),
    emailCode: mail ? Object.freeze({ send: mail.sendMail as (message: Record<string, unknown>) => Promise<void>, from: mail.from ?? 'Gatehouse <no-reply@localhost>' }) : undefined,
    spent: typeof leases === 'function' ? bounded(leases.call(context.adapter) as LeaseStore, context.storeTimeout, 'leaseStore') : memoryLeaseStore(),
  });
}
