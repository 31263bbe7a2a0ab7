export { mfaRoutes } from './routes.js';
export { mfaErrors } from './errors.js';
export { setupTotp, type TotpSetup } from './setup-totp.js';
export { confirmTotp, type TotpConfirmation } from './confirm-totp.js';
export { totpCode, totpStep, totpUri, verifyTotp, TOTP_DEFAULTS, TOTP_WINDOW_STEPS, type TotpParams, type TotpAlgorithm } from './totp.js';
export { loadEnrollmentForMfa } from './load-enrollment-for-mfa.js';
export { stepUpWithTotp } from './step-up-with-totp.js';
