// A real SMTP server (smtp-server) on 127.0.0.1 that captures every message, for magic-link tests.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string[];
  raw: string;
  /** The body with quoted-printable soft breaks and escapes undone. */
  decoded: string;
}

export interface SmtpSink {
  port: number;
  url: string;
  mails: CapturedMail[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startSmtp(): Promise<SmtpSink> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, decoded: decodeQuotedPrintable(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** nodemailer options for the sink: plain SMTP on loopback. */
export function transportFor(sink: { port: number }) {
  return { host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true };
}

export function linkFrom(mail: CapturedMail): string {
  const match = /(https?:\/\/[^\s"<>]+\/callback\/email\?[^\s"<>]+)/.exec(mail.decoded);
  if (!match) throw new Error(`no magic link in mail:\n${mail.decoded}`);
  return match[1]!.replaceAll('&amp;', '&');
}
