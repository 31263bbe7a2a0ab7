export { recordEvent, recordEvents, auditRows, type AuditEvent } from './record-event.js';
export { verifyAuditChain, type ChainReport, type BrokenLink } from './verify-chain.js';
export { auditTrailOf } from './audit-trail-of.js';
