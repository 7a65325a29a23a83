// The resolved instance behind an `Auth`, for gatehouse's own tests and tools: not exported from any public entry point.
import type { ResolvedConfig } from './config.js';
import type { AuthInstance } from './context.js';

/** The key `createAuth` keeps its instance under (non-enumerable, absent from the `Auth` type). */
export const INSTANCE: unique symbol = Symbol('gatehouse.instance');

/** The instance of an `Auth` made by `createAuth`; a TypeError for anything else. */
export function instanceOf(auth: object): AuthInstance {
  const instance = (auth as { [INSTANCE]?: AuthInstance })[INSTANCE];
  if (!instance) throw new TypeError('gatehouse: not an instance made by createAuth');
  return instance;
}

/** The validated configuration of an `Auth` (its secrets included). */
export function configOf(auth: object): ResolvedConfig {
  return instanceOf(auth).config;
}
