// Loads an adapter's database driver on first use, so only the driver of the adapter in use must be installed.
import { AdapterError } from './errors.js';

/**
 * `import(name)` with an error that says what to install. The driver is an optional peer
 * dependency: an app that never uses this adapter never needs it.
 */
export async function loadDriver<T>(specifier: string, adapter: string): Promise<T> {
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const name = packageName(specifier);
      throw new AdapterError('MissingDriver', `gatehouse-auth/adapters/${adapter} needs the "${name}" package: npm install ${name}`, {
        cause: error,
      });
    }
    throw error;
  }
  // The drivers are CommonJS: under ESM their module.exports arrives as `default`.
  const module = loaded as { default?: unknown };
  return (module.default ?? loaded) as T;
}

/** `mysql2/promise` → `mysql2`, `@scope/pkg/sub` → `@scope/pkg`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}
