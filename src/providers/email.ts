// The email (magic link) provider: `Email({ server, from })` sends a single-use sign-in link with nodemailer.
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
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** The mail's HTML: every interpolated value escaped (advisory GHSA-pgjx: HTML injection into the email). */
export function verificationEmailHtml({ url, host, theme }: { url: string; host: string; theme: Theme }): string {
  const brand = theme.brandColor && /^#[0-9a-f]{3,8}$/i.test(theme.brandColor) ? theme.brandColor : '#346df1';
  return `<!DOCTYPE html><html><body style="font-family:system-ui,sans-serif;background:#f5f7fa;padding:24px">
<table role="presentation" width="100%" style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<tr><td style="font-size:18px;text-align:center;padding-bottom:16px">Sign in to <strong>${escape(host)}</strong></td></tr>
<tr><td style="text-align:center"><a href="${escape(url)}" style="display:inline-block;background:${brand};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">Sign in</a></td></tr>
<tr><td style="font-size:13px;color:#52606d;text-align:center;padding-top:16px">If you did not ask for this email, you can ignore it. The link works once.</td></tr>
</table></body></html>`;
}

export function verificationEmailText({ url, host }: { url: string; host: string }): string {
  return `Sign in to ${host}\n${url}\n\nIf you did not ask for this email, you can ignore it. The link works once.\n`;
}

/** The default sender: one nodemailer transport per provider, created on first use. */
function defaultSender(server: EmailOptions['server']): EmailConfig['sendVerificationRequest'] {
  const send = nodemailerSender(server);
  return async ({ identifier, url, provider, theme }: SendVerificationRequestParams) => {
    const host = new URL(url).host;
    await send({
      to: identifier,
      from: provider.from,
      subject: `Sign in to ${host}`,
      text: verificationEmailText({ url, host }),
      html: verificationEmailHtml({ url, host, theme }),
    });
  };
}

/** `Email({ server: process.env.EMAIL_SERVER, from: process.env.EMAIL_FROM })`; needs an adapter to store tokens. */
export default function Email(options: EmailOptions = {}): EmailConfig {
  const { server, ...rest } = options;
  return {
    id: 'email',
    name: 'Email',
    maxAge: 24 * 60 * 60,
    from: 'Gatehouse <no-reply@localhost>',
    ...rest,
    ...(server === undefined ? {} : { server }),
    type: 'email',
    sendVerificationRequest: options.sendVerificationRequest ?? defaultSender(server),
    options,
  };
}
