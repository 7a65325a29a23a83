// CAPTCHA siteverify clients for Cloudflare Turnstile, hCaptcha and Google reCAPTCHA: each turns a widget token into yes or no.

/** The hook the password routes call: true lets the request through. */
export type VerifyCaptcha = (token: string, request: Request) => boolean | Promise<boolean>;

export interface SiteverifyOptions {
  /** The secret key from the provider's dashboard. */
  secret: string;
  /** Override the siteverify URL (tests, proxies). */
  endpoint?: string;
  /** Only tokens solved on this hostname pass (the answer's `hostname`). */
  hostname?: string;
  /** Abort after this many milliseconds (default 5000); an unanswered check refuses. */
  timeoutMs?: number;
  /** The client address to send as `remoteip`, if you know it (e.g. from your proxy's header). */
  remoteIp?: (request: Request) => string | null | undefined;
  fetch?: typeof fetch;
}

export interface TurnstileOptions extends SiteverifyOptions {
  /** Only tokens from widgets rendered with this `action` pass. */
  action?: string;
}

export interface RecaptchaOptions extends SiteverifyOptions {
  /** reCAPTCHA v3: only tokens from this `action` pass. */
  action?: string;
  /** reCAPTCHA v3: the lowest `score` that passes (0.0–1.0, default 0.5). Ignored for v2 answers, which have none. */
  minScore?: number;
}

interface SiteverifyAnswer {
  success?: unknown;
  hostname?: unknown;
  action?: unknown;
  score?: unknown;
}

/** The widgets' own field names, so a plain form with the widget in it works without client code. */
export const CAPTCHA_FIELDS = ['captchaToken', 'cf-turnstile-response', 'h-captcha-response', 'g-recaptcha-response'] as const;

/**
 * POSTs `secret` and `response` form-encoded (all three services accept that) and reads the JSON.
 * Every failure (network, timeout, non-2xx, not JSON) is a refusal: a CAPTCHA that cannot be
 * checked must not wave bots through.
 */
function siteverify(defaultEndpoint: string, options: SiteverifyOptions, accept: (answer: SiteverifyAnswer) => boolean): VerifyCaptcha {
  if (typeof options.secret !== 'string' || options.secret === '') throw new TypeError('gatehouse: a CAPTCHA verifier needs its `secret`');
  const endpoint = options.endpoint ?? defaultEndpoint;
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (token, request) => {
    // The services' tokens are at most a few kilobytes; anything longer is not one.
    if (typeof token !== 'string' || token === '' || token.length > 4096) return false;
    const form = new URLSearchParams({ secret: options.secret, response: token });
    const ip = options.remoteIp?.(request);
    if (ip) form.set('remoteip', ip);
    let answer: SiteverifyAnswer;
    try {
      const response = await (options.fetch ?? fetch)(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) return false;
      answer = (await response.json()) as SiteverifyAnswer;
    } catch {
      return false;
    }
    if (!answer || typeof answer !== 'object' || answer.success !== true) return false;
    if (options.hostname !== undefined && answer.hostname !== options.hostname) return false;
    return accept(answer);
  };
}

/** Cloudflare Turnstile: https://developers.cloudflare.com/turnstile/get-started/server-side-validation/ */
export function turnstile(options: TurnstileOptions): VerifyCaptcha {
  return siteverify('https://challenges.cloudflare.com/turnstile/v0/siteverify', options, (answer) => options.action === undefined || answer.action === options.action);
}

/** hCaptcha: https://docs.hcaptcha.com/#verify-the-user-response-server-side */
export function hcaptcha(options: SiteverifyOptions): VerifyCaptcha {
  return siteverify('https://api.hcaptcha.com/siteverify', options, () => true);
}

/** Google reCAPTCHA v2 and v3: https://developers.google.com/recaptcha/docs/verify */
export function recaptcha(options: RecaptchaOptions): VerifyCaptcha {
  const minScore = options.minScore ?? 0.5;
  return siteverify('https://www.google.com/recaptcha/api/siteverify', options, (answer) => {
    if (options.action !== undefined && answer.action !== options.action) return false;
    return typeof answer.score !== 'number' || answer.score >= minScore;
  });
}

/** The token a form or JSON body carries, under gatehouse's name or a widget's own. */
export function captchaToken(body: Readonly<Record<string, unknown>>): string {
  for (const field of CAPTCHA_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}
