// Messages with markup inside (`Continue as <strong>{email}</strong>?`): the translated text escaped, the placeholders filled with markup the page built.
import type { MessageKey, Translator } from '../locales/index.js';
import { html, type SafeHtml } from './html.js';

/**
 * The message `key` with each `{name}` replaced by `values[name]` (an `html` fragment, escaped
 * already), the words around them escaped as any text is: a translation cannot inject markup,
 * and the word order stays the translator's (「{email} として続行しますか？」).
 */
export function richText(text: Translator, key: MessageKey, values: Readonly<Record<string, SafeHtml>>): SafeHtml {
  const parts = text.messages[key].split(/\{([A-Za-z][A-Za-z0-9]*)\}/);
  // split with one capture group alternates: text, name, text, name, …, text.
  return html`${parts.map((part, index) => (index % 2 === 1 && Object.prototype.hasOwnProperty.call(values, part) ? values[part] : index % 2 === 1 ? `{${part}}` : part))}`;
}

/** A hidden `lang` field when the user chose the locale with `?lang=`, so the form's POST (and the mail it sends) keeps it. */
export function langField(text: Translator): SafeHtml | '' {
  return text.pinned ? html`<input type="hidden" name="lang" value="${text.locale}">` : '';
}
