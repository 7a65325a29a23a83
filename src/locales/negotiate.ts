// Picks a locale for a request: Accept-Language with q-values (RFC 9110 §12.5.4), matched by RFC 4647 §3.4 lookup with a script-aware region fallback.

/** One language-range of Accept-Language and its weight. */
export interface LanguageRange {
  /** As sent, lower-cased (`*` for the wildcard). */
  range: string;
  /** 0 to 1; 0 means "not acceptable" (RFC 9110 §12.4.2). */
  q: number;
}

// RFC 4647 §2.1 language-range: `*` or 1–8 letters, then `-` and 1–8 alphanumerics, repeated.
const RANGE = /^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/i;
// RFC 9110 §12.4.2 qvalue: 0, 0.d, 0.dd, 0.ddd, 1, 1.0…, no exponent or sign.
const QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;
/** More ranges than any browser sends; a longer header is read this far, so a huge one costs nothing. */
const MAX_RANGES = 32;

/**
 * The header's ranges, highest weight first; equal weights keep the order they were sent in.
 * A malformed member (bad tag, `q=2`, `q=abc`, a parameter other than `q`) is skipped rather than
 * failing the whole header, as browsers never send one and a proxy's stray value should not cost
 * the user their language.
 */
export function parseAcceptLanguage(header: string | null | undefined): LanguageRange[] {
  if (!header) return [];
  const out: Array<LanguageRange & { index: number }> = [];
  const members = header.split(',', MAX_RANGES);
  for (let index = 0; index < members.length; index++) {
    const [tag = '', ...params] = members[index]!.split(';').map((part) => part.trim());
    if (!RANGE.test(tag)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/i.exec(param);
      if (!match || !QVALUE.test(match[1]!)) {
        valid = false;
        break;
      }
      q = Number(match[1]);
    }
    if (valid) out.push({ range: tag.toLowerCase(), q, index });
  }
  out.sort((a, b) => b.q - a.q || a.index - b.index);
  return out.map(({ range, q }) => ({ range, q }));
}

/** A tag's subtags filled in by CLDR's likely subtags (`zh-TW` → zh-Hant-TW, `zh` → zh-Hans-CN, `pt` → pt-Latn-BR); undefined if Intl cannot read it. */
function likely(tag: string): Intl.Locale | undefined {
  try {
    return new Intl.Locale(tag).maximize();
  } catch {
    return undefined;
  }
}

function languageOf(tag: string): string {
  return tag.split('-', 1)[0]!.toLowerCase();
}

/**
 * The available locale a language range asks for, or undefined. In order:
 * 1. the same tag (case-insensitive);
 * 2. RFC 4647 §3.4 lookup: drop subtags from the end (`en-GB` → `en`, `zh-Hans-CN` → `zh-Hans` → `zh`);
 * 3. the available tag of the same language whose region CLDR expects (`pt` and `pt-PT` → `pt-BR`,
 *    the one Portuguese shipped, as CLDR's `pt` is Brazilian), else any other of that language.
 * Steps 2 and 3 never change the script: `zh-TW` and `zh-Hant` (Traditional) do not get the
 * Simplified `zh`, and `sr-Latn` does not get a Cyrillic `sr`. An app serving Traditional Chinese adds
 * `zh-TW` (or `zh-Hant`) through `messages`.
 */
export function matchLocale(range: string, available: readonly string[]): string | undefined {
  const lower = range.toLowerCase();
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const exact = byLower.get(lower);
  if (exact) return exact;
  const script = likely(lower)?.script;
  const sameScript = (tag: string) => script === undefined || likely(tag)?.script === script;
  const subtags = lower.split('-');
  for (let end = subtags.length - 1; end >= 1; end--) {
    // RFC 4647 §3.4: a singleton (`x`, `u`) left at the end goes with the subtag after it.
    if (subtags[end - 1]!.length === 1) continue;
    const candidate = byLower.get(subtags.slice(0, end).join('-'));
    if (candidate && sameScript(candidate)) return candidate;
  }
  const language = languageOf(lower);
  const relatives = available.filter((tag) => languageOf(tag) === language && sameScript(tag));
  const wanted = [likely(lower)?.region, likely(language)?.region];
  for (const region of wanted) {
    const found = region && relatives.find((tag) => likely(tag)?.region === region);
    if (found) return found;
  }
  return relatives[0];
}

/**
 * The locale for an Accept-Language header: the first range, by weight, that matches an available
 * locale. `*` stands for `fallback`. Ranges with q=0 are refused: nothing they match is chosen, and
 * if every match is refused the answer is the first available locale no q=0 range matches.
 */
export function negotiateLocale(header: string | null | undefined, available: readonly string[], fallback: string): string {
  const ranges = parseAcceptLanguage(header);
  const refused = new Set<string>();
  for (const { range, q } of ranges) {
    if (q !== 0 || range === '*') continue;
    const match = matchLocale(range, available);
    if (match && match.toLowerCase().startsWith(range)) refused.add(match);
  }
  for (const { range, q } of ranges) {
    if (q === 0) continue;
    const match = range === '*' ? fallback : matchLocale(range, available);
    if (match && !refused.has(match)) return match;
  }
  if (!refused.has(fallback)) return fallback;
  return available.find((tag) => !refused.has(tag)) ?? fallback;
}
