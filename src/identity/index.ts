export { identityErrors } from './errors.js';
export { CODE_POLICY } from './code-policy.js';
export { issueCode, checkResendLimit, type CodeChannel } from './issue-code.js';
export { verifyCode } from './verify-code.js';
export { consumeCode, latestLiveCode } from './repository.js';
