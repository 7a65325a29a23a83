// Loopback stand-ins for remote services the tests cannot reach: the Pwned Passwords range API and CAPTCHA siteverify endpoints, speaking their documented formats.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StandIn {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

async function listen(handle: (request: Recorded, res: ServerResponse) => void): Promise<StandIn> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      handle(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * GET /range/{5 hex}: every breached suffix in that bucket as `SUFFIX:COUNT` CRLF lines, plus
 * (with `Add-Padding: true`) random suffixes with count 0, as api.pwnedpasswords.com answers.
 * `/slow/range/…` never answers; `/broken/range/…` answers 503.
 */
export async function startPwnedPasswords(breached: Record<string, number>): Promise<StandIn> {
  const table = new Map<string, number>();
  for (const [password, count] of Object.entries(breached)) table.set(createHash('sha1').update(password).digest('hex').toUpperCase(), count);
  return listen((request, res) => {
    if (request.path.startsWith('/slow/')) return;
    if (request.path.startsWith('/broken/')) {
      res.writeHead(503).end('unavailable');
      return;
    }
    const match = /^\/range\/([0-9A-F]{5})$/.exec(request.path);
    if (!match) {
      res.writeHead(400).end('The hash prefix was not in a valid format');
      return;
    }
    const lines: string[] = [];
    for (const [hash, count] of table) if (hash.startsWith(match[1]!)) lines.push(`${hash.slice(5)}:${count}`);
    if (request.headers['add-padding'] === 'true') {
      for (let i = 0; i < 20; i++) lines.push(`${randomBytes(18).toString('hex').toUpperCase().slice(0, 35)}:0`);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(lines.join('\r\n'));
  });
}

/**
 * POST siteverify (form-encoded `secret`, `response`, optional `remoteip`): `{ success, hostname,
 * action, score, 'error-codes' }` as Turnstile, hCaptcha and reCAPTCHA answer. A token is good
 * when `tokens` has it; its entry says what the answer carries besides.
 */
export async function startSiteverify(secret: string, tokens: Record<string, { hostname?: string; action?: string; score?: number }>): Promise<StandIn> {
  return listen((request, res) => {
    const form = new URLSearchParams(request.body);
    const json = (body: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (request.method !== 'POST' || request.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      res.writeHead(405).end();
      return;
    }
    if (form.get('secret') !== secret) return json({ success: false, 'error-codes': ['invalid-input-secret'] });
    const token = form.get('response') ?? '';
    const entry = tokens[token];
    if (!entry) return json({ success: false, 'error-codes': ['invalid-input-response'] });
    // Tokens are single-use at every one of these services.
    delete tokens[token];
    json({ success: true, challenge_ts: new Date().toISOString(), hostname: entry.hostname ?? 'app.example', ...entry });
  });
}
