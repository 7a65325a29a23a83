// Request fields, one value each: a query, form or JSON object whose keys repeat is ambiguous, and the name of the first repeated key says so.

/** Fields of a query string or URL-encoded form, and the first name that appeared twice (if any). */
export interface Fields {
  fields: Record<string, string>;
  duplicate: string | undefined;
}

/**
 * `email=a@x&email=b@y` means "the last one" to URLSearchParams-to-object code, "the first one" to
 * others (PHP, many proxies and WAFs read the first): a check or a log can see one value while the
 * flow uses another. Object.fromEntries defines own properties, so `__proto__` stays a plain key.
 */
export function parseFields(text: string): Fields {
  const entries = [...new URLSearchParams(text)];
  let duplicate: string | undefined;
  if (entries.length > 1) {
    const seen = new Set<string>();
    for (const [name] of entries) {
      if (seen.has(name)) {
        duplicate = name;
        break;
      }
      seen.add(name);
    }
  }
  return { fields: Object.fromEntries(entries), duplicate };
}

/**
 * The first top-level key that a JSON object text repeats. JSON.parse keeps the last of
 * `{"email":"a","email":"b"}` without a word; this scan sees the keys as written (escapes decoded,
 * so `"em\u0061il"` is `email`). `text` must already have parsed as a JSON object. Keys inside
 * nested values are the app's data and are not looked at.
 */
export function duplicateJsonKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = end;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      depth--;
    } else if (ch === 0x2c /* , */ && depth === 1) {
      expectKey = true;
    }
  }
  return undefined;
}
