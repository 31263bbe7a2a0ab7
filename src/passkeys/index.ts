export { passkeyRoutes } from './routes.js';
export { passkeyErrors } from './errors.js';
export { beginPasskeyRegistration } from './begin-passkey-registration.js';
export { registerPasskey, type RegisteredPasskey } from './register-passkey.js';
export { beginPasskeySignIn } from './begin-passkey-sign-in.js';
export { signInWithPasskey } from './sign-in-with-passkey.js';
