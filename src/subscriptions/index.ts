export { createFirstCycle, type FirstCycle, type FirstCycleInput } from './create-subscription.js';
export { addMonths, addDays, periodEnd } from './periods.js';
export { listSubscriptions, isRecordedPayment, type SubscriptionSummary } from './repository.js';
