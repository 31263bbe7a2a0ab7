/**
 * `__Host-` binds the cookie to this exact origin: the browser refuses it
 * unless it is Secure, has Path=/ and no Domain, so a sibling subdomain can
 * neither read nor plant (fixate) it. Browsers treat http://localhost as a
 * secure context, so Secure works in development too.
 */
export const SESSION_COOKIE = '__Host-enroll_session';
export const SESSION_TTL_DAYS = 14;

export function sessionCookieOptions() {
  return { path: '/', httpOnly: true, secure: true, sameSite: 'lax' as const, maxAge: SESSION_TTL_DAYS * 86_400 };
}
