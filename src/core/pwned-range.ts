// The Pwned Passwords range format: split a SHA-1 into the 5-hex prefix that is sent and the 35-hex suffix that never leaves, and find the suffix in an answer.

/** k-anonymity: the prefix names one of 16^5 buckets, each holding hundreds of hashes; the service never learns which one is ours. */
export const PREFIX_LENGTH = 5;

export interface RangeQuery {
  /** The only part sent: 5 upper-case hex digits. */
  prefix: string;
  /** Kept here: the other 35 upper-case hex digits. */
  suffix: string;
}

/** Splits an upper- or lower-case 40-hex SHA-1. */
export function rangeQuery(sha1Hex: string): RangeQuery {
  if (!/^[0-9a-fA-F]{40}$/.test(sha1Hex)) throw new TypeError('rangeQuery needs a SHA-1 as 40 hex digits');
  const upper = sha1Hex.toUpperCase();
  return { prefix: upper.slice(0, PREFIX_LENGTH), suffix: upper.slice(PREFIX_LENGTH) };
}

/**
 * How often `suffix` was seen, from a range answer: lines `SUFFIX:COUNT` (CRLF or LF). With the
 * `Add-Padding` request header the answer also carries made-up suffixes with count 0, so 0 means
 * "not breached" whether the line is padding or absent. A malformed answer is null: the caller
 * decides whether that fails open or closed.
 */
export function countInRange(body: string, suffix: string): number | null {
  const wanted = suffix.toUpperCase();
  let sawLine = false;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const match = /^([0-9A-Fa-f]{35}):(\d{1,12})$/.exec(trimmed);
    if (!match) return null;
    sawLine = true;
    if (match[1]!.toUpperCase() === wanted) return Number(match[2]);
  }
  return sawLine ? 0 : null;
}
