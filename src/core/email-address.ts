// Normalizes and validates one email address for magic links: exactly one plain address or nothing (advisories #7, #11, #13).

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254. */
const MAX_LENGTH = 254;
/** A dot-atom local part (RFC 5322 §3.2.3) without quoting: quoted forms are where misdelivery hid (GHSA-5jpx). */
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** LDH labels (RFC 1035 §2.3.1), at least two, after IDNA conversion to ASCII. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Returns the normalized address, or null when the input is not exactly one deliverable
 * address. NFKC first, so look-alikes such as U+FF20 "＠" become "@" and then count as a second
 * `@`; commas, quotes, spaces, angle brackets and line breaks are all refused, which also closes
 * header injection.
 */
export function normalizeEmail(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_LENGTH * 2) return null;
  const value = input.normalize('NFKC').trim().toLowerCase();
  if (value.length === 0 || value.length > MAX_LENGTH) return null;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return null;
  const local = value.slice(0, at);
  const rawDomain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return null;
  let domain: string;
  try {
    // IDNA: a Unicode domain becomes its punycode form; anything URL parsing rejects is no domain.
    domain = new URL(`http://${rawDomain}`).hostname;
  } catch {
    return null;
  }
  if (domain !== rawDomain && !/^[\p{L}\p{N}.-]+$/u.test(rawDomain)) return null;
  if (!DOMAIN.test(domain)) return null;
  return `${local}@${domain}`;
}
