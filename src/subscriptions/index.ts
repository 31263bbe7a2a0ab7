export { createFirstCycle, type FirstCycle, type FirstCycleInput } from './create-subscription.js';
export { addMonths, addDays, periodEnd } from './periods.js';
export { listSubscriptions, isRecordedPayment, type SubscriptionSummary } from './repository.js';
export { subscriptionErrors } from './errors.js';
export { subscriptionRoutes } from './routes.js';
export { changePaymentMethod, type ChangedPaymentMethod } from './change-payment-method.js';
export { schedulePlanChange, type ScheduledPlanChange } from './schedule-plan-change.js';
