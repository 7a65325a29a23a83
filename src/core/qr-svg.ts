// The enrolment QR code as inline SVG (uqr: no canvas, no DOM), so the page and the JSON answer carry it without a request to anyone.
import { renderSVG } from 'uqr';

/** An SVG of `text` (an otpauth:// URI), black on white with the quiet zone scanners need (ISO/IEC 18004 §6.3.8: 4 modules). */
export function qrSvg(text: string): string {
  return renderSVG(text, { border: 4, ecc: 'M' });
}
