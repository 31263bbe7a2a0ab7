import { translate } from '../i18n/index.js';

/**
 * Text messages: one segment of plain GSM-7 text where the language allows, so
 * a code costs one SMS. No links: a link in an OTP message is what phishing looks like.
 * The texts are ICU messages in the i18n catalogues (`sms.<template>.text`).
 */
export type SmsTemplate = 'verification-code';

const TEMPLATES: Record<SmsTemplate, { key: string; vars: readonly string[] }> = {
  'verification-code': { key: 'sms.verification.text', vars: ['code', 'minutes'] },
};

/** de-DE → de → en, as for email; a missing var throws rather than sending a hole. */
export function renderSms(template: SmsTemplate, locale: string, vars: Record<string, string | number>): string {
  const t = TEMPLATES[template];
  for (const name of t.vars) {
    const v = vars[name];
    if (v === undefined || v === null || v === '') throw new Error(`sms template ${template} needs var ${name}`);
  }
  return translate(t.key, locale, { ...vars, minutes: Number(vars.minutes) });
}
