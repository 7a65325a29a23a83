// Loads next-auth v4 from test/peers (its own folder: it wants an older nodemailer than gatehouse uses).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../peers/package.json', import.meta.url));

export interface NextAuthJwt {
  encode(params: { token: Record<string, unknown>; secret: string; maxAge?: number; salt?: string }): Promise<string>;
  decode(params: { token: string; secret: string; salt?: string }): Promise<Record<string, unknown> | null>;
  getToken(params: { req: unknown; secret: string; secureCookie?: boolean }): Promise<Record<string, unknown> | null>;
}

export function nextAuthJwt(): NextAuthJwt {
  return require('next-auth/jwt') as NextAuthJwt;
}

/** The path of an installed peer file, for bundling the real v4 client into a browser page. */
export function peerPath(specifier: string): string {
  return require.resolve(specifier);
}

export function peerRequire<T>(specifier: string): T {
  return require(specifier) as T;
}
