export { createFirstCycle, type FirstCycle, type FirstCycleInput } from './create-subscription.js';
export { addMonths, addDays, periodEnd } from './periods.js';
export { listSubscriptions, isRecordedPayment, type SubscriptionSummary } from './repository.js';
export { subscriptionErrors } from './errors.js';
export { subscriptionRoutes } from './routes.js';
export { convertTrialHandler } from './convert-trial.js';
export { changePaymentMethod, type ChangedPaymentMethod } from './change-payment-method.js';
export { previewPlanChange, type PlanChangePreview } from './preview-plan-change.js';
export { applyPlanChange, type AppliedPlanChange } from './apply-plan-change.js';
