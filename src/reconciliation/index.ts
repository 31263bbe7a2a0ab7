export { reconcile, listReports, type ReconciliationReport, type Finding, type FindingKind } from './reconcile.js';
export { reconciliationRoutes } from './routes.js';
export { reconcileHandler, ensureReconciliationScheduled } from './reconcile-job.js';
