// Loads an adapter's database driver on first use, so only the driver of the adapter in use must be installed.
import { AdapterError } from './errors.js';

/**
 * `import(name)` with an error that says what to install. The driver is an optional peer
 * dependency: an app that never uses this adapter never needs it.
 */
export async function loadDriver<T>(name: string, adapter: string): Promise<T> {
  let loaded: unknown;
  try {
    loaded = await import(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new AdapterError('MissingDriver', `gatehouse/adapters/${adapter} needs the "${name}" package: npm install ${name}`, {
        cause: error,
      });
    }
    throw error;
  }
  // The drivers are CommonJS: under ESM their module.exports arrives as `default`.
  const module = loaded as { default?: unknown };
  return (module.default ?? loaded) as T;
}
