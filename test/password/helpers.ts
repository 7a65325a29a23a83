// Shared steps of the Password provider tests: a server with real SMTP, the mailed links, the REST calls a browser form would make.
import type { GatehouseAdapter } from '../../src/adapters/types.js';
import Password, { type PasswordOptions } from '../../src/providers/password.js';
import type { AuthConfig } from '../../src/types.js';
import { Browser, SECRET, startServer, type TestServer } from '../helpers/server.js';
import { transportFor, type CapturedMail, type SmtpSink } from '../helpers/smtp.js';

/** Cheap enough for tests (2^14: 16 MiB per hash); the cost is a parameter, not what is tested. */
export const TEST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };

export async function passwordServer(smtp: SmtpSink, adapter: GatehouseAdapter, options: PasswordOptions = {}, extra: Partial<AuthConfig> = {}): Promise<TestServer> {
  return startServer({
    secret: SECRET,
    adapter,
    providers: [Password({ server: transportFor(smtp), from: 'Gatehouse <auth@example.com>', scrypt: TEST_SCRYPT, ...options })],
    ...extra,
  });
}

/** The first link in a mail that goes to `path` under the base. */
export function mailedLink(mail: CapturedMail, path: string): URL {
  const match = new RegExp(`(https?://[^\\s"<>]+/${path}\\?[^\\s"<>]+)`).exec(mail.decoded);
  if (!match) throw new Error(`no ${path} link in mail:\n${mail.decoded}`);
  return new URL(match[1]!.replaceAll('&amp;', '&'));
}

/** Waits for the mail to `to` that arrives after `count` mails were captured (nodemailer resolves once the server accepted it). */
export function mailTo(smtp: SmtpSink, to: string, after: number): CapturedMail {
  const mail = smtp.mails.slice(after).find((m) => m.to.includes(to));
  if (!mail) throw new Error(`no mail to ${to} after #${after}; got ${smtp.mails.length - after}`);
  return mail;
}

export async function post(browser: Browser, url: string, form: Record<string, string>): Promise<Response> {
  const base = url.slice(0, url.indexOf('/api/auth') + '/api/auth'.length);
  const csrfToken = await browser.csrfToken(base);
  return browser.fetch(url, { method: 'POST', form: { csrfToken, ...form } });
}

/** A POST in v4's JSON mode: the answer is `{ url }` with the route's status. */
export async function postJson(browser: Browser, url: string, form: Record<string, string>): Promise<{ status: number; url: string; headers: Headers }> {
  const response = await post(browser, url, { ...form, json: 'true' });
  const body = (await response.json()) as { url: string };
  return { status: response.status, url: body.url, headers: response.headers };
}

export async function sessionOf(browser: Browser, base: string): Promise<{ user?: { email?: string; name?: string } } | null> {
  const body = (await (await browser.fetch(`${base}/session`)).json()) as { user?: { email?: string } };
  return body.user ? body : null;
}

export function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** Polls the captured mails for one to `to` after #`after` (the forgot-password mail is sent without being awaited), bounded by attempts. */
export async function waitForMail(smtp: SmtpSink, to: string, after: number): Promise<CapturedMail> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const mail = smtp.mails.slice(after).find((m) => m.to.includes(to));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail to ${to} arrived`);
}
