// Reads a captured mail as a person's mail client would: the Subject's RFC 2047 encoded words and each MIME part's transfer encoding undone, as UTF-8.

/** Undoes quoted-printable (RFC 2045 §6.7) to bytes, so multi-byte UTF-8 survives. */
function quotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), with the whitespace between adjacent words dropped (§6.2). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : quotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

function headersOf(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export interface ReadMail {
  subject: string;
  /** The text/plain and text/html bodies, decoded. */
  text: string;
  html: string;
}

export function readMail(raw: string): ReadMail {
  const split = raw.search(/\r?\n\r?\n/);
  const top = headersOf(raw.slice(0, split));
  const out: ReadMail = { subject: decodeWords(top.get('subject') ?? ''), text: '', html: '' };
  const visit = (headers: Map<string, string>, body: string) => {
    const type = headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const part of body.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        const at = part.search(/\r?\n\r?\n/);
        visit(headersOf(part.slice(0, at)), part.slice(at).replace(/^\r?\n\r?\n/, ''));
      }
      return;
    }
    const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
    const decoded = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? quotedPrintable(body).toString('utf8') : body;
    // SMTP carries CRLF; the text as the sender wrote it has LF.
    if (/^text\/html/i.test(type)) out.html += decoded.replace(/\r\n/g, '\n');
    else if (/^text\/plain/i.test(type)) out.text += decoded.replace(/\r\n/g, '\n');
  };
  visit(top, raw.slice(split).replace(/^\r?\n\r?\n/, ''));
  return out;
}
