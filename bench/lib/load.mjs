// One autocannon run against one target: a GET with fixed headers, or the credentials sign-in chain (GET csrf + POST callback).
import autocannon from 'autocannon';
import { cookieHeader, credentialsForm, SIGN_IN_HEADERS, setCookies } from './targets.mjs';

/** One autocannon run (GETs carry `cookie`); returns requests/s (or sign-ins/s for the chain) and the error counts. */
export async function measure(server, scenario, seconds, connections, cookie) {
  const base = { url: server.origin, connections, duration: seconds, pipelining: 1 };
  if (scenario.load === 'get') {
    // The path goes in the URL: autocannon ignores a top-level `path` when `url` is given.
    const result = await autocannon({ ...base, url: `${server.origin}${scenario.path}`, headers: cookie ? { cookie } : {} });
    return {
      rps: result.requests.total / result.duration,
      seconds: result.duration,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
    };
  }
  // The sign-in chain: each connection GETs csrf (keeping its cookies, as a browser does) then POSTs the form.
  const bare = server.spec.library === 'bare';
  let signIns = 0;
  let failures = 0;
  const cookieLines = (headers) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === 'set-cookie');
    const value = key ? headers[key] : [];
    return Array.isArray(value) ? value : [value];
  };
  const result = await autocannon({
    ...base,
    requests: [
      {
        method: 'GET',
        path: '/api/auth/csrf',
        onResponse(status, body, context, headers) {
          context.cookie = cookieHeader(setCookies(cookieLines(headers)));
          try {
            context.csrfToken = JSON.parse(body).csrfToken ?? '';
          } catch {
            context.csrfToken = '';
          }
        },
      },
      {
        method: 'POST',
        path: '/api/auth/callback/credentials',
        setupRequest(request, context) {
          return { ...request, headers: { ...SIGN_IN_HEADERS, cookie: context.cookie ?? '' }, body: credentialsForm(context.csrfToken ?? '', server.origin) };
        },
        onResponse(status, body, context, headers) {
          const ok = bare ? status === 200 : status === 200 && cookieLines(headers).some((line) => /session-token=[^;]/.test(line)) && !body.includes('error=');
          if (ok) signIns++;
          else failures++;
        },
      },
    ],
  });
  return {
    rps: signIns / result.duration,
    seconds: result.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    failedSignIns: failures,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}
