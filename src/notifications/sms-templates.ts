/**
 * Text messages: one segment of plain GSM-7 text where the language allows, so
 * a code costs one SMS. No links: a link in an OTP message is what phishing looks like.
 */
export type SmsTemplate = 'verification-code';

const CATALOG: Record<string, Record<SmsTemplate, string>> = {
  en: { 'verification-code': 'Your Enroll code is {code}. It expires in {minutes} minutes. Never share it.' },
  de: { 'verification-code': 'Ihr Enroll-Code lautet {code}. Er läuft in {minutes} Minuten ab. Geben Sie ihn nicht weiter.' },
};

/** de-DE → de → en, as for email; a missing var throws rather than sending a hole. */
export function renderSms(template: SmsTemplate, locale: string, vars: Record<string, string | number>): string {
  const lang = (locale || '').replace(/_/g, '-').toLowerCase().split('-')[0];
  const text = (CATALOG[lang] ?? CATALOG.en)[template];
  return text.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null || v === '') throw new Error(`sms template ${template} needs var ${name}`);
    return String(v);
  });
}
