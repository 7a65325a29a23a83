// HTML escaping and the document shell shared by the built-in pages: inline CSS, no remote fetches, themable.
import type { Translator } from '../locales/index.js';
import type { Theme } from '../types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and double-quoted attributes alike. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]!);
}

/** Markup that is safe to insert as it is: what `html` returns, or what `raw` vouches for. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Trusted markup inserted unescaped: only for constants written in this repository (the CSS), never for input. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(value);
}

/**
 * The pages' template tag: every interpolated value is escaped (`null`/`undefined` become
 * nothing) unless it is `SafeHtml` (an inner `html` fragment, or `raw`); arrays are joined.
 * A page cannot forget to escape, because escaping is what interpolation does.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** A colour value safe to put inside CSS: hex, rgb()/hsl() or a bare name; anything else is dropped. */
function safeColor(value: string | undefined): string | undefined {
  return value && /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/]+\)|[a-z]{3,20})$/i.test(value) ? value : undefined;
}

/** Only http(s) or same-site paths may be an image source; `javascript:` and `data:` cannot. */
export function safeImageUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const CSS = `
:root{--brand:#346df1;--text:#1f2933;--muted:#52606d;--bg:#f5f7fa;--card:#fff;--border:#cbd2d9;--error-bg:#fde8e8;--error:#9b1c1c;color-scheme:light}
.dark{--text:#f5f7fa;--muted:#cbd2d9;--bg:#161b22;--card:#21262d;--border:#3e4c59;--error-bg:#3b1212;--error:#fca5a5;--link:#9ebcff;color-scheme:dark}
@media (prefers-color-scheme:dark){.auto{--text:#f5f7fa;--muted:#cbd2d9;--bg:#161b22;--card:#21262d;--border:#3e4c59;--error-bg:#3b1212;--error:#fca5a5;--link:#9ebcff;color-scheme:dark}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:24rem;padding:1.5rem}
.logo{display:block;max-width:10rem;max-height:5rem;margin:0 auto 1rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:.75rem;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 1rem;text-align:center}
h2{font-size:1.05rem;margin:0 0 .5rem}h3{font-size:1rem;margin:1rem 0 .5rem}
code{overflow-wrap:anywhere}.qr svg{display:block;width:12rem;height:12rem;margin:0 auto 1rem}
.codes{columns:2;padding-left:1.25rem}.passkeys{list-style:none;padding:0;margin:0 0 1rem}.passkeys li+li{border-top:1px solid var(--border);padding-top:1rem;margin-top:1rem}
p{margin:0 0 1rem;color:var(--muted)}
form{margin:0}
form+form,.divider{margin-top:1rem}
.divider{border:0;border-top:1px solid var(--border);margin:1.25rem 0}
label{display:block;font-size:.875rem;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;padding:.6rem .75rem;border:1px solid var(--border);border-radius:.5rem;background:var(--card);color:var(--text);font:inherit}
.check{display:flex;gap:.5rem;align-items:center;font-weight:400}.check input{width:auto;margin:0}
button,.button{display:block;width:100%;margin-top:1rem;padding:.65rem 1rem;border:0;border-radius:.5rem;background:var(--brand);color:var(--button-text,#fff);font:inherit;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
button.secondary{background:transparent;color:var(--text);border:1px solid var(--border)}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.error{background:var(--error-bg);color:var(--error);border-radius:.5rem;padding:.75rem 1rem;margin-bottom:1rem}
.error p{margin:0;color:inherit}
.notice{border:1px solid var(--border);border-radius:.5rem;padding:.75rem 1rem;margin-bottom:1rem}
.notice p{margin:0}
.links{margin:.75rem 0 0;text-align:center;font-size:.875rem}
a{color:var(--link,var(--brand))}
.provider-logo{vertical-align:middle;margin-right:.5rem}
`;

export interface PageOptions {
  title: string;
  theme: Theme;
  body: SafeHtml;
  /** The request's locale: `<html lang>` and `dir` (right to left for Arabic, Hebrew, Persian…). */
  text: Pick<Translator, 'locale' | 'dir'>;
}

/**
 * The text of the pages' one <style> for a theme: the fixed CSS and the theme's colours. The CSP
 * allows exactly this text by its hash (`pageCspSources` hashes it for apps with their own CSP).
 */
export function documentCss(theme: Theme): string {
  const brand = safeColor(theme.brandColor);
  const buttonText = safeColor(theme.buttonText);
  // The colours passed safeColor, which admits nothing that escaping would change.
  const vars = [brand ? `--brand:${brand}` : '', buttonText ? `--button-text:${buttonText}` : ''].filter(Boolean).join(';');
  return vars ? `${CSS}body{${vars}}` : CSS;
}

export function renderDocument({ title, theme, body, text }: PageOptions): string {
  const scheme = theme.colorScheme === 'dark' || theme.colorScheme === 'light' ? theme.colorScheme : 'auto';
  const logo = safeImageUrl(theme.logo);
  return html`<!DOCTYPE html><html lang="${text.locale}" dir="${text.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${raw(documentCss(theme))}</style></head><body class="${scheme}"><main>${logo ? html`<img class="logo" src="${logo}" alt="">` : ''}<div class="card">${body}</div></main></body></html>`
    .value;
}

/**
 * The text of the one <style> renderDocument writes, read back from a rendered page (undefined for a
 * page without one): the CSP allows exactly that text by its hash, so the shell that writes the
 * element is the one that finds it.
 */
export function documentStyle(page: string): string | undefined {
  const open = page.indexOf('<style>');
  const close = open < 0 ? -1 : page.indexOf('</style>', open);
  return close < 0 ? undefined : page.slice(open + '<style>'.length, close);
}
