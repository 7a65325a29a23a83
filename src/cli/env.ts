// The environment a deployment will see: process.env over .env.local over .env (the order Next.js and dotenv use).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export interface LoadedEnv {
  env: Record<string, string | undefined>;
  /** The files read, in the order they were applied. */
  files: string[];
}

/** Reads `.env`, `.env.local` and any `extra` files in `dir`; values already in `base` win. */
export function loadEnv(dir: string, base: NodeJS.ProcessEnv, extra: string[] = []): LoadedEnv {
  const merged: Record<string, string | undefined> = {};
  const files: string[] = [];
  for (const name of ['.env', '.env.local', ...extra]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    Object.assign(merged, parseEnv(readFileSync(path, 'utf8')));
    files.push(name);
  }
  for (const [key, value] of Object.entries(base)) if (value !== undefined) merged[key] = value;
  return { env: merged, files };
}
