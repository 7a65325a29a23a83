// `gatehouse-auth doctor [auth-file]`: what breaks first deployments, checked against the real environment,
// each problem with its fix in one line. Secrets are never printed; passwords in URLs are masked.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig } from '../config.js';
import { normalizeProvider } from '../core/oauth/spec.js';
import { resolveServer } from '../services/oauth/discovery.js';
import type { AuthConfig, OAuthConfig } from '../types.js';
import { dialectOf, openAdapter, parseDatabaseUrl, redactUrl } from './database.js';
import { loadEnv } from './env.js';

export interface Finding {
  check: 'env' | 'auth file' | 'secret' | 'url' | 'database' | 'smtp' | 'oidc';
  status: 'ok' | 'fail' | 'skipped';
  detail: string;
  /** One line: what to do about a failure. */
  fix?: string;
}

export interface DoctorOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The app's module exporting its options (`authOptions`, `options`, `config` or the default export). */
  authFile?: string | undefined;
  /** A database URL to probe; else DATABASE_URL, else the auth file's adapter. */
  database?: string | undefined;
  envFiles?: string[];
}

/** 32 characters: what `openssl rand -base64 24` gives; `gatehouse-auth secret` prints 43. */
const MIN_SECRET_LENGTH = 32;
/** Each network probe's bound, so an address that drops packets ends the check instead of hanging it. */
const PROBE_TIMEOUT_MS = 10_000;
const SECRET_FIX = 'run `npx gatehouse-auth secret` and set AUTH_SECRET to what it prints (the same value on every server)';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s from ${what}`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

async function loadAuthOptions(cwd: string, file: string): Promise<AuthConfig> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(cwd, file)).href)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new Error(`${file} is TypeScript: run doctor through tsx, e.g. \`node --import tsx node_modules/gatehouse-auth/dist/cli/index.js doctor ${file}\``);
    }
    throw error;
  }
  for (const name of ['authOptions', 'options', 'config', 'default']) {
    const value = module[name];
    if (value && typeof value === 'object' && Array.isArray((value as { providers?: unknown }).providers)) return value as AuthConfig;
  }
  throw new Error(`${file} exports no options object (an \`authOptions\`, \`options\`, \`config\` or default export with \`providers\`)`);
}

function checkSecret(env: NodeJS.ProcessEnv, options: AuthConfig | undefined): Finding {
  const configured = options?.secret;
  const secrets = (Array.isArray(configured) ? configured : configured ? [configured] : [env.AUTH_SECRET ?? env.NEXTAUTH_SECRET]).filter((s): s is string => !!s);
  const source = configured ? "the auth file's `secret`" : env.AUTH_SECRET ? 'AUTH_SECRET' : 'NEXTAUTH_SECRET';
  if (secrets.length === 0) {
    return { check: 'secret', status: 'fail', detail: 'no AUTH_SECRET / NEXTAUTH_SECRET: createAuth throws under NODE_ENV=production, and elsewhere every restart signs everyone out', fix: SECRET_FIX };
  }
  const short = secrets.find((s) => s.length < MIN_SECRET_LENGTH);
  if (short !== undefined) {
    return { check: 'secret', status: 'fail', detail: `${source} is ${short.length} characters; use at least ${MIN_SECRET_LENGTH} random ones`, fix: SECRET_FIX };
  }
  if (!configured && env.AUTH_SECRET && env.NEXTAUTH_SECRET && env.AUTH_SECRET !== env.NEXTAUTH_SECRET) {
    return {
      check: 'secret',
      status: 'fail',
      detail: 'AUTH_SECRET and NEXTAUTH_SECRET differ: gatehouse uses AUTH_SECRET, so cookies next-auth issued with NEXTAUTH_SECRET no longer open',
      fix: 'give both the same value (or remove NEXTAUTH_SECRET once no v4 server is left)',
    };
  }
  return { check: 'secret', status: 'ok', detail: `${source} is set (${secrets[0]!.length} characters${secrets.length > 1 ? `, ${secrets.length} for rotation` : ''})` };
}

function checkUrl(env: NodeJS.ProcessEnv, options: AuthConfig | undefined): Finding {
  const fix = 'set NEXTAUTH_URL to the public URL of the auth API, e.g. NEXTAUTH_URL=https://example.com/api/auth';
  const { NEXTAUTH_URL: next, AUTH_URL: auth } = env;
  if (next && auth && next !== auth) {
    return {
      check: 'url',
      status: 'fail',
      detail: `NEXTAUTH_URL (${next}) and AUTH_URL (${auth}) differ; NEXTAUTH_URL wins on the server, a client built with the other points elsewhere`,
      fix: 'set one of them, or both to the same URL',
    };
  }
  const fromEnv = next ?? auth;
  if (options?.url && fromEnv && options.url !== fromEnv) {
    return {
      check: 'url',
      status: 'fail',
      detail: `the auth file's url (${options.url}) differs from ${next ? 'NEXTAUTH_URL' : 'AUTH_URL'} (${fromEnv}); the file wins on the server, the client reads the variable`,
      fix: 'drop `url` from the options, or set the variable to the same URL',
    };
  }
  const raw = options?.url ?? fromEnv;
  if (!raw) {
    const trusted = options?.trustHost ?? /^(1|true)$/i.test(env.AUTH_TRUST_HOST ?? '');
    if (trusted) return { check: 'url', status: 'ok', detail: 'no NEXTAUTH_URL; the host comes from the proxy headers (AUTH_TRUST_HOST / trustHost)' };
    return { check: 'url', status: 'fail', detail: 'NEXTAUTH_URL / AUTH_URL is not set: only localhost is served; any other host gets 400 "Untrusted host"', fix };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { check: 'url', status: 'fail', detail: `${raw} is not an absolute URL`, fix };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { check: 'url', status: 'fail', detail: `${raw} is not http(s)`, fix };
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    return {
      check: 'url',
      status: 'fail',
      detail: `${raw} is plain http: cookies lose Secure and the __Secure- prefix, and OAuth providers refuse http redirect URIs`,
      fix: 'serve the app over https and use the https URL',
    };
  }
  const path = url.pathname === '/' ? '/api/auth (the default)' : url.pathname;
  return { check: 'url', status: 'ok', detail: `${url.origin}, API at ${path}` };
}

async function checkDatabase(database: string | undefined, options: AuthConfig | undefined): Promise<Finding> {
  const probe = randomUUID();
  if (database) {
    let target;
    try {
      target = parseDatabaseUrl(database);
    } catch (error) {
      return { check: 'database', status: 'fail', detail: reason(error), fix: 'use sqlite:<file>, postgres://…, mysql://… or redis://…' };
    }
    // Opening a missing SQLite file would create it empty: report it instead.
    if (target.kind === 'sqlite' && !existsSync(target.connection)) {
      return { check: 'database', status: 'fail', detail: `${target.connection} does not exist`, fix: `run \`npx gatehouse-auth migrate ${target.display}\` to create it with its tables` };
    }
    const adapter = await openAdapter(target);
    try {
      await within(PROBE_TIMEOUT_MS, target.display, adapter.getUser(probe));
      return { check: 'database', status: 'ok', detail: `${target.display} answers, tables in place` };
    } catch (error) {
      const dialect = await dialectOf(target);
      if (dialect?.classify(error) === 'missing-table') {
        return { check: 'database', status: 'fail', detail: `${target.display} answers, but the tables are missing`, fix: `run \`npx gatehouse-auth migrate ${target.display}\` (or the adapter's migrate() at start-up)` };
      }
      return {
        check: 'database',
        status: 'fail',
        detail: `${target.display} is unreachable: ${reason(error)}`,
        fix: missingDriverFix(error) ?? 'check the host, port, database name and credentials, and that the server accepts connections from here',
      };
    } finally {
      await adapter.close().catch(() => undefined);
    }
  }
  const adapter = options?.adapter;
  if (!adapter) return { check: 'database', status: 'skipped', detail: 'no DATABASE_URL, --database or adapter in the auth file (JWT sessions need none)' };
  try {
    await within(PROBE_TIMEOUT_MS, "the auth file's adapter", Promise.resolve(adapter.getUser?.(probe)));
    return { check: 'database', status: 'ok', detail: "the auth file's adapter answers" };
  } catch (error) {
    return {
      check: 'database',
      status: 'fail',
      detail: `the auth file's adapter fails: ${reason(error)}`,
      fix: missingDriverFix(error) ?? "check its connection settings; if a table is missing, run the adapter's migrate() (or `npx gatehouse-auth migrate <url>`)",
    };
  } finally {
    // The pool the app's module opened would keep this one-shot process alive.
    await (adapter as { close?(): Promise<void> }).close?.().catch(() => undefined);
  }
}

function missingDriverFix(error: unknown): string | undefined {
  if ((error as { code?: unknown }).code !== 'MissingDriver') return undefined;
  const name = /needs the "([^"]+)" package/.exec((error as Error).message)?.[1];
  return name ? `npm install ${name}` : undefined;
}

interface Transport {
  verify(): Promise<unknown>;
  close(): void;
}

async function checkSmtp(env: NodeJS.ProcessEnv, providers: readonly { type: string; config: unknown }[]): Promise<Finding> {
  const email = providers.find((p) => p.type === 'email')?.config as { server?: unknown } | undefined;
  const server = email?.server ?? env.EMAIL_SERVER;
  if (!server) {
    const detail = email ? 'the email provider sends with its own sendVerificationRequest' : 'no email provider and no EMAIL_SERVER';
    return { check: 'smtp', status: 'skipped', detail };
  }
  const shown = typeof server === 'string' ? redactUrl(server) : `${String((server as { host?: unknown }).host ?? 'localhost')}:${String((server as { port?: unknown }).port ?? 587)}`;
  let createTransport: (options: unknown) => Transport;
  try {
    const module = (await import('nodemailer')) as unknown as { default?: { createTransport: typeof createTransport }; createTransport?: typeof createTransport };
    createTransport = (module.default ?? (module as { createTransport: typeof createTransport })).createTransport;
  } catch {
    return { check: 'smtp', status: 'fail', detail: 'the email provider needs nodemailer, which is not installed', fix: 'npm install nodemailer' };
  }
  const transport = createTransport(server);
  try {
    // EHLO, STARTTLS where offered, and AUTH with the configured user: what the first magic link would do.
    await within(PROBE_TIMEOUT_MS, shown, transport.verify());
    return { check: 'smtp', status: 'ok', detail: `${shown} accepts the connection and the login` };
  } catch (error) {
    return { check: 'smtp', status: 'fail', detail: `${shown} refuses: ${reason(error)}`, fix: 'check EMAIL_SERVER (smtp://user:password@host:587): host, port, TLS and credentials' };
  } finally {
    transport.close();
  }
}

async function checkDiscovery(providers: readonly { id: string; type: string; config: unknown }[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const provider of providers) {
    if (provider.type !== 'oidc' && provider.type !== 'oauth') continue;
    const spec = normalizeProvider(provider.config as OAuthConfig);
    if (!spec.discoveryUrl) continue;
    try {
      const server = await within(PROBE_TIMEOUT_MS, spec.discoveryUrl, resolveServer(spec));
      const missing = ['authorization_endpoint', 'token_endpoint'].filter((name) => !(name in server.as));
      if (missing.length > 0) throw new Error(`the document has no ${missing.join(' or ')}`);
      findings.push({ check: 'oidc', status: 'ok', detail: `${provider.id}: ${server.as.issuer} discovered` });
    } catch (error) {
      findings.push({
        check: 'oidc',
        status: 'fail',
        detail: `${provider.id}: discovery at ${spec.discoveryUrl} failed: ${reason(error)}`,
        fix: `check the provider's \`issuer\`: ${spec.discoveryUrl} must answer JSON whose "issuer" is that URL without /.well-known/…`,
      });
    }
  }
  if (findings.length === 0) findings.push({ check: 'oidc', status: 'skipped', detail: 'no OpenID Connect provider with a discovery document' });
  return findings;
}

export async function doctor(options: DoctorOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const { env, files } = loadEnv(options.cwd, options.env, options.envFiles);
  findings.push({ check: 'env', status: 'ok', detail: files.length > 0 ? `read ${files.join(', ')} (variables already set win)` : 'no .env files; the process environment only' });
  // The app's module reads process.env when it loads, as it will on the server.
  for (const [key, value] of Object.entries(env)) if (process.env[key] === undefined && value !== undefined) process.env[key] = value;

  let auth: AuthConfig | undefined;
  let providers: readonly { id: string; type: string; config: unknown }[] = [];
  if (options.authFile) {
    try {
      auth = await loadAuthOptions(options.cwd, options.authFile);
      const silent = { error() {}, warn() {}, debug() {} };
      // NODE_ENV=development: a missing secret is the secret check's finding, not a reason to stop here.
      providers = resolveConfig({ ...auth, logger: silent }, { ...env, NODE_ENV: 'development' }).providers;
      findings.push({ check: 'auth file', status: 'ok', detail: `${options.authFile}: ${providers.length} provider(s), options valid` });
    } catch (error) {
      findings.push({ check: 'auth file', status: 'fail', detail: `${options.authFile}: ${reason(error)}`, fix: 'fix what the message names; createAuth would throw the same at start-up' });
    }
  }
  findings.push(checkSecret(env, auth));
  findings.push(checkUrl(env, auth));
  const database = options.database ?? (env.DATABASE_URL && /^(sqlite:|postgres|mysql|mariadb|rediss?:)/i.test(env.DATABASE_URL) ? env.DATABASE_URL : undefined);
  findings.push(await checkDatabase(database, auth));
  findings.push(await checkSmtp(env, providers));
  if (options.authFile && !auth) findings.push({ check: 'oidc', status: 'skipped', detail: 'the auth file did not load' });
  else if (options.authFile) findings.push(...(await checkDiscovery(providers)));
  else findings.push({ check: 'oidc', status: 'skipped', detail: 'pass the auth file (gatehouse-auth doctor lib/auth.mjs) to check its providers' });
  return findings;
}

export function formatFindings(findings: readonly Finding[]): string {
  const mark = { ok: '✓', fail: '✗', skipped: '-' } as const;
  const lines = findings.map((f) => `${mark[f.status]} ${f.check}: ${f.detail}${f.fix ? `\n    fix: ${f.fix}` : ''}`);
  const failed = findings.filter((f) => f.status === 'fail').length;
  lines.push(failed === 0 ? 'No problems found.' : `${failed} problem(s) found.`);
  return `${lines.join('\n')}\n`;
}
