// The email (magic link) provider: `Email({ server, from })` sends a single-use sign-in link with nodemailer.
import { createTranslator, DEFAULT_LOCALE, en, type Messages } from '../locales/index.js';
import { nodemailerSender } from '../services/mailer.js';
import type { EmailConfig, SendVerificationRequestParams, Theme } from '../types.js';

export interface EmailOptions {
  id?: string;
  name?: string;
  /** A connection URL (`smtp://user:pass@host:587`) or nodemailer transport options. */
  server?: string | Record<string, unknown>;
  /** The sender, e.g. `"My App" <no-reply@example.com>`. */
  from?: string;
  /** Seconds a link stays valid (default 24 h). */
  maxAge?: number;
  sendVerificationRequest?: EmailConfig['sendVerificationRequest'];
  generateVerificationToken?: () => string | Promise<string>;
  normalizeIdentifier?: (identifier: string) => string;
  /** Hash tokens with this instead of the instance secret. */
  secret?: string;
  /** GET of the link shows a confirm button; only the POST signs in (defeats link-scanning mail filters). */
  confirm?: boolean;
  /**
   * Also mail a 6-digit code, typed on the "check your email" page of the browser that asked: for
   * reading mail on another device. 10 minutes, 5 wrong tries and it is void; the link works as before.
   */
  code?: boolean;
}

/** Seconds a magic link stays valid unless `maxAge` says otherwise. */
const DEFAULT_MAX_AGE = 24 * 60 * 60;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** What the magic-link mail says, in the request's locale: `ENGLISH` where no request chose one. */
export interface MailWords {
  /** The locale the mail is written in (a sender is told it as `locale`); default English. */
  locale?: string;
  /** That locale's messages (a sender is told them as `messages`); default the English catalogue. */
  messages?: Messages;
  /** Seconds the link stays valid, for "expires in …". */
  validFor?: number;
  /** With `code: true`: the sign-in code, and the seconds it stays valid. */
  code?: { value: string; validFor: number } | undefined;
}

/** The mail's HTML: every interpolated value escaped (advisory GHSA-pgjx: HTML injection into the email), translations included. */
export function verificationEmailHtml({ url, host, theme, locale = DEFAULT_LOCALE, messages = en, validFor = DEFAULT_MAX_AGE, code }: { url: string; host: string; theme: Theme } & MailWords): string {
  const text = createTranslator(locale, messages);
  const brand = theme.brandColor && /^#[0-9a-f]{3,8}$/i.test(theme.brandColor) ? theme.brandColor : '#346df1';
  // The heading's host is bold: the translated sentence is split at {host} so its word order stays the translator's.
  const [before = '', after = ''] = text.messages['mail.signIn.heading'].split('{host}');
  return `<!DOCTYPE html><html lang="${escape(text.locale)}" dir="${text.dir}"><body style="font-family:system-ui,sans-serif;background:#f5f7fa;padding:24px">
<table role="presentation" width="100%" style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<tr><td style="font-size:18px;text-align:center;padding-bottom:16px">${escape(before)}<strong>${escape(host)}</strong>${escape(after)}</td></tr>
<tr><td style="text-align:center"><a href="${escape(url)}" style="display:inline-block;background:${brand};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escape(text.t('mail.signIn.button'))}</a></td></tr>
${code ? `<tr><td style="font-size:14px;text-align:center;padding-top:16px">${escape(text.t('mail.signIn.codeLead', { duration: { seconds: code.validFor } }))}</td></tr>\n<tr><td style="font-size:28px;letter-spacing:6px;text-align:center;font-family:ui-monospace,monospace;padding-top:8px">${escape(code.value)}</td></tr>\n` : ''}<tr><td style="font-size:13px;color:#52606d;text-align:center;padding-top:16px">${escape(text.t('mail.signIn.foot', { duration: { seconds: validFor } }))}</td></tr>
</table></body></html>`;
}

export function verificationEmailText({ url, host, locale = DEFAULT_LOCALE, messages = en, validFor = DEFAULT_MAX_AGE, code }: { url: string; host: string } & MailWords): string {
  const text = createTranslator(locale, messages);
  // The code on a line of its own, so mail clients offer to copy it (and tests can read it).
  const typed = code ? `${text.t('mail.signIn.codeLead', { duration: { seconds: code.validFor } })}\n\n${code.value}\n\n` : '';
  return `${text.t('mail.signIn.heading', { host })}\n${url}\n\n${typed}${text.t('mail.signIn.foot', { duration: { seconds: validFor } })}\n`;
}

/** The default sender: one nodemailer transport per provider, created on first use. */
function defaultSender(send: (message: Record<string, unknown>) => Promise<void>): EmailConfig['sendVerificationRequest'] {
  return async ({ identifier, url, provider, theme, locale, messages, expires, code, codeExpires }: SendVerificationRequestParams) => {
    const host = new URL(url).host;
    const text = createTranslator(locale, messages);
    const minutes = (until: Date) => Math.max(60, Math.round((until.getTime() - Date.now()) / 60_000) * 60);
    const validFor = minutes(expires);
    const typed = code === undefined ? undefined : { value: code, validFor: minutes(codeExpires ?? expires) };
    await send({
      to: identifier,
      from: provider.from,
      subject: text.t('mail.signIn.subject', { host }),
      text: verificationEmailText({ url, host, locale, messages, validFor, code: typed }),
      html: verificationEmailHtml({ url, host, theme, locale, messages, validFor, code: typed }),
    });
  };
}

/** `Email({ server: process.env.EMAIL_SERVER, from: process.env.EMAIL_FROM })`; needs an adapter to store tokens. */
export default function Email(options: EmailOptions = {}): EmailConfig {
  const { server, ...rest } = options;
  const send = nodemailerSender(server);
  return {
    id: 'email',
    name: 'Email',
    maxAge: DEFAULT_MAX_AGE,
    from: 'Gatehouse <no-reply@localhost>',
    ...rest,
    ...(server === undefined ? {} : { server }),
    type: 'email',
    sendVerificationRequest: options.sendVerificationRequest ?? defaultSender(send),
    // Gatehouse: the same transport for the other mails of this provider's instance (twoFactor.emailCode's codes).
    // Here, not in the core, so only apps that import this provider pull nodemailer into their bundle (Workers, Deno).
    ...(server === undefined ? {} : { sendMail: send }),
    options,
  };
}
