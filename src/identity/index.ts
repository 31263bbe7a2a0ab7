export { identityErrors } from './errors.js';
export { CODE_POLICY } from './code-policy.js';
export type { CodeOwner } from './code-owner.js';
export { issueCode, type CodeChannel } from './issue-code.js';
export { checkResend, resendLimitedError, type ResendCheck, type ResendRefusal, type ResendScope } from './resend-limit.js';
export { verifyCode, type CodeFailure } from './verify-code.js';
export { consumeCode, latestLiveCode } from './repository.js';
export { smsDestinationRefusal, type SmsDestinationRefusal } from './sms-destination.js';
