// gatehouse-auth/captcha: siteverify helpers for Cloudflare Turnstile, hCaptcha and Google reCAPTCHA, for the Password provider's `verifyCaptcha`.
export { hcaptcha, recaptcha, turnstile, type RecaptchaOptions, type SiteverifyOptions, type TurnstileOptions, type VerifyCaptcha } from './services/captcha.js';
