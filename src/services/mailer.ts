// The nodemailer transport the email and password providers send with: loaded on first use (an optional peer), one per provider.

export interface Mailer {
  sendMail(message: Record<string, unknown>): Promise<{ rejected?: unknown[]; pending?: unknown[] }>;
}

async function loadNodemailer(): Promise<{ createTransport(options: unknown): Mailer }> {
  try {
    const mod = (await import('nodemailer')) as unknown as { default?: { createTransport(options: unknown): Mailer }; createTransport?(options: unknown): Mailer };
    return (mod.default ?? mod) as { createTransport(options: unknown): Mailer };
  } catch {
    throw new Error('gatehouse: the email and password providers send with nodemailer. Install it: npm install nodemailer');
  }
}

/** `send(message)` through a transport for `server` (a URL or transport options), created on the first send. */
export function nodemailerSender(server: unknown): (message: Record<string, unknown>) => Promise<void> {
  let transport: Promise<Mailer> | undefined;
  return async (message) => {
    transport ??= loadNodemailer().then((nodemailer) => nodemailer.createTransport(server));
    const result = await (await transport).sendMail(message);
    // nodemailer resolves even when the server refused some recipients: that is a failed send.
    const failed = [...(result.rejected ?? []), ...(result.pending ?? [])];
    if (failed.length > 0) throw new Error(`email could not be sent to ${failed.length} recipient(s)`);
  };
}
