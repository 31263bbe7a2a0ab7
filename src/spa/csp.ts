/**
 * The app's Content-Security-Policy. Scripts only from our origin (Vite emits external, hashed files with SRI;
 * no inline script exists), frames only from the payment gateway's origin (the card fields and the 3-D Secure
 * challenge), nothing embeds us (clickjacking), no plugins, no <base> rewriting, forms post only to us.
 */
export function spaCsp(gatewayOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${gatewayOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
