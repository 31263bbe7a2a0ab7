// Decline advice belongs to the payments module (subscriptions use it too); re-exported for the flow's use cases.
export { classifyDecline, declineError, keepsCard } from '../payments/index.js';
