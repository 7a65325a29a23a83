// Every store call with a deadline: an adapter (or session index, or rate-limit store) whose calls end within `storeTimeout`, outages reported as AdapterError 'Unavailable'.
import { AdapterError, isUnavailable, unavailable } from './errors.js';

/** The default `storeTimeout`: long enough for a slow query on a busy server, short enough that a request fails while the user still waits. */
export const DEFAULT_STORE_TIMEOUT_MS = 5000;

/**
 * Runs one call under the deadline. The call itself is not cancelled (no store API allows it):
 * its answer, if it ever comes, is dropped, and the drivers' own timeouts free the connection.
 */
export function withDeadline<T>(what: string, ms: number, run: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(unavailable(`${what} did not answer within ${ms} ms`)), ms);
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    let pending: Promise<T>;
    try {
      pending = run();
    } catch (error) {
      settle(() => reject(classify(what, error)));
      return;
    }
    Promise.resolve(pending).then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(classify(what, error))),
    );
  });
}

/** A driver's outage becomes `Unavailable` (the driver's error as cause); everything else passes through unchanged. */
function classify(what: string, error: unknown): unknown {
  if (error instanceof AdapterError || !isUnavailable(error)) return error;
  return unavailable(`${what} failed: the store is unavailable`, error);
}

/**
 * The same object with every method bounded. A Proxy rather than a copy: a store is the adapter
 * itself (methods keep their `this`), methods added later or not known here are bounded too, and
 * `typeof store.method === 'function'` checks see what the adapter has. Methods that answer
 * synchronously (an adapter's `sessionStore()` factory) are returned as they are.
 */
export function bounded<T extends object>(store: T, ms: number, name: string): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      const cached = wrapped.get(property);
      if (cached && (cached as { original?: unknown }).original === value) return cached;
      const method = value as (...args: unknown[]) => unknown;
      const label = `${name}.${String(property)}`;
      const bound = Object.assign(
        function (this: unknown, ...args: unknown[]): unknown {
          let out: unknown;
          try {
            out = method.apply(target, args);
          } catch (error) {
            throw classify(label, error);
          }
          if (!isThenable(out)) return out;
          return withDeadline(label, ms, () => out as Promise<unknown>);
        },
        { original: value },
      );
      wrapped.set(property, bound);
      return bound;
    },
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
