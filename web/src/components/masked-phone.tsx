import { t } from '../lib/i18n';

/** The phone on the profile, masked: enough for its owner to recognise it, not enough to read it off a shoulder. */
export const maskPhone = (e164: string) => `+${'•'.repeat(Math.max(0, e164.length - 3))}${e164.slice(-2)}`;

/**
 * A message around the phone, masked, in a left-to-right isolate so "+" stays in front inside Arabic text. Screen
 * readers get "ending in 89" instead of a row of bullets read one by one.
 */
export function withPhone(key: string, e164: string) {
  const [before, after] = t(key, { phone: '\u0000' }).split('\u0000');
  return (
    <>
      {before}
      <bdi dir="ltr"><span aria-hidden="true">{maskPhone(e164)}</span><span class="sr-only">{t('web.phone.ending_in', { digits: e164.slice(-2) })}</span></bdi>
      {after}
    </>
  );
}
