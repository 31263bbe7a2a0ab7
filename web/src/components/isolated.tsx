import type { ComponentChildren } from 'preact';
import { t } from '../lib/i18n';

/** The phone on the profile, masked: enough for its owner to recognise it, not enough to read it off a shoulder. */
export const maskPhone = (e164: string) => `+${'•'.repeat(Math.max(0, e164.length - 3))}${e164.slice(-2)}`;

/** A message with one value in a left-to-right isolate, so an address or a number keeps its order inside Arabic text. */
function isolated(key: string, arg: string, value: ComponentChildren) {
  const [before, after] = t(key, { [arg]: '\u0000' }).split('\u0000');
  return <>{before}<bdi dir="ltr">{value}</bdi>{after}</>;
}

/** A message around an email address ({email}). */
export const withEmail = (key: string, email: string) => isolated(key, 'email', email);

/** A message around the profile's phone ({phone}), masked; screen readers hear "ending in 89", not a row of bullets. */
export const withPhone = (key: string, e164: string) =>
  isolated(key, 'phone', <><span aria-hidden="true">{maskPhone(e164)}</span><span class="sr-only">{t('web.phone.ending_in', { digits: e164.slice(-2) })}</span></>);
