// The logger: v4's `logger`/`debug` options, with secrets, tokens, cookies and passwords redacted before anything is written.
import type { LoggerInstance } from '../types.js';

const SECRET_KEY = /secret|password|passwd|token|cookie|authorization|credential|code_verifier|nonce|state|csrf|key/i;
const JWE_OR_JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_.-]*/g;
const LONG_HEX = /\b[a-f0-9]{32,}\b/gi;
const REDACTED = '[redacted]';

/** Deep-copies a value for logging, replacing anything that could grant access. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return value.replace(JWE_OR_JWT, REDACTED).replace(LONG_HEX, REDACTED);
  if (value instanceof Error) return redactError(value, depth);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(item, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * An Error stays an Error (v4 hands loggers the Error itself, and error trackers such as Sentry's
 * `captureException` want one): same name, `code` and stack, message and cause redacted. As JSON
 * it is `{ name, message, code?, cause? }`, where a plain Error would print `{}`.
 */
function redactError(error: Error, depth: number): Error {
  const cause = error.cause === undefined ? undefined : redact(error.cause, depth + 1);
  const copy = new Error(redact(error.message, depth + 1) as string, cause === undefined ? undefined : { cause });
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = redact(error.stack, depth + 1) as string;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  Object.defineProperty(copy, 'toJSON', {
    value: () => ({ name: copy.name, message: copy.message, ...(typeof code === 'string' ? { code } : {}), ...(cause === undefined ? {} : { cause }) }),
  });
  return copy;
}

export interface Logger extends LoggerInstance {}

/**
 * The console line of a warning: gatehouse's warnings carry their guidance as `{ message }`, and
 * a code alone tells a new user nothing, so the message goes on the line and any other metadata
 * after it.
 */
function warningArgs(code: string, metadata: unknown): unknown[] {
  const prefix = `[gatehouse][warn][${code}]`;
  if (metadata === undefined) return [prefix];
  if (!metadata || typeof metadata !== 'object' || typeof (metadata as { message?: unknown }).message !== 'string') return [prefix, metadata];
  const { message, ...rest } = metadata as { message: string };
  return Object.keys(rest).length === 0 ? [`${prefix} ${message}`] : [`${prefix} ${message}`, rest];
}

/**
 * Wraps the user's logger (or the console). Debug lines are dropped unless `debug` is on.
 * Every metadata object passes `redact` first, whoever wrote the logger.
 */
export function createLogger(user: Partial<LoggerInstance> | undefined, debug: boolean): Logger {
  const sink: LoggerInstance = {
    error: user?.error ?? ((code, metadata) => console.error(`[gatehouse][error][${code}]`, metadata ?? '')),
    warn: user?.warn ?? ((code, metadata) => console.warn(...warningArgs(code, metadata))),
    debug: user?.debug ?? ((code, metadata) => console.debug(`[gatehouse][debug][${code}]`, metadata ?? '')),
  };
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch {
      // a throwing logger must not turn a handled request into a failure
    }
  };
  return {
    error: (code, metadata) => safely(() => sink.error(code, redact(metadata))),
    warn: (code, metadata) => safely(() => (metadata === undefined ? sink.warn(code) : sink.warn(code, redact(metadata)))),
    debug: (code, metadata) => {
      if (debug) safely(() => sink.debug(code, redact(metadata)));
    },
  };
}
