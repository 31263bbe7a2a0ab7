export { passwordRoutes } from './routes.js';
export { passwordErrors } from './errors.js';
export { setPassword } from './set-password.js';
export { signInWithPassword, MAX_FAILURES, PAUSE_MS } from './sign-in-with-password.js';
export { passwordProblems, commonPasswords, PASSWORD_MIN, PASSWORD_MAX } from './password-policy.js';
export { ARGON2_PARAMS, hashPassword, needsRehash } from './password-hash.js';
