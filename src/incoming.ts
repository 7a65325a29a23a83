// What the handler reads of a request, and what it answers, independent of Fetch objects (integrations map to and from these without copying).

export interface Incoming {
  readonly method: string;
  /** Path without the query, as sent (percent-encoded). */
  readonly pathname: string;
  /** The query string without `?`, or ''. */
  readonly search: string;
  /** `http` or `https`, as the connection arrived (proxies' headers are judged by the handler). */
  readonly protocol: 'http' | 'https';
  /** A request header by lower-case name, or null. */
  header(name: string): string | null;
  /** The body as text (called at most once, for POST). */
  text(): Promise<string>;
  /** A Web Request for user code that wants one (authorize, sendVerificationRequest); built lazily. */
  request(): Request;
}

export interface Outgoing {
  status: number;
  /** Header pairs; `Set-Cookie` may repeat. */
  headers: Array<[string, string]>;
  body: string | null;
}

export function incomingFromRequest(request: Request): Incoming {
  const url = new URL(request.url);
  return {
    method: request.method,
    pathname: url.pathname,
    search: url.search.slice(1),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    header: (name) => request.headers.get(name),
    text: () => request.text(),
    request: () => request,
  };
}

export function toWebResponse(out: Outgoing): Response {
  const headers = new Headers();
  for (const [name, value] of out.headers) headers.append(name, value);
  return new Response(out.body, { status: out.status, headers });
}
