// The slice of oidc-provider 9's API the OAuth tests use (the package ships no type declarations).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContext {
    path: string;
    method: string;
    status: number;
    body: unknown;
    headers: Record<string, string | string[] | undefined>;
    request: { body?: unknown };
    get(header: string): string;
    set(header: string, value: string): void;
  }

  export interface AccessTokenModel {
    accountId?: string;
    clientId?: string;
    scope?: string;
    isExpired?: boolean;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    proxy: boolean;
    AccessToken: { find(token: string): Promise<AccessTokenModel | undefined> };
  }
}
