export { partnerRoutes } from './routes.js';
export { channelErrors } from './errors.js';
export { CHANNEL_POLICIES, policyFor, type ChannelName, type ChannelPolicy } from './policy.js';
export { runEnrollment } from './run-enrollment.js';
export type { EnrollmentRequest } from './enrollment-request.js';
