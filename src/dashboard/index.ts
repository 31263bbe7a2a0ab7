export { dashboardRoutes } from './routes.js';
export { dashboardErrors } from './errors.js';
export { issueDashboardLink, redeemDashboardLink } from './dashboard-link.js';
export { sendWelcomeEmailHandler } from './send-welcome-email.js';
export { requestSignInLink } from './request-sign-in-link.js';
export { sendSignInLinkHandler } from './send-sign-in-link.js';
