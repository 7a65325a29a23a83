// Rows of the @auth schema to NextAuth's shapes and back: column lists, dates, text and empty emails.
import type { AdapterAccount, AdapterUser } from '../types.js';

export type Row = Record<string, unknown>;

export const USER_COLUMNS = 'id, name, email, "emailVerified", image';
export const SESSION_COLUMNS = '"sessionToken", "userId", expires';
/** The token columns of the @auth `accounts` table; anything else a provider returns is not stored. */
export const ACCOUNT_TOKEN_FIELDS = ['refresh_token', 'access_token', 'id_token', 'scope', 'session_state', 'token_type'] as const;

export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  return null;
}

export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** An empty email means "no email" (OAuth profiles without one): stored as NULL so the unique index ignores it. */
export function emailParam(value: unknown): string | null {
  const email = text(value);
  return email === '' ? null : email;
}

export function toUser(row: Row): AdapterUser {
  return {
    id: String(row.id),
    name: text(row.name),
    email: text(row.email) ?? '',
    emailVerified: toDate(row.emailVerified),
    image: text(row.image),
  };
}

export function toAccount(row: Row): AdapterAccount {
  const account: AdapterAccount = {
    userId: String(row.userId),
    type: String(row.type) as AdapterAccount['type'],
    provider: String(row.provider),
    providerAccountId: String(row.providerAccountId),
  };
  for (const field of ACCOUNT_TOKEN_FIELDS) {
    const value = text(row[field]);
    if (value !== null) account[field] = value;
  }
  // BIGINT arrives as a string from pg: the @auth adapters return a number.
  if (row.expires_at !== null && row.expires_at !== undefined) account.expires_at = Number(row.expires_at);
  return account;
}

/** `?, ?, …`: one placeholder per value. */
export function inList(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
