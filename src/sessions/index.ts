export { sessionRoutes } from './routes.js';
export { sessionErrors } from './errors.js';
export { SESSION_COOKIE, SESSION_TTL_DAYS, sessionCookieOptions } from './cookie.js';
export { openSession, type OpenedSession, type SessionMethod } from './open-session.js';
export { findSession } from './find-session.js';
export { revokeSession, revokeCustomerSessions } from './revoke-session.js';
export { currentSession, requireSession, requireSteppedUpSession, STEP_UP_MAX_AGE_MS } from './require-session.js';
export type { SessionRow } from './repository.js';
export { sessionUsageOf } from './session-usage.js';
