export { recordEvent, recordEvents, auditRows, type AuditEvent } from './record-event.js';
