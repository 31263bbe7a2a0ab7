import { ApiError } from '../api/client';
import type { Problem } from '../api/types';
import { has, t } from './i18n';

/** Which form input a problem code belongs next to, when it is not in `fields`. */
const CODE_FIELD: Record<string, string> = {
  identity_code_invalid: 'code', identity_code_expired: 'code', identity_code_attempts_exceeded: 'code', identity_code_not_requested: 'code',
  enrollment_email_unavailable: 'email', enrollment_consent_required: 'consents',
  mfa_code_invalid: 'code', mfa_code_replayed: 'code', mfa_attempts_exceeded: 'code', mfa_factor_not_found: 'code',
  identity_phone_required: 'phone', identity_phone_not_mobile: 'phone', identity_phone_country_unsupported: 'phone',
};

/** A problem as the UI shows it: a message per input, and one for the form. */
export interface Shown { form: string | null; fields: Record<string, string> }

export function fieldMessage(code: string): string {
  return has(`web.field_error.${code}`) ? t(`web.field_error.${code}`) : t('web.field_error.invalid_format');
}

/**
 * Every problem code gets a localized, actionable message: the SPA's own text when it has a more precise one
 * (web.problem.<code>), else the server's title, which it localizes from error.<code>.title for the
 * Accept-Language the client sends; decline advice adds what to do next.
 */
export function problemMessage(p: Problem): string {
  const base = has(`web.problem.${p.code}`) ? t(`web.problem.${p.code}`) : p.title || t('web.error.generic');
  return p.advice && has(`web.advice.${p.advice}`) ? `${base} ${t(`web.advice.${p.advice}`)}` : base;
}

export function showProblem(err: unknown, cardField = 'card'): Shown {
  if (!(err instanceof ApiError)) return { form: t('web.error.network'), fields: {} };
  const p = err.problem;
  const fields: Record<string, string> = {};
  for (const [path, codes] of Object.entries(p.fields ?? {})) fields[path.split('.')[0]] = fieldMessage(codes[0]);
  const target = CODE_FIELD[p.code] ?? (p.code.startsWith('payment_') ? cardField : null);
  if (target && !fields[target]) fields[target] = problemMessage(p);
  return { form: target || Object.keys(fields).length ? null : problemMessage(p), fields };
}
