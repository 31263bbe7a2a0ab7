export { recordEvent, recordEvents, auditRows, type AuditEvent } from './record-event.js';
export { auditTrailOf } from './audit-trail-of.js';
