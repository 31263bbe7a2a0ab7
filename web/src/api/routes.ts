/**
 * Every server route the SPA calls, in OpenAPI path syntax. The client builds its URLs only from these, and
 * test/web.api-contract.test.ts proves each (method, path) exists in the live /openapi.json with the request
 * fields the client sends.
 */
export const ROUTES = {
  plans: ['GET', '/v1/plans'],
  publicConfig: ['GET', '/v1/config/public'],
  startEnrollment: ['POST', '/v1/enrollments'],
  getEnrollment: ['GET', '/v1/enrollments/{id}'],
  submitProfile: ['PUT', '/v1/enrollments/{id}/profile'],
  sendCode: ['POST', '/v1/enrollments/{id}/verification'],
  confirmCode: ['POST', '/v1/enrollments/{id}/verification/confirm'],
  passkeyOptions: ['POST', '/v1/enrollments/{id}/passkeys/options'],
  registerPasskey: ['POST', '/v1/enrollments/{id}/passkeys'],
  setupTotp: ['POST', '/v1/enrollments/{id}/totp'],
  confirmTotp: ['POST', '/v1/enrollments/{id}/totp/confirm'],
  selectPlan: ['PUT', '/v1/enrollments/{id}/plan'],
  attachPaymentMethod: ['PUT', '/v1/enrollments/{id}/payment-method'],
  complete: ['POST', '/v1/enrollments/{id}/complete'],
  signInOptions: ['POST', '/v1/sessions/passkey/options'],
  signIn: ['POST', '/v1/sessions/passkey'],
  stepUpOptions: ['POST', '/v1/sessions/step-up/passkey/options'],
  stepUp: ['POST', '/v1/sessions/step-up/passkey'],
  stepUpTotp: ['POST', '/v1/sessions/step-up/totp'],
  stepUpEmail: ['POST', '/v1/sessions/step-up/email'],
  confirmStepUpEmail: ['POST', '/v1/sessions/step-up/email/confirm'],
  logout: ['POST', '/v1/sessions/logout'],
  requestSignInLink: ['POST', '/v1/sessions/email-link'],
  me: ['GET', '/v1/me'],
  changeCard: ['PUT', '/v1/subscriptions/{id}/payment-method'],
  consents: ['GET', '/v1/customers/{id}/consents'],
  grantConsents: ['POST', '/v1/customers/{id}/consents'],
  withdrawConsent: ['DELETE', '/v1/customers/{id}/consents/{purpose}'],
  exportData: ['GET', '/v1/customers/{id}/export'],
  deleteAccount: ['DELETE', '/v1/customers/{id}'],
} as const satisfies Record<string, readonly ['GET' | 'POST' | 'PUT' | 'DELETE', string]>;

/** The request body fields the client sends per route: the contract test finds each in the route's schema. */
export const BODY_FIELDS: Partial<Record<keyof typeof ROUTES, readonly string[]>> = {
  startEnrollment: ['locale', 'country', 'currency'],
  submitProfile: ['given_name', 'family_name', 'email', 'phone', 'country', 'consents'],
  sendCode: ['channel'],
  confirmCode: ['code'],
  confirmTotp: ['code', 'factor_id'],
  selectPlan: ['plan_id', 'interval', 'currency'],
  attachPaymentMethod: ['token'],
  changeCard: ['token'],
  stepUpTotp: ['code'],
  confirmStepUpEmail: ['code'],
};

export type RouteName = keyof typeof ROUTES;
