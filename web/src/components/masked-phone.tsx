import { t } from '../lib/i18n';

/** The phone on the profile, masked: enough for its owner to recognise it, not enough to read it off a shoulder. */
export const maskPhone = (e164: string) => `+${'•'.repeat(Math.max(0, e164.length - 3))}${e164.slice(-2)}`;

/** A message around the masked phone, the number in a left-to-right isolate so "+" stays in front inside Arabic text. */
export function withPhone(key: string, phone: string) {
  const [before, after] = t(key, { phone: '\u0000' }).split('\u0000');
  return <>{before}<bdi dir="ltr">{phone}</bdi>{after}</>;
}
