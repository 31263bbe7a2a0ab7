export { privacyRoutes } from './routes.js';
export { registerGpcOptOut } from './record-gpc-opt-out.js';
export { sendMarketingEmailHandler, scheduleMarketingEmail } from './send-marketing-email.js';
export { exportSubject } from './export-subject.js';
export { purgeExpiredData, type PurgeResult } from './purge-expired-data.js';
export { purgeExpiredDataHandler, ensureRetentionScheduled } from './retention-job.js';
