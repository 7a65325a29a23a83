// The Password provider: email-and-password accounts stored in the adapter, with sign-up, verification, reset and change mails sent by nodemailer.
import { createTranslator, DEFAULT_LOCALE, en, type Messages } from '../locales/index.js';
import { nodemailerSender } from '../services/mailer.js';
import type { PasswordConfig, PasswordMailKind, PasswordMailParams, Theme } from '../types.js';

export type PasswordOptions = Partial<Omit<PasswordConfig, 'type' | 'sendVerificationRequest' | 'options'>> & {
  /** A connection URL (`smtp://user:pass@host:587`) or nodemailer transport options, for the default sender. */
  server?: string | Record<string, unknown>;
  /** Send the mails yourself (any service); `kind` says which mail it is. */
  sendVerificationRequest?: PasswordConfig['sendVerificationRequest'];
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** The catalogue's keys of each mail: `mail.<kind>.subject|lead|button|foot`. `accountExists` goes to an address that signed up again, so it must not read as a new account. */
const mailKey = <K extends 'subject' | 'lead' | 'button' | 'foot'>(kind: PasswordMailKind, part: K) => `mail.${kind}.${part}` as const;

export interface MailWords {
  /** The locale the mail is written in (a sender is told it as `locale`); default English. */
  locale?: string;
  /** That locale's messages (a sender is told them as `messages`); default the English catalogue. */
  messages?: Messages;
  /** Seconds the link stays valid, for "expires in …". */
  validFor?: number;
}

/** The mail's HTML; every interpolated value escaped (the address and host come from the request and configuration, the words from a catalogue an app can extend). */
export function passwordEmailHtml({ kind, url, host, theme, locale = DEFAULT_LOCALE, messages = en, validFor = 3600 }: { kind: PasswordMailKind; url: string; host: string; theme: Theme } & MailWords): string {
  const text = createTranslator(locale, messages);
  const brand = theme.brandColor && /^#[0-9a-f]{3,8}$/i.test(theme.brandColor) ? theme.brandColor : '#346df1';
  const values = { host, duration: { seconds: validFor } };
  return `<!DOCTYPE html><html lang="${escape(text.locale)}" dir="${text.dir}"><body style="font-family:system-ui,sans-serif;background:#f5f7fa;padding:24px">
<table role="presentation" width="100%" style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<tr><td style="font-size:16px;text-align:center;padding-bottom:16px">${escape(text.t(mailKey(kind, 'lead'), values))}</td></tr>
<tr><td style="text-align:center"><a href="${escape(url)}" style="display:inline-block;background:${brand};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escape(text.t(mailKey(kind, 'button')))}</a></td></tr>
<tr><td style="font-size:13px;color:#52606d;text-align:center;padding-top:16px">${escape(text.t(mailKey(kind, 'foot'), values))}</td></tr>
</table></body></html>`;
}

export function passwordEmailText({ kind, url, host, locale = DEFAULT_LOCALE, messages = en, validFor = 3600 }: { kind: PasswordMailKind; url: string; host: string } & MailWords): string {
  const text = createTranslator(locale, messages);
  const values = { host, duration: { seconds: validFor } };
  return `${text.t(mailKey(kind, 'lead'), values)}\n${text.t(mailKey(kind, 'button'))}: ${url}\n\n${text.t(mailKey(kind, 'foot'), values)}\n`;
}

function defaultSender(server: PasswordOptions['server']): PasswordConfig['sendVerificationRequest'] {
  const send = nodemailerSender(server);
  return async ({ kind, identifier, url, provider, theme, locale, messages, expires }: PasswordMailParams) => {
    const host = new URL(url).host;
    const text = createTranslator(locale, messages);
    const validFor = Math.max(60, Math.round((expires.getTime() - Date.now()) / 60_000) * 60);
    await send({
      to: identifier,
      from: provider.from,
      subject: text.t(mailKey(kind, 'subject'), { host }),
      text: passwordEmailText({ kind, url, host, locale, messages, validFor }),
      html: passwordEmailHtml({ kind, url, host, theme, locale, messages, validFor }),
    });
  };
}

/**
 * `Password({ server: process.env.EMAIL_SERVER, from: process.env.EMAIL_FROM })`. Signs in at
 * `callback/password` (it is `credentials` in GET `providers`, so next-auth/react's
 * `signIn('password', { email, password, redirect: false })` works), and serves `signup/password`,
 * `verify-email` and `password/forgot|reset|change`. Needs an adapter with users, verification
 * tokens and passwords (every gatehouse adapter).
 */
export default function Password(options: PasswordOptions = {}): PasswordConfig {
  const { server, sendVerificationRequest, ...rest } = options;
  return {
    id: 'password',
    name: 'Email and password',
    from: 'Gatehouse <no-reply@localhost>',
    ...rest,
    ...(server === undefined ? {} : { server }),
    type: 'password',
    sendVerificationRequest: sendVerificationRequest ?? defaultSender(server),
    options,
  };
}
