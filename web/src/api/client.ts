import type { Consent, Enrollment, Me, PlansResponse, Problem, PublicConfig, Quote, TotpSetup } from './types';
import { ROUTES, type RouteName } from './routes';

/** A problem+json answer, thrown so a caller handles it where it can say something useful. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.code);
  }
}

let locale = 'en';
/** Problem titles come back in the page's language (the server reads Accept-Language). */
export function setApiLocale(l: string) {
  locale = l;
}

function deviceId(): string | undefined {
  try {
    let id = localStorage.getItem('enroll.device');
    if (!id) {
      id = `dev_${crypto.randomUUID()}`;
      localStorage.setItem('enroll.device', id);
    }
    return id;
  } catch {
    return undefined; // storage blocked: the header is optional
  }
}

function url(name: RouteName, params: Record<string, string> = {}, query?: Record<string, string | number | undefined>) {
  let path: string = ROUTES[name][1].replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ''));
  if (query) {
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    if ([...q].length) path += `?${q}`;
  }
  return path;
}

async function call<T>(name: RouteName, opts: { params?: Record<string, string>; query?: Record<string, string | number | undefined>; body?: unknown; key?: string } = {}): Promise<T> {
  const method = ROUTES[name][0];
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': locale };
  const dev = deviceId();
  if (dev) headers['x-device-id'] = dev;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  // A retried click or a reload sends the same key: the server replays instead of acting twice.
  if (opts.key) headers['idempotency-key'] = opts.key;
  const res = await fetch(url(name, opts.params, opts.query), { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), credentials: 'same-origin' });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(data && data.code ? data : { status: res.status, code: res.status >= 500 ? 'internal_error' : 'request_failed', title: res.statusText });
  return data as T;
}

const id = (v: string) => ({ id: v });

/** The one typed client of the SPA. */
export const api = {
  plans: (q: { locale: string; currency?: string; country?: string; team_size?: number }) => call<PlansResponse>('plans', { query: q }),
  publicConfig: () => call<PublicConfig>('publicConfig'),
  startEnrollment: (b: { locale: string; country?: string; currency?: string }) => call<Enrollment>('startEnrollment', { body: b }),
  getEnrollment: (e: string) => call<Enrollment>('getEnrollment', { params: id(e) }),
  submitProfile: (e: string, b: { given_name: string; family_name: string; email: string; phone?: string | null; country: string; consents: { purpose: string; granted: boolean; policy_version: string }[] }) =>
    call<Enrollment>('submitProfile', { params: id(e), body: b }),
  sendCode: (e: string, channel: 'email' | 'sms' = 'email') => call<unknown>('sendCode', { params: id(e), body: { channel } }),
  confirmCode: (e: string, code: string) => call<Enrollment>('confirmCode', { params: id(e), body: { code } }),
  passkeyOptions: (e: string) => call<any>('passkeyOptions', { params: id(e), body: {} }),
  registerPasskey: (e: string, attestation: unknown) => call<{ id: string }>('registerPasskey', { params: id(e), body: attestation }),
  setupTotp: (e: string) => call<TotpSetup>('setupTotp', { params: id(e) }),
  confirmTotp: (e: string, code: string, factorId: string) => call<{ factor_id: string; status: 'active' }>('confirmTotp', { params: id(e), body: { code, factor_id: factorId } }),
  selectPlan: (e: string, b: { plan_id: string; interval: string; currency: string }) =>
    call<{ quote: Quote; enrollment: Enrollment }>('selectPlan', { params: id(e), body: b }),
  attachPaymentMethod: (e: string, token: string) => call<Enrollment>('attachPaymentMethod', { params: id(e), body: { token } }),
  complete: (e: string) => call<{ customer_id: string; tenant_id: string; subscription: { status: string } }>('complete', { params: id(e) }),
  signInOptions: () => call<any>('signInOptions', { body: {} }),
  signIn: (assertion: unknown) => call<{ customer_id: string }>('signIn', { body: assertion }),
  stepUpOptions: () => call<any>('stepUpOptions', { body: {} }),
  stepUp: (assertion: unknown) => call<{ customer_id: string }>('stepUp', { body: assertion }),
  stepUpTotp: (code: string) => call<{ customer_id: string }>('stepUpTotp', { body: { code } }),
  stepUpEmail: () => call<{ channel: 'email'; expires_at: string }>('stepUpEmail'),
  confirmStepUpEmail: (code: string) => call<{ customer_id: string }>('confirmStepUpEmail', { body: { code } }),
  logout: () => call<null>('logout', { body: {} }),
  requestSignInLink: (email: string) => call<{ status: 'accepted' }>('requestSignInLink', { body: { email } }),
  me: () => call<Me>('me'),
  changeCard: (sub: string, token: string) => call<unknown>('changeCard', { params: id(sub), body: { token } }),
  consents: (c: string) => call<{ state: Consent[] }>('consents', { params: id(c) }),
  withdrawConsent: (c: string, purpose: string) => call<unknown>('withdrawConsent', { params: { id: c, purpose } }),
  exportData: (c: string) => call<unknown>('exportData', { params: id(c) }),
  deleteAccount: (c: string) => call<unknown>('deleteAccount', { params: id(c) }),
};
