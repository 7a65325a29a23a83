// The Password provider: email-and-password accounts stored in the adapter, with sign-up, verification, reset and change mails sent by nodemailer.
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

interface MailText {
  subject: (host: string) => string;
  lead: (host: string) => string;
  button: string;
  foot: string;
}

/** What each mail says. `accountExists` goes to an address that signed up again, so it must not read as a new account. */
const MAILS: Record<PasswordMailKind, MailText> = {
  verifyEmail: {
    subject: (host) => `Confirm your email for ${host}`,
    lead: (host) => `Confirm your email address to finish creating your account on ${host}.`,
    button: 'Confirm email',
    foot: 'If you did not create an account, you can ignore this email. The link works once.',
  },
  resetPassword: {
    subject: (host) => `Reset your password for ${host}`,
    lead: (host) => `Someone asked to reset the password of your account on ${host}.`,
    button: 'Choose a new password',
    foot: 'If it was not you, ignore this email: your password stays as it is. The link works once and expires in an hour.',
  },
  accountExists: {
    subject: (host) => `You already have an account on ${host}`,
    lead: (host) => `Someone tried to create an account on ${host} with this address, which already has one.`,
    button: 'Sign in',
    foot: 'If you forgot your password, you can reset it from the sign-in page. If it was not you, you can ignore this email.',
  },
};

/** The mail's HTML; every interpolated value escaped (the address and host come from the request and configuration). */
export function passwordEmailHtml({ kind, url, host, theme }: { kind: PasswordMailKind; url: string; host: string; theme: Theme }): string {
  const text = MAILS[kind];
  const brand = theme.brandColor && /^#[0-9a-f]{3,8}$/i.test(theme.brandColor) ? theme.brandColor : '#346df1';
  return `<!DOCTYPE html><html><body style="font-family:system-ui,sans-serif;background:#f5f7fa;padding:24px">
<table role="presentation" width="100%" style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<tr><td style="font-size:16px;text-align:center;padding-bottom:16px">${escape(text.lead(host))}</td></tr>
<tr><td style="text-align:center"><a href="${escape(url)}" style="display:inline-block;background:${brand};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escape(text.button)}</a></td></tr>
<tr><td style="font-size:13px;color:#52606d;text-align:center;padding-top:16px">${escape(text.foot)}</td></tr>
</table></body></html>`;
}

export function passwordEmailText({ kind, url, host }: { kind: PasswordMailKind; url: string; host: string }): string {
  const text = MAILS[kind];
  return `${text.lead(host)}\n${text.button}: ${url}\n\n${text.foot}\n`;
}

function defaultSender(server: PasswordOptions['server']): PasswordConfig['sendVerificationRequest'] {
  const send = nodemailerSender(server);
  return async ({ kind, identifier, url, provider, theme }: PasswordMailParams) => {
    const host = new URL(url).host;
    await send({
      to: identifier,
      from: provider.from,
      subject: MAILS[kind].subject(host),
      text: passwordEmailText({ kind, url, host }),
      html: passwordEmailHtml({ kind, url, host, theme }),
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
